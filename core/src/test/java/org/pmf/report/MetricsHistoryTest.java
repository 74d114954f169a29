package org.pmf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsHistoryTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void aResumedSessionReplacesTheStepsTheKilledSessionTrainedPastItsCheckpoint() throws Exception {
        // session 1 trained to step 3 and was killed (its last line torn); it was resumed from step 2
        Files.writeString(tmp.resolve("metrics-from-step-00000000.jsonl"),
            "{\"step\":1,\"mse_V\":4.0}\n{\"step\":2,\"mse_V\":3.0}\n{\"step\":3,\"mse_V\":9.0}\n{\"step\":4,\"mse");
        Files.writeString(tmp.resolve("metrics-from-step-00000002.jsonl"),
            "{\"step\":3,\"mse_V\":2.5}\n{\"step\":4,\"skipped\":true,\"mse_V\":\"NaN\"}\n{\"step\":4,\"mse_V\":2.0}\n");
        Files.writeString(tmp.resolve("unrelated.jsonl"), "{\"step\":1,\"mse_V\":100}\n");
        MetricsHistory h = MetricsHistory.read(FileSystem.getLocal(new Configuration()), new Path(tmp.toUri()));
        assertEquals(Map.of(1L, 4.0, 2L, 3.0, 3L, 2.5, 4L, 2.0), h.series("mse_V"));
        h.truncateAfter(2);
        assertEquals(List.of(1L, 2L), List.copyOf(h.series("mse_V").keySet()));
    }

    @Test
    void aMalformedLineBeforeTheEndNamesTheFileAndLine() {
        MetricsHistory h = new MetricsHistory();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> h.addLines("{\"step\":1}\nnot json\n{\"step\":2}\n", "run/metrics.jsonl"));
        assertTrue(e.getMessage().startsWith("run/metrics.jsonl line 2"), e.getMessage());
    }

    @Test
    void theLossPlotDrawsEachCurveInItsOwnColourAndSurvivesAnEmptyHistory() {
        MetricsHistory h = new MetricsHistory();
        for (int s = 1; s <= 50; s++) {
            h.add("mse_V", s, 10.0 / s);
            h.add("mse_v", s, 5.0 / s);
        }
        Map<String, String> labelled = new LinkedHashMap<>();
        labelled.put("mse_V", "compound V");
        labelled.put("mse_v", "v-head");
        labelled.put("absent", "never logged");
        BufferedImage img = LossCurvePlot.render(h, labelled, "test");
        assertTrue(countRgb(img, 0x1F77B4) > 50 && countRgb(img, 0xD62728) > 50, "both curves drawn");
        BufferedImage empty = LossCurvePlot.render(new MetricsHistory(), labelled, "empty");
        assertNotEquals(0, empty.getWidth());
    }

    private static int countRgb(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
