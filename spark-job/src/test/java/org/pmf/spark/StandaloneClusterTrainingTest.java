package org.pmf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.config.ConfigLoader;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointStore;
import org.pmf.testing.ImageNetStyleTree;
import org.pmf.testing.S3ProxyServer;
import org.pmf.testing.SparkTestCluster;

/**
 * The system as a user runs it, on real parts: a standalone Spark cluster (a master and two workers,
 * each its own JVM, one executor JVM per worker) and a real S3 server (S3Proxy) on loopback.
 * data-prep writes shards to s3a://; training reads them with two tasks averaged every round and
 * checkpoints to s3a://; one executor JVM is killed mid-training (Spark relaunches it and reruns
 * the lost task); a second driver later resumes the run from LATEST. The checkpoints must equal
 * those of an uninterrupted run of the same configuration in this JVM (local[2], same seeds), since
 * every task recomputes its partition deterministically.
 */
class StandaloneClusterTrainingTest {

    private static final String BUCKET = "pmf-it";

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void trainingSurvivesAKilledExecutorAndAKilledDriverWithTheCheckpointsOfAnUninterruptedRun() throws Exception {
        ImageNetStyleTree tree = ImageNetStyleTree.create(tmp.resolve("imagenet/train"));
        try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"))) {
            s3.createBucket(BUCKET);
            SparkTestCluster cluster = SparkTestCluster.create(tmp.resolve("cluster"));
            Map<String, String> hadoop = new LinkedHashMap<>();
            s3.hadoopProperties().forEach((k, v) -> hadoop.put("spark.hadoop." + k, v));
            try (SparkTestCluster.Standalone standalone = cluster.startStandalone(2, 1, "1536m")) {
                String master = standalone.masterUrl();
                Map<String, String> props = new LinkedHashMap<>(hadoop);
                props.put("spark.executor.memory", "1200m");

                SparkTestCluster.Run prep = cluster.startDriver(master, "org.pmf.dataprep.DataPrepMain", props, List.of(
                    "--input", tree.root().toUri().toString(), "--output", "s3a://" + BUCKET + "/shards",
                    "--image-size", "16", "--patch-size", "4", "--examples-per-shard", "8")).await(300);
                assertEquals(0, prep.exitCode(), prep.output());

                // Driver 1: 16 steps in rounds of 2; one executor is killed once round 3 has been logged.
                SparkTestCluster.Driver first = cluster.startDriver(master, TrainCommand.class.getName(), props, trainArgs(16));
                first.awaitOutput("step 6/16", 600);
                List<ProcessHandle> executors = cluster.runningExecutors();
                assertEquals(2, executors.size(), "one executor JVM per worker before the kill");
                assertTrue(executors.get(0).destroyForcibly(), "killed executor " + executors.get(0).pid());
                SparkTestCluster.Run firstRun = first.await(600);
                assertEquals(0, firstRun.exitCode(), firstRun.output());
                assertTrue(firstRun.output().contains("train: done; newest checkpoint s3a://" + BUCKET + "/runs/cluster/step-00000016"),
                    firstRun.output());
                assertTrue(firstRun.output().contains("Lost executor") || firstRun.output().contains("ExecutorLostFailure"),
                    "the driver saw the executor die:\n" + firstRun.output());
                assertTrue(cluster.executorsThatRanTasks() >= 2, "both workers' executors ran tasks");

                // Driver 2, a new JVM: continues the same run from LATEST to step 24.
                SparkTestCluster.Run second = cluster.startDriver(master, TrainCommand.class.getName(), props, trainArgs(24))
                    .await(600);
                assertEquals(0, second.exitCode(), second.output());
                assertTrue(second.output().contains("resuming s3a://" + BUCKET + "/runs/cluster from step 16"), second.output());
            }

            Configuration conf = new Configuration();
            s3.hadoopProperties().forEach(conf::set);
            CheckpointStore onS3 = CheckpointStore.open("s3a://" + BUCKET + "/runs/cluster", conf);
            assertEquals(List.of(16L, 20L, 24L), onS3.committedSteps(), "keep-last 3 of the checkpoints every 4 steps");
            CheckpointStore reference = uninterruptedReference(s3.hadoopProperties());
            for (long step : List.of(16L, 24L)) {
                Checkpoint expected = reference.load(step);
                Checkpoint actual = onS3.load(step);
                assertSameTensors("step " + step + " weights", expected.weights(), actual.weights());
                assertSameTensors("step " + step + " optimizer", expected.optimizer(), actual.optimizer());
                for (String ema : expected.emas().keySet()) {
                    assertSameTensors("step " + step + " ema " + ema, expected.emas().get(ema), actual.emas().get(ema));
                }
                assertEquals(expected.state().imagesSeen(), actual.state().imagesSeen());
            }
        }
    }

    /** The run's settings as command-line overrides; the shard and run folders are on S3. */
    private static List<String> trainArgs(long steps) {
        List<String> args = new ArrayList<>();
        trainSettings(steps, "s3a://" + BUCKET + "/runs").forEach((k, v) -> args.add("-D" + k + "=" + v));
        return args;
    }

    private static Map<String, String> trainSettings(long steps, String output) {
        Map<String, String> o = new LinkedHashMap<>(TinyTrainingSettings.of("cluster", output, 11, ImageNetStyleTree.CLASSES.size(),
            "s3a://" + BUCKET + "/shards", steps));
        o.put("pmf.checkpoint.keep-last", "3");
        o.put("pmf.preview.classes", "3");
        o.put("pmf.preview.per-class", "2");
        return o;
    }

    /** The same run without faults, in this JVM on local[2] (one native thread per task, as on the workers). */
    private CheckpointStore uninterruptedReference(Map<String, String> s3) throws Exception {
        String output = tmp.resolve("reference-runs").toString();
        SparkConf sc = new SparkConf().setMaster("local[2]").setAppName("uninterrupted reference")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        s3.forEach((k, v) -> sc.set("spark.hadoop." + k, v));
        try (JavaSparkContext spark = new JavaSparkContext(sc)) {
            Map<String, String> settings = trainSettings(24, output);
            settings.put("pmf.checkpoint.keep-last", "100");
            TrainCommand.run(spark, ConfigLoader.load(null, settings), false);
        }
        return CheckpointStore.open(tmp.resolve("reference-runs/cluster").toString(), new Configuration());
    }

    private static void assertSameTensors(String what, Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String k : expected.keySet()) {
            assertFalse(expected.get(k).isEmpty(), what + " " + k);
            assertEquals(expected.get(k), actual.get(k), what + " " + k + " differs from the uninterrupted run");
        }
    }
}
