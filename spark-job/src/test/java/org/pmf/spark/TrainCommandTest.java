package org.pmf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.eval.FeatureStatistics;
import org.pmf.eval.FidInception;
import org.pmf.eval.FrechetDistance;
import org.pmf.eval.InceptionScore;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointStore;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.ShardHeader;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardWriter;
import org.pmf.perceptual.Fixture;
import org.pmf.report.MetricsHistory;

/** The train command end to end in Spark local mode, on generated shards. */
class TrainCommandTest {

    private static final ShardHeader HEADER = new ShardHeader(16, 4, 3, 5);
    private static JavaSparkContext spark;

    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void startSparkAndWriteShards() throws Exception {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("train-command-test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = new Path(tmp.resolve("shards").toUri());
        SplittableRandom r = new SplittableRandom(5);
        List<ShardInfo> infos = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            String name = String.format("part-%05d.shard", s);
            try (OutputStream out = fs.create(new Path(dir, name)); ShardWriter w = new ShardWriter(out, name, HEADER)) {
                for (int i = 0; i < 12; i++) {
                    byte[] example = new byte[HEADER.exampleBytes()];
                    for (int k = 0; k < example.length; k++) {
                        example[k] = (byte) r.nextInt(256);
                    }
                    w.write(example, r.nextInt(5));
                }
                infos.add(w.finish());
            }
        }
        new Manifest("test", HEADER, "generated", 0, 12, List.of("a", "b", "c", "d", "e"), infos, 0).write(fs, dir);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static Config config(String name, long steps) {
        Map<String, String> o = TinyTrainingSettings.of(name, tmp.resolve("runs").toString(), 3, HEADER.numClasses(),
            tmp.resolve("shards").toString(), steps);
        return ConfigLoader.load(null, o);
    }

    private static Checkpoint latest(String name) throws Exception {
        return CheckpointStore.open(tmp.resolve("runs").resolve(name).toString(), new Configuration()).loadLatest().orElseThrow();
    }

    @Test
    void resumedRunEndsWithTheSameStateAsAnUninterruptedOne() throws Exception {
        TrainCommand.run(spark, config("whole", 8), true);
        TrainCommand.run(spark, config("halves", 4), true);
        Path last = TrainCommand.run(spark, config("halves", 8), true);
        assertTrue(last.toString().endsWith("step-00000008"), last.toString());

        Checkpoint whole = latest("whole");
        Checkpoint halves = latest("halves");
        assertEquals(8, whole.step());
        assertEquals(8, halves.step());
        assertSame("weights", whole.weights(), halves.weights());
        assertSame("optimizer", whole.optimizer(), halves.optimizer());
        for (String label : whole.emas().keySet()) {
            assertSame("ema " + label, whole.emas().get(label), halves.emas().get(label));
        }
    }

    @Test
    void everyCheckpointGetsASampleGridAndLossCurvesOfTheWholeRunAcrossSessions() throws Exception {
        TrainCommand.run(spark, config("previews", 4), true);
        TrainCommand.run(spark, config("previews", 8), true);
        java.nio.file.Path previews = tmp.resolve("runs/previews/previews");
        for (String step : List.of("00000004", "00000008")) {
            BufferedImage grid = ImageIO.read(previews.resolve("step-" + step + "-samples.png").toFile());
            assertTrue(grid.getHeight() >= 5 * 16 * 2, "one row per class (5), 16 px scaled twice: " + grid.getHeight());
            assertTrue(ImageIO.read(previews.resolve("step-" + step + "-losses.png").toFile()).getWidth() > 0);
        }
        MetricsHistory history = MetricsHistory.read(FileSystem.getLocal(new Configuration()),
            new Path(tmp.resolve("runs/previews").toUri()));
        assertEquals(List.of(2L, 4L, 6L, 8L), java.util.Arrays.stream(history.series("mse_V").steps()).boxed().toList(),
            "one line per round of K = 2 steps, from both sessions' metrics files");
    }

    @Test
    void thePerceptualTermIsTrainedOnEveryTaskWithWeightsReadThroughHadoop() throws Exception {
        Fixture f = Fixture.load("lpips.npz");
        java.nio.file.Path weights = tmp.resolve("lpips-small.npz");
        org.pmf.io.Npz.write(weights, f.weightMap(Set.of("input0", "input1", "distance", "width_divisor")), false);
        Config c = config("perceptual", 4)
            .withValue("pmf.perceptual.lpips.enabled", ConfigValueFactory.fromAnyRef(true))
            .withValue("pmf.perceptual.lpips.weights-file", ConfigValueFactory.fromAnyRef(weights.toUri().toString()))
            .withValue("pmf.perceptual.lpips.width-divisor", ConfigValueFactory.fromAnyRef(f.get("width_divisor").getInt(0)))
            .withValue("pmf.perceptual.resolution", ConfigValueFactory.fromAnyRef(32))
            .withValue("pmf.perceptual.max-t", ConfigValueFactory.fromAnyRef(1.0));
        TrainCommand.run(spark, c, true);
        TrainCommand.run(spark, config("without-perceptual", 4), true);

        MetricsHistory history = MetricsHistory.read(FileSystem.getLocal(new Configuration()),
            new Path(tmp.resolve("runs/perceptual").toUri()));
        MetricsHistory.Series perceptual = history.series("loss_perceptual");
        assertEquals(List.of(2L, 4L), java.util.Arrays.stream(perceptual.steps()).boxed().toList(), "every round reports the term");
        for (double v : perceptual.values()) {
            assertTrue(v > 0 && Double.isFinite(v), "loss_perceptual " + v);
        }
        INDArray with = latest("perceptual").weights().values().iterator().next();
        INDArray without = latest("without-perceptual").weights().values().iterator().next();
        assertTrue(with.sub(without).norm2Number().doubleValue() > 0, "the term changes the updates");
    }

    @Test
    void aPerceptualWeightsFileThatDoesNotExistStopsTheDriverNamingTheKey() {
        Config c = config("perceptual-missing", 4)
            .withValue("pmf.perceptual.convnext.enabled", ConfigValueFactory.fromAnyRef(true))
            .withValue("pmf.perceptual.convnext.weights-file", ConfigValueFactory.fromAnyRef(tmp.resolve("nowhere/cnx.npz").toString()));
        ConfigError e = assertThrows(ConfigError.class, () -> TrainCommand.run(spark, c, true));
        assertEquals("pmf.perceptual.convnext.weights-file", e.key());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("runs/perceptual-missing/LATEST")), "nothing was trained");
    }

    @Test
    void startingOverAnExistingRunIsRefusedWithoutResume() throws Exception {
        TrainCommand.run(spark, config("once", 4), true);
        var e = assertThrows(IllegalStateException.class, () -> TrainCommand.run(spark, config("once", 8), false));
        assertTrue(e.getMessage().contains("already holds checkpoints"), e.getMessage());
    }

    @Test
    void checkpointIntervalMustBeAMultipleOfTheLocalSteps() {
        Map<String, String> o = new LinkedHashMap<>();
        Config c = config("bad", 8).withValue("pmf.checkpoint.every-steps",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(3));
        ConfigError e = assertThrows(ConfigError.class, () -> TrainCommand.run(spark, c, true));
        assertEquals("pmf.checkpoint.every-steps", e.key());
    }

    @Test
    void generateWritesAGridOfOneRowPerClassFromTheNewestCheckpointOrAnEma() throws Exception {
        Config c = config("gen", 4);
        TrainCommand.run(spark, c, true);
        java.nio.file.Path png = tmp.resolve("grid.png");
        org.pmf.cli.CommandLine cli = org.pmf.cli.CommandLine.parse("generate", GenerateCommand.OPTIONS,
            new String[] {"--per-class", "3", "--omega", "2", "--ema", "500", "--out", png.toString()});
        GenerateCommand.run(c, cli, new Configuration());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getHeight() >= 5 * 16 * 2 && img.getWidth() >= 3 * 16 * 2,
            img.getWidth() + "x" + img.getHeight());
    }

    @Test
    void evaluateScoresSamplesMadeAcrossTasksExactlyAsASequentialRunWould() throws Exception {
        Config c = config("eval", 4);
        TrainCommand.run(spark, c, true);
        Fixture f = Fixture.load("inception.npz");
        java.nio.file.Path weights = tmp.resolve("inception-small.npz");
        org.pmf.io.Npz.write(weights, f.weightMap(Set.of("input", "pool", "logits", "width_divisor")), false);
        int divisor = f.get("width_divisor").getInt(0);
        // reference statistics of some other feature set, as an ADM reference batch would give
        INDArray other = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 40, 2048 / divisor);
        java.nio.file.Path reference = tmp.resolve("reference.npz");
        FeatureStatistics.of(other).writeNpz(reference);
        Config withInception = c.withValue("pmf.eval.inception.weights-file", ConfigValueFactory.fromAnyRef(weights.toString()))
            .withValue("pmf.eval.inception.width-divisor", ConfigValueFactory.fromAnyRef(divisor))
            .withValue("pmf.eval.inception.reference-stats", ConfigValueFactory.fromAnyRef(reference.toString()))
            .withValue("pmf.eval.inception.splits", ConfigValueFactory.fromAnyRef(2));
        org.pmf.cli.CommandLine cli = org.pmf.cli.CommandLine.parse("evaluate", EvaluateCommand.OPTIONS,
            new String[] {"--per-class", "3", "--chunk-size", "4", "--batch-size", "3", "--omega", "1.5", "--ema", "500"});
        Map<String, Object> figures = EvaluateCommand.run(spark, withInception, cli);
        assertEquals(15L, figures.get("samples"));

        // the same samples made in this thread, chunk by chunk with the chunks' seeds, scored directly
        CheckpointModel model = CheckpointModel.load(c, java.util.Optional.empty(), java.util.Optional.of("500"), new Configuration());
        org.pmf.model.PmfNet net = model.network();
        org.pmf.sample.Sampler sampler = model.sampler(1.5, 0, 1, 1);
        FidInception inception = FidInception.load(f.weightsWithout(Set.of("input", "pool", "logits", "width_divisor")), divisor);
        org.pmf.data.PatchLayout layout = org.pmf.data.PatchLayout.rgb(16, 4);
        List<INDArray> pool = new ArrayList<>();
        List<INDArray> logits = new ArrayList<>();
        for (org.pmf.spark.eval.SampleChunks.Chunk chunk : org.pmf.spark.eval.SampleChunks.chunks(15, 4)) {
            var rng = org.pmf.train.StepSeeds.forStep(0, chunk.index(), 0);
            for (long s = chunk.start(); s < chunk.end(); s += 3) {
                int[] labels = java.util.stream.LongStream.range(s, Math.min(chunk.end(), s + 3)).mapToInt(i -> (int) (i / 3)).toArray();
                INDArray pixels = org.pmf.data.PixelRange.toUint8(sampler.generate(net, labels, rng));
                INDArray nchw = layout.unpatchify(pixels).permute(0, 3, 1, 2).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).divi(255.0);
                FidInception.Outputs o = inception.run(nchw.dup('c'));
                pool.add(o.pool().dup());
                logits.add(o.logits().dup());
            }
        }
        INDArray allPool = Nd4j.concat(0, pool.toArray(INDArray[]::new));
        InceptionScore.Result is = InceptionScore.of(Nd4j.concat(0, logits.toArray(INDArray[]::new)), 2);
        double fid = FrechetDistance.between(FeatureStatistics.of(allPool), FeatureStatistics.readNpz(reference));
        assertEquals(is.mean(), (double) figures.get("inception_score"), 1e-9 * is.mean());
        assertEquals(fid, (double) figures.get("fid"), 1e-6 * fid);
        assertTrue(java.nio.file.Files.readString(java.nio.file.Path.of((String) figures.get("written"))).contains("\"fid\":"),
            "the figures are written as JSON");
    }

    @Test
    void evaluateWithoutInceptionWeightsSaysHowToMakeThem() {
        org.pmf.cli.CommandLine cli = org.pmf.cli.CommandLine.parse("evaluate", EvaluateCommand.OPTIONS, new String[] {});
        ConfigError e = assertThrows(ConfigError.class, () -> EvaluateCommand.run(spark, config("eval-none", 4), cli));
        assertEquals("pmf.eval.inception.weights-file", e.key());
        assertTrue(e.getMessage().contains("convert_perceptual_weights.py inception"), e.getMessage());
    }

    private static void assertSame(String what, Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), what + " " + k);
        }
    }
}
