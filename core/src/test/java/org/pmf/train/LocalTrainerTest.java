package org.pmf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.config.ConfigLoader;
import org.pmf.io.CheckpointPolicy;
import org.pmf.io.CheckpointStore;
import org.pmf.io.Json;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.ParamSet;
import org.pmf.optim.Ema;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.Optimizer;
import org.pmf.optim.OptimizerConfig;

/** The loop and its listeners on a real model: least squares through {@link Linear}'s backward rule. */
class LocalTrainerTest {

    @TempDir
    java.nio.file.Path tmp;

    static final long SEED = 17;
    static final int BATCH = 16;
    static final String CONFIG = ConfigLoader.renderWithoutSecrets(ConfigFactory.parseString("pmf { run { name = t } }"));

    record Batch(INDArray x, INDArray y) {
    }

    /** A model y = x W + b fitted to a fixed random linear map, one fresh batch per step. */
    static final class Regression {
        final ParamSet params;
        final Linear layer;
        final INDArray trueW = Nd4j.linspace(DataType.FLOAT, -1, 0.05, 24).reshape(6, 4);

        Regression(long initSeed) {
            ParamSet.Builder b = new ParamSet.Builder(DataType.FLOAT);
            layer = new Linear(b, "fc", 6, 4, Initializer.xavierUniform(6, 4), true);
            params = b.build(initSeed);
        }

        /** The batch of step {@code step}, from the run seed only: a resumed run sees the same data. */
        Batch batch(long step) {
            RandomGenerator rng = StepSeeds.forStep(SEED, step, 0);
            float[] x = new float[BATCH * 6];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            INDArray xs = Nd4j.create(x, new long[] {BATCH, 6});
            return new Batch(xs, xs.mmul(trueW).addi(0.5));
        }

        Map<String, Double> step(Batch b) {
            INDArray diff = layer.forward(b.x()).subi(b.y());
            double loss = diff.mul(diff).sumNumber().doubleValue() / BATCH;
            layer.backward(b.x(), diff.mul(2.0 / BATCH));
            return Map.of("loss", loss);
        }

        Iterator<Batch> batches(TrainingContext ctx) {
            return new Iterator<>() {
                public boolean hasNext() {
                    return true;
                }

                public Batch next() {
                    return batch(ctx.step());
                }
            };
        }
    }

    static OptimizerConfig optimizer() {
        return optimizer(2e-2);
    }

    static OptimizerConfig optimizer(double lr) {
        return new OptimizerConfig(OptimizerConfig.Kind.MUON_ADAMW, lr, 0, 1e-8, 0.95, true, 5,
                OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.95, true, 0.0);
    }

    static final EmaConfig EMA = new EmaConfig(List.of(0.05, 0.2), 0.05);

    @Test
    void lossFallsAndEveryListenerSeesEveryStep() throws IOException {
        Regression m = new Regression(1);
        TrainingContext ctx = new TrainingContext(m.params, new Optimizer(optimizer(0.1), m.params), BATCH, 60, SEED);
        Ema ema = new Ema(EMA, BATCH, m.params.values());
        List<String> progress = new ArrayList<>();
        Path metrics = new Path(tmp.resolve("metrics.jsonl").toUri());
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        double first = m.step(m.batch(0)).get("loss");
        m.params.zeroGrads();
        new LocalTrainer<Batch>(m::step, List.of(new EmaListener(ema), new ProgressListener(20, progress::add),
                new MetricsListener(fs, metrics)), 3).fit(ctx, m.batches(ctx));

        assertEquals(60, ctx.step());
        assertEquals(60L * BATCH, ctx.imagesSeen());
        List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
        assertEquals(60, lines.size());
        double last = 0;
        for (int i = 0; i < lines.size(); i++) {
            Map<?, ?> row = (Map<?, ?>) Json.parse(lines.get(i));
            assertEquals((long) i + 1, row.get("step"));
            assertEquals((long) (i + 1) * BATCH, row.get("images_seen"));
            assertEquals(Set.of("step", "images_seen", "elapsed_s", "learning_rate", "loss"), row.keySet());
            last = (Double) row.get("loss");
        }
        assertTrue(last < 0.05 * first, "loss " + first + " -> " + last);
        assertEquals(3, progress.size(), progress.toString());
        assertTrue(progress.get(2).matches("step 60/60 \\| 960 img \\| [0-9.]+ img/s \\| loss [0-9.]+ \\| lr 1\\.0e-01 \\| ETA 0:00:00"),
                progress.get(2));
        assertFalse(ema.average(0.05).equals(m.params.values()), "EMA lags the parameters");
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRunBitForBit() throws IOException {
        Regression straight = new Regression(1);
        TrainingContext a = new TrainingContext(straight.params, new Optimizer(optimizer(), straight.params), BATCH, 8, SEED);
        Ema emaA = new Ema(EMA, BATCH, straight.params.values());
        new LocalTrainer<Batch>(straight::step, List.of(new EmaListener(emaA)), 1).fit(a, straight.batches(a));

        CheckpointStore store = CheckpointStore.open(tmp.resolve("runs/t").toUri().toString(), new Configuration());
        CheckpointPolicy policy = new CheckpointPolicy(3, 2, 0);
        Regression first = new Regression(1);
        TrainingContext b = new TrainingContext(first.params, new Optimizer(optimizer(), first.params), BATCH, 5, SEED);
        Ema emaB = new Ema(EMA, BATCH, first.params.values());
        new LocalTrainer<Batch>(first::step, List.of(new EmaListener(emaB), new CheckpointListener(store, policy, emaB, CONFIG)), 1)
                .fit(b, first.batches(b));
        assertEquals(List.of(3L, 5L), store.committedSteps(), "every 3 steps plus the end");

        Regression resumed = new Regression(99);
        TrainingContext c = new TrainingContext(resumed.params, new Optimizer(optimizer(), resumed.params), BATCH, 8, SEED);
        Ema emaC = new Ema(EMA, BATCH, resumed.params.values());
        TrainingSnapshot.restore(store.loadLatest().orElseThrow(), c, emaC);
        assertEquals(5, c.step());
        assertEquals(5L * BATCH, c.imagesSeen());
        new LocalTrainer<Batch>(resumed::step, List.of(new EmaListener(emaC), new CheckpointListener(store, policy, emaC, CONFIG)), 1)
                .fit(c, resumed.batches(c));

        assertEquals(straight.params.values(), resumed.params.values());
        assertEquals(a.optimizer().state().firstMoment(), c.optimizer().state().firstMoment());
        assertEquals(a.optimizer().state().secondMoment(), c.optimizer().state().secondMoment());
        assertEquals(a.optimizer().state().count(), c.optimizer().state().count());
        for (double h : EMA.halfLivesKimg()) {
            assertEquals(emaA.average(h), emaC.average(h));
        }
        assertEquals(List.of(6L, 8L), store.committedSteps(), "keep-last 2");
    }

    @Test
    void nonFiniteStepsNeverReachTheWeightsAndTooManyInARowStopTraining() throws IOException {
        Regression m = new Regression(1);
        TrainingContext ctx = new TrainingContext(m.params, new Optimizer(optimizer(), m.params), BATCH, 20, SEED);
        CheckpointStore store = CheckpointStore.open(tmp.resolve("runs/nan").toUri().toString(), new Configuration());
        List<INDArray> afterEachCall = new ArrayList<>();
        int[] calls = {0};
        TrainingStep<Batch> flaky = batch -> {
            calls[0]++;
            Map<String, Double> metrics = m.step(batch);
            // calls 3 and 5..7 fail: one isolated failure is skipped, three in a row stop training
            boolean fail = calls[0] == 3 || calls[0] >= 5;
            afterEachCall.add(m.params.values().dup());
            return fail ? Map.of("loss", Double.NaN) : metrics;
        };
        List<String> progress = new ArrayList<>();
        LocalTrainer<Batch> trainer = new LocalTrainer<>(flaky, List.of(new ProgressListener(1, progress::add),
                new CheckpointListener(store, new CheckpointPolicy(0, 1, 0), null, CONFIG)), 3);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.fit(ctx, m.batches(ctx)));
        assertTrue(e.getMessage().contains("3 consecutive"), e.getMessage());
        assertEquals(3, ctx.step(), "calls 1, 2 and 4 were applied");
        assertEquals(7, calls[0]);
        assertEquals(afterEachCall.get(6), m.params.values(), "no failed step changed the weights");
        assertTrue(progress.get(2).contains("SKIPPED"), progress.toString());
        assertEquals(List.of(), store.committedSteps(), "a training that failed is not checkpointed at the end");
    }
}
