package org.pmf.spark.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.cli.CommandLine;
import org.pmf.io.CheckpointStore;
import org.pmf.spark.RunProvenance;
import org.pmf.spark.TrainCommand;
import org.pmf.sample.ClassGrid;
import org.pmf.report.MetricsHistory;

/**
 * The inspect API on a real run: the train command on local[1] for 4 steps, then resumed to 8, so
 * the folder holds two checkpoints, two metrics files and two provenance records.
 */
class RunFolderTest {

    @TempDir
    static java.nio.file.Path tmp;
    private static RunFolder run;

    @BeforeAll
    static void trainTinyRunInTwoStretches() throws Exception {
        TinyRun.writeShards(tmp.resolve("shards"));
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[1]").setAppName("inspect-test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            TrainCommand.run(spark, TinyRun.config(tmp, "tiny", 4), true);
            TrainCommand.run(spark, TinyRun.config(tmp, "tiny", 8), true);
        }
        run = RunFolder.open(tmp.resolve("runs/tiny").toUri().toString(), new Configuration());
    }

    @AfterAll
    static void forget() {
        run = null;
    }

    @Test
    void listsCommittedCheckpointsWithTheirSizesAndTheLatestPointer() throws Exception {
        List<CheckpointSummary> all = run.checkpoints();
        assertEquals(List.of(4L, 8L), all.stream().map(CheckpointSummary::step).toList());
        assertFalse(all.get(0).latest());
        assertTrue(all.get(1).latest());
        Map<String, Long> files = all.get(1).fileSizes();
        for (String f : List.of(CheckpointStore.WEIGHTS, CheckpointStore.OPTIMIZER, CheckpointStore.STATE, CheckpointStore.CONFIG,
            CheckpointStore.COMMIT, "ema-500.safetensors")) {
            assertTrue(files.containsKey(f), f + " in " + files.keySet());
        }
        long weights = Files.size(tmp.resolve("runs/tiny/step-00000008").resolve(CheckpointStore.WEIGHTS));
        assertEquals(weights, files.get(CheckpointStore.WEIGHTS));
        assertTrue(all.get(1).totalBytes() > weights);
    }

    @Test
    void aStepFolderWithoutCommitIsNotListed() throws Exception {
        java.nio.file.Path half = Files.createDirectories(tmp.resolve("runs/half/step-00000012"));
        Files.copy(tmp.resolve("runs/tiny/step-00000008").resolve(CheckpointStore.WEIGHTS), half.resolve(CheckpointStore.WEIGHTS));
        RunFolder r = RunFolder.open(tmp.resolve("runs/half").toString(), new Configuration());
        assertEquals(List.of(), r.checkpoints());
        assertTrue(r.latest().isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> r.checkpoint(12));
        assertTrue(e.getMessage().contains("no committed checkpoint of step 12"), e.getMessage());
    }

    @Test
    void checkpointShowsItsCountersConfigAndTheNetworkAsTrained() throws Exception {
        CheckpointFolder c = run.latest().orElseThrow();
        assertEquals(8, c.step());
        assertEquals(8, c.state().step());
        assertEquals(3, c.state().seed());
        assertEquals(8 * 4, c.state().imagesSeen());
        assertEquals(32, c.network().hidden());
        assertEquals(TinyRun.CLASSES, c.network().numClasses());
        assertTrue(c.configText().contains("local-steps"), c.configText());
        assertEquals(List.of("500", "1000", "2000"), c.emaLabels());
        assertEquals(List.of("raw", "500", "1000", "2000"), c.weightChoices());
    }

    @Test
    void provenanceTiesEachCheckpointToTheStretchThatWroteIt() throws Exception {
        List<RunProvenance> all = run.provenance();
        assertEquals(List.of(0L, 4L), all.stream().map(RunProvenance::fromStep).toList());
        assertEquals(0L, run.provenanceOf(4).orElseThrow().fromStep());
        assertEquals(4L, run.provenanceOf(8).orElseThrow().fromStep());
        RunProvenance p = run.provenanceOf(8).orElseThrow();
        assertEquals(3, p.seed());
        assertEquals(20, p.examples());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(tmp.resolve("shards/manifest.json"))));
        assertEquals(sha, p.manifestSha256());
        assertTrue(p.data().endsWith("/shards"), p.data());
        assertTrue(p.codeVersion().matches("\\d+\\.\\d+\\.\\d+.*"), p.codeVersion());
        assertTrue(p.gitCommit().matches("[0-9a-f]{40}(-dirty)?|unknown"), p.gitCommit());
        assertEquals("CpuBackend", p.nd4jBackend());
    }

    @Test
    void metricsOfBothStretchesMakeOneCurveWithEachStepOnce() throws Exception {
        MetricsHistory m = run.metrics();
        assertEquals(List.of(2L, 4L, 6L, 8L), m.rows().stream().map(MetricsHistory.Row::step).toList());
        MetricsHistory.Series loss = m.series("loss");
        assertArrayEquals(new long[] {2, 4, 6, 8}, loss.steps());
        for (double v : loss.values()) {
            assertTrue(Double.isFinite(v) && v > 0, "loss " + v);
        }
        assertTrue(m.names().containsAll(List.of("images_seen", "learning_rate", "loss", "loss_u", "loss_v")), m.names().toString());
        MetricsHistory two = m.smoothed(2);
        assertEquals(List.of(4L, 8L), two.rows().stream().map(MetricsHistory.Row::step).toList());
        assertEquals((loss.values()[0] + loss.values()[1]) / 2, two.rows().get(0).values().get("loss"), 1e-12);
    }

    @Test
    void statisticsDescribeEveryTensorOfTheRawWeightsAndOfAnEma() throws Exception {
        CheckpointFolder c = run.latest().orElseThrow();
        Map<String, INDArray> raw = c.tensors("raw");
        List<TensorStats> stats = c.statistics("raw");
        assertEquals(List.copyOf(raw.keySet()), stats.stream().map(TensorStats::name).toList());
        TensorStats first = stats.get(0);
        INDArray x = raw.get(first.name()).castTo(DataType.DOUBLE);
        assertEquals(x.meanNumber().doubleValue(), first.mean(), 1e-12);
        assertEquals(x.norm2Number().doubleValue(), first.norm(), 1e-9);
        assertEquals(x.stdNumber().doubleValue() * Math.sqrt((x.length() - 1.0) / x.length()), first.std(), 1e-9);
        assertEquals(raw.size(), c.statistics("2000").size());
        var e = assertThrows(IllegalArgumentException.class, () -> c.statistics("777"));
        assertTrue(e.getMessage().contains("[raw, 500, 1000, 2000]"), e.getMessage());
    }

    @Test
    void comparingCheckpointsShowsHowFarEachTensorMoved() throws Exception {
        List<TensorDiff> moved = run.compare(4, 8, "raw");
        assertTrue(moved.stream().anyMatch(d -> d.relative() > 0), "some tensor moved between steps 4 and 8");
        assertTrue(run.compare(8, 8, "raw").stream().allMatch(d -> d.relative() == 0));
    }

    @Test
    void oneStepSamplesOfChosenClassesOmegaAndEmaAreFixedBySeed() throws Exception {
        CheckpointFolder c = run.latest().orElseThrow();
        ClassGrid a = c.samples("500", 2.0, 0.1, 0.7, new int[] {1, 3}, 2, 7);
        assertArrayEquals(new long[] {4, 16, 48}, a.pixels().shape());
        assertArrayEquals(new int[] {1, 1, 3, 3}, a.labels());
        assertEquals(a.pixels(), c.samples("500", 2.0, 0.1, 0.7, new int[] {1, 3}, 2, 7).pixels());
        assertNotEquals(a.pixels(), c.samples("raw", 2.0, 0.1, 0.7, new int[] {1, 3}, 2, 7).pixels());
        java.awt.image.BufferedImage png = ImageIO.read(new ByteArrayInputStream(a.png()));
        assertTrue(png.getHeight() >= 2 * 16 * 2 && png.getWidth() >= 2 * 16 * 2, png.getWidth() + "x" + png.getHeight());
        var e = assertThrows(IllegalArgumentException.class, () -> c.samples("raw", 1, 0, 1, new int[] {5}, 1, 0));
        assertTrue(e.getMessage().contains("classes 0..4"), e.getMessage());
    }

    @Test
    void inspectCommandPrintsCheckpointsConfigProvenanceAndMetricHistory() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cli = CommandLine.parse("inspect", InspectCommand.OPTIONS,
            new String[] {"--run", run.path().toString(), "--step", "4", "--stats", "1000", "--metrics-rows", "3"});
        InspectCommand.run(cli, new Configuration(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String expected : List.of("committed checkpoints: 2", "checkpoint step 4: 16 images seen, seed 3",
            "weights.safetensors", "manifest sha256", "local-steps", "tensor statistics, weights 1000",
            "metrics: 4 logged steps, shown as 3 means")) {
            assertTrue(out.contains(expected), "'" + expected + "' missing from:\n" + out);
        }
    }
}
