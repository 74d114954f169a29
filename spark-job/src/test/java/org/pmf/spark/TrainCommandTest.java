package org.pmf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointStore;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.ShardHeader;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardWriter;
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
        Map<String, String> o = new LinkedHashMap<>();
        o.put("pmf.run.name", name);
        o.put("pmf.run.output", tmp.resolve("runs").toString());
        o.put("pmf.run.seed", "3");
        o.put("pmf.model.preset", "tiny");
        o.put("pmf.model.image-size", "16");
        o.put("pmf.model.hidden-size", "32");
        o.put("pmf.model.heads", "2");
        o.put("pmf.model.trunk-depth", "1");
        o.put("pmf.model.head-depth", "1");
        o.put("pmf.model.bottleneck", "24");
        o.put("pmf.model.swiglu-hidden", "40");
        o.put("pmf.model.num-classes", "5");
        o.put("pmf.train.data", tmp.resolve("shards").toString());
        o.put("pmf.train.batch-size", "4");
        o.put("pmf.train.tasks", "2");
        o.put("pmf.train.local-steps", "2");
        o.put("pmf.train.steps", String.valueOf(steps));
        o.put("pmf.checkpoint.every-steps", "4");
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
        assertEquals(List.of(2L, 4L, 6L, 8L), List.copyOf(history.series("mse_V").keySet()),
            "one line per round of K = 2 steps, from both sessions' metrics files");
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

    private static void assertSame(String what, Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), what + " " + k);
        }
    }
}
