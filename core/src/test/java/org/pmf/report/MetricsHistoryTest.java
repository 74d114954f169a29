package org.pmf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    void aSessionStartingAtAStepReadsOnlyEarlierSessionsAndKeepsTheirRowsUpToIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(MetricsHistory.fileName(0)), "{\"step\":1,\"loss\":4.0}\n{\"step\":2,\"loss\":3.0}\n{\"step\":3,\"loss\":9.0}\n");
        Files.writeString(dir.resolve(MetricsHistory.fileName(2)), "{\"step\":3,\"loss\":2.0}\n");
        Files.writeString(dir.resolve("metrics-from-step-x.jsonl"), "not a session file\n");
        MetricsHistory before = MetricsHistory.read(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri()), 2);
        assertEquals(List.of(1L, 2L, 3L), before.rows().stream().map(MetricsHistory.Row::step).toList(), "only the session from step 0");
        assertEquals(List.of(1L, 2L), before.truncatedAfter(2).rows().stream().map(MetricsHistory.Row::step).toList());
        assertEquals("metrics-from-step-00000002.jsonl", MetricsHistory.fileName(2));
    }

    @Test
    void theMetricsOfACheckpointAreThoseOfItsStepOrTheLastRowBefore() {
        MetricsHistory m = new MetricsHistory(List.of(new MetricsHistory.Row(2, false, Map.of("loss", 4.0)),
            new MetricsHistory.Row(4, false, Map.of("loss", 3.0))));
        assertEquals(4L, m.at(5).orElseThrow().step());
        assertTrue(m.at(1).isEmpty());
    }

    @Test
    void theLossPlotDrawsEachCurveInItsOwnColourAndSurvivesAnEmptyHistory() {
        List<MetricsHistory.Row> rows = new java.util.ArrayList<>();
        for (int s = 1; s <= 50; s++) {
            rows.add(new MetricsHistory.Row(s, false, Map.of("mse_V", 10.0 / s, "mse_v", 5.0 / s)));
        }
        MetricsHistory h = new MetricsHistory(rows);
        Map<String, String> labelled = new LinkedHashMap<>();
        labelled.put("mse_V", "compound V");
        labelled.put("mse_v", "v-head");
        labelled.put("absent", "never logged");
        BufferedImage img = LossCurvePlot.render(h, labelled, "test");
        assertTrue(countRgb(img, 0x1F77B4) > 50 && countRgb(img, 0xD62728) > 50, "both curves drawn");
        BufferedImage empty = LossCurvePlot.render(new MetricsHistory(List.of()), labelled, "empty");
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
