package org.pmf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.config.ConfigLoader;
import org.pmf.data.FashionMnist;
import org.pmf.eval.FmnistClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointStore;
import org.pmf.io.Json;

/** The local Fashion-MNIST command end to end, on a very small network and evaluation. */
@EnabledIf("datasetInstalled")
class TrainFashionMnistTest {

    @TempDir
    Path tmp;

    static boolean datasetInstalled() {
        return Files.isDirectory(FashionMnist.DEFAULT_DIR);
    }

    /** A 2-step run of a one-block-per-part network, scored with an untrained (but fixed) classifier. */
    private Config config(String extra) throws IOException {
        Path classifier = tmp.resolve("classifier.npz");
        if (!Files.exists(classifier)) {
            FmnistClassifier.initialised(3).save(classifier);
        }
        Path conf = tmp.resolve("test.conf");
        Files.writeString(conf, String.join("\n",
            "pmf.run { output = \"" + tmp.resolve("runs") + "\", name = small-test }",
            "pmf.model { preset = tiny, hidden-size = 32, heads = 2, trunk-depth = 1, head-depth = 1, swiglu-hidden = 48 }",
            "pmf.train { batch-size = 4, steps = 2, local-steps = 1 }",
            "pmf.ema.half-lives-kimg = [500]",
            "pmf.eval { classifier-file = \"" + classifier + "\", reference-images = 200 }",
            "pmf.local { train-images = 40, progress-every = 1, eval { samples = 20, omegas = [1.0, 2.5], ema-half-life-kimg = 500 } }",
            extra));
        return ConfigLoader.load(conf, Map.of());
    }

    @Test
    void twoStepsThenAnEvaluationWriteMetricsAGridAndACheckpoint() throws IOException {
        List<String> log = new java.util.ArrayList<>();
        TrainFashionMnist.Outcome o = TrainFashionMnist.run(config(""), TrainFashionMnist.Parts.TRAIN_AND_EVALUATE, log::add);

        assertEquals(2, o.steps());
        assertEquals(8, o.imagesSeen());
        assertEquals(2, o.evaluation().scales().size());
        Path run = tmp.resolve("runs/small-test");
        Map<?, ?> report = (Map<?, ?>) Json.parse(Files.readString(run.resolve(EvaluationReport.METRICS_FILE)));
        assertEquals(2L, report.get("step"));
        assertEquals("ema-500", report.get("weights"));
        List<?> scales = (List<?>) report.get("scales");
        assertEquals(2, scales.size());
        for (Object s : scales) {
            double accuracy = (Double) ((Map<?, ?>) s).get("class_accuracy");
            assertTrue(accuracy >= 0 && accuracy <= 1, s.toString());
        }
        assertTrue(List.of(1.0, 2.5).contains(((Map<?, ?>) report.get("best")).get("omega")), report.toString());
        java.awt.image.BufferedImage grid = ImageIO.read(run.resolve(EvaluationReport.GRID_FILE).toFile());
        assertTrue(grid.getHeight() > 10 * 2 * 32 && grid.getWidth() > 2 * 2 * 32, grid.getWidth() + "x" + grid.getHeight());
        assertEquals(2, Files.readAllLines(run.resolve(org.pmf.report.MetricsHistory.fileName(0))).size());
        assertTrue(Files.exists(run.resolve("step-00000002")), "a checkpoint at the end");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("step 2/2")), log.toString());
    }

    @Test
    void aSecondRunContinuesFromTheCheckpointAndEvaluateOnlyTrainsNothing() throws IOException {
        TrainFashionMnist.run(config(""), TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });
        Path run = tmp.resolve("runs/small-test");
        assertTrue(Files.notExists(run.resolve(EvaluationReport.METRICS_FILE)), "train-only writes no evaluation");

        TrainFashionMnist.Outcome more = TrainFashionMnist.run(config("pmf.train.steps = 3"), TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });
        assertEquals(3, more.steps(), "continued from step 2 to 3");

        TrainFashionMnist.Outcome evaluated = TrainFashionMnist.run(config("pmf.train.steps = 3"), TrainFashionMnist.Parts.EVALUATE_ONLY,
            line -> { });
        assertEquals(3, evaluated.steps());
        assertEquals(0.0, evaluated.trainSeconds());
        assertTrue(Files.exists(run.resolve(EvaluationReport.METRICS_FILE)));
    }

    /** Two workers draw differently from one, but the same way every time: a resumed run equals an uninterrupted one. */
    @Test
    void aRunOnTwoWorkerThreadsResumesToTheWeightsOfAnUninterruptedOne() throws IOException {
        String twoWorkers = "pmf.local.threads = 2\n";
        TrainFashionMnist.run(config(twoWorkers + "pmf.run.name = straight\npmf.train.steps = 3"), TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });
        TrainFashionMnist.run(config(twoWorkers + "pmf.run.name = resumed\npmf.train.steps = 2"), TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });
        TrainFashionMnist.run(config(twoWorkers + "pmf.run.name = resumed\npmf.train.steps = 3"), TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });
        TrainFashionMnist.run(config("pmf.local.threads = 1\npmf.run.name = one-worker\npmf.train.steps = 3"),
            TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });

        Map<String, INDArray> straight = latestWeights("straight");
        Map<String, INDArray> resumed = latestWeights("resumed");
        Map<String, INDArray> oneWorker = latestWeights("one-worker");
        assertEquals(straight.keySet(), resumed.keySet());
        boolean differsFromOneWorker = false;
        for (String name : straight.keySet()) {
            assertEquals(straight.get(name), resumed.get(name), name);
            differsFromOneWorker |= !straight.get(name).equals(oneWorker.get(name));
        }
        assertTrue(differsFromOneWorker, "two workers took the one-worker path");
    }

    private Map<String, INDArray> latestWeights(String runName) throws IOException {
        Checkpoint c = CheckpointStore.open(tmp.resolve("runs").resolve(runName).toString(), new org.apache.hadoop.conf.Configuration())
            .loadLatest().orElseThrow();
        assertEquals(3, c.step(), runName);
        return c.weights();
    }

    @Test
    void aSpentTimeBudgetEndsTrainingNormallyBeforeTheStepCount() throws IOException {
        TrainFashionMnist.Outcome o = TrainFashionMnist.run(config("pmf.train.steps = 100000\npmf.local.budget-minutes = 0.01"),
            TrainFashionMnist.Parts.TRAIN_ONLY, line -> { });
        // 0.6 s: the first batch is drawn at once, so at least one step runs
        assertTrue(o.steps() >= 1 && o.steps() < 100000, "steps " + o.steps());
        assertTrue(Files.exists(tmp.resolve("runs/small-test/LATEST")), "the normal end is checkpointed");
    }
}
