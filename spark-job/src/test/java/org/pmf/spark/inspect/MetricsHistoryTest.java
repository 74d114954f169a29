package org.pmf.spark.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsHistoryTest {

    private static MetricsHistory read(Path dir) throws IOException {
        return MetricsHistory.read(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri()));
    }

    @Test
    void aResumedRunsRowsReplaceTheEarlierFilesRowsAfterItsStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("metrics-from-step-00000000.jsonl"),
            "{\"step\":1,\"loss\":4.0}\n{\"step\":2,\"loss\":3.0}\n{\"step\":3,\"loss\":9.0}\n");
        Files.writeString(dir.resolve("metrics-from-step-00000002.jsonl"), "{\"step\":3,\"loss\":2.0}\n{\"step\":4,\"loss\":1.0}\n");
        MetricsHistory m = read(dir);
        assertEquals(List.of(1L, 2L, 3L, 4L), m.rows().stream().map(MetricsHistory.Row::step).toList());
        assertEquals(2.0, m.series("loss").values()[2]);
    }

    @Test
    void nonFiniteValuesWrittenAsStringsReadBackAsNumbersAndSkippedStepsAreMarked(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("metrics-from-step-00000000.jsonl"),
            "{\"step\":1,\"skipped\":true,\"loss\":\"NaN\"}\n{\"step\":1,\"loss\":\"Infinity\"}\n");
        MetricsHistory m = read(dir);
        assertTrue(m.rows().get(0).skipped());
        assertTrue(Double.isNaN(m.rows().get(0).values().get("loss")));
        assertEquals(Double.POSITIVE_INFINITY, m.rows().get(1).values().get("loss"));
    }

    @Test
    void aPartialLastLineIsDroppedButDamageInTheMiddleNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics-from-step-00000000.jsonl");
        Files.writeString(f, "{\"step\":1,\"loss\":4.0}\n{\"step\":2,\"lo");
        assertEquals(1, read(dir).rows().size());
        Files.writeString(f, "{\"step\":1,\"loss\":4.0}\n{\"step\":2,\"lo\n{\"step\":3,\"loss\":1.0}\n");
        IOException e = assertThrows(IOException.class, () -> read(dir));
        assertTrue(e.getMessage().contains("metrics-from-step-00000000.jsonl line 2"), e.getMessage());
    }

    @Test
    void aRunWithoutMetricsHasAnEmptyHistory(@TempDir Path dir) throws Exception {
        assertTrue(read(dir).isEmpty());
        assertTrue(read(dir.resolve("missing")).isEmpty());
    }

    @Test
    void zeppelinTableIsTabSeparatedWithAHeaderRow() {
        MetricsHistory m = new MetricsHistory(List.of(new MetricsHistory.Row(2, false, java.util.Map.of("loss", 0.5))));
        assertEquals("%table step\tloss\n2\t0.500000\n", InspectTables.metrics(m, "loss").toZeppelin());
    }

    @Test
    void metricsAtACheckpointAreThoseOfItsStepOrTheLastRowBefore(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("metrics-from-step-00000000.jsonl"),
            "{\"step\":2,\"loss\":4.0}\n{\"step\":4,\"loss\":3.0}\n{\"step\":6,\"loss\":2.0}\n");
        MetricsHistory m = read(dir);
        assertEquals(4L, m.at(5).orElseThrow().step());
        assertTrue(m.at(1).isEmpty());
        assertEquals("%table metric\tstep 4\tstep 6\nloss\t3.00000\t2.00000\n", InspectTables.metricsAt(m, 4, 6).toZeppelin());
    }
}
