package org.pmf.spark.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pmf.report.MetricsHistory;

class InspectTablesTest {

    @Test
    void zeppelinTableIsTabSeparatedWithAHeaderRow() {
        MetricsHistory m = new MetricsHistory(List.of(new MetricsHistory.Row(2, false, Map.of("loss", 0.5))));
        assertEquals("%table step\tloss\n2\t0.500000\n", InspectTables.metrics(m, "loss").toZeppelin());
    }

    @Test
    void checkpointColumnsShowTheMetricsAtEachStep() {
        MetricsHistory m = new MetricsHistory(List.of(new MetricsHistory.Row(2, false, Map.of("loss", 4.0)),
            new MetricsHistory.Row(4, false, Map.of("loss", 3.0)), new MetricsHistory.Row(6, false, Map.of("loss", 2.0))));
        assertEquals("%table metric\tstep 4\tstep 6\nloss\t3.00000\t2.00000\n", InspectTables.metricsAt(m, 4, 6).toZeppelin());
    }
}
