package org.pmf.toy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.parallel.Workers;
import org.pmf.nn.Buffers;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/**
 * The paper's toy finding (pmf-method.md section 5.10) on a reduced run at the two ends,
 * D = 2 and D = 512: with the same v-loss, x-prediction's one-step samples are closer to the Swiss
 * roll than u-prediction's at D = 512, and the two are alike at D = 2.
 *
 * <p>Reduced size (bench/toy.md gives the measurements and the seeds checked with ToySeedSweep):
 * fewer steps, a narrower MLP and fewer evaluation samples than the full table of the toy
 * command. A narrower MLP keeps the paper's regime at D = 512 (the network is narrower than D, so
 * it cannot pass the noise through). The second test pins the root cause of the original toy's
 * collapse at the paper's size.
 */
class ToyReproductionTest {

    /** Reduced size: see bench/toy.md for the seeds checked with these values (ToySeedSweep). */
    static final int STEPS = 1500;
    static final int HIDDEN = 128;
    static final int BATCH = 128;
    static final int EVAL_SAMPLES = 1000;
    static final int HIGH_D = 512;
    /**
     * The least u/x Chamfer ratio asserted at D = 512. The full table's goal is 3 (met there with
     * 3.00); the reduced run is rougher: 2.19-2.34 over seeds 0-3 with the default LeCun-normal
     * hidden layers (1.72-1.99 with He-normal before).
     */
    static final double MIN_HIGH_D_RATIO = 1.5;

    private static Workers oneThread;

    /**
     * One native thread: on a shared 2-core machine OpenMP spinning makes 2 threads ~10x slower
     * (bench/toy.md); BLAS too, whatever OMP_NUM_THREADS says: one thread keeps the float sums, and
     * so the numbers in bench/toy.md, the same on every machine.
     */
    @BeforeAll
    static void oneThread() {
        oneThread = Workers.withSingleThreadedOps(1);
    }

    @AfterAll
    static void restoreThreads() {
        oneThread.close();
    }

    /** x- and u-prediction trained at one D. */
    record Pair(ToyExperiment.Result x, ToyExperiment.Result u) {

        /** u-prediction's Chamfer distance over x-prediction's: above 1 when x-prediction is closer to the data. */
        double chamferRatio() {
            return u.chamfer() / x.chamfer();
        }

        /** The same ratio for sliced W2. */
        double sw2Ratio() {
            return u.distance() / x.distance();
        }

        @Override
        public String toString() {
            return String.format("D = %d: SW2 x %.4f u %.4f (u/x %.2f), Chamfer x %.4f u %.4f (u/x %.2f)", x.dim(), x.distance(),
                u.distance(), sw2Ratio(), x.chamfer(), u.chamfer(), chamferRatio());
        }
    }

    /** The two ends of the paper's table. */
    record Finding(Pair low, Pair high) {

        @Override
        public String toString() {
            return low + "; " + high;
        }
    }

    static ToyOptions reduced(ToyOptions base, int steps, int hidden, int batch, int evalSamples) {
        return base.withSteps(steps).withEvalSamples(evalSamples).withTrain(base.train().withHidden(hidden).withBatch(batch));
    }

    /** Trains the four cells, {@code o.parallelCells()} at a time (the results do not depend on it). */
    static Finding measure(ToyOptions o, int lowD, int highD) {
        List<ToyExperiment.Result> r = ToyCells.run(o.withDims(List.of(lowD, highD)), o.parallelCells(), System.out, done -> { });
        return new Finding(new Pair(r.get(0), r.get(1)), new Pair(r.get(2), r.get(3)));
    }

    /** Within a factor of 2 of each other, either way round. */
    static boolean withinTwofold(double a, double b) {
        return Math.max(a, b) <= 2 * Math.min(a, b);
    }

    @Test
    void xPredictionBeatsUPredictionAtD512AndMatchesItAtD2() {
        var config = ConfigLoader.load(null, Map.of());
        ToyOptions o = reduced(ToyOptions.fromConfig(ConfigSection.of(config, "pmf.toy")), STEPS, HIDDEN, BATCH, EVAL_SAMPLES)
            .withDims(List.of(2, HIGH_D));
        Finding f = measure(o, 2, HIGH_D);
        System.out.println("toy reproduction: " + f);
        // Chamfer, not sliced W2, decides "wins" at D = 512: u-prediction's one-step samples there are a
        // Gaussian blob with about the roll's covariance, which sliced W2 rates as well as x-prediction's
        // roll with its outer arm under-filled (full table: SW2 u/x 0.88, Chamfer u/x 3.00; bench/toy.md)
        assertTrue(f.high().chamferRatio() > 1, "x-prediction's Chamfer distance should be below u-prediction's at D = " + HIGH_D + ": " + f);
        // by a clear margin, not just below: seeds 0-3 gave u/x 2.19-2.34 at this reduced size (bench/toy.md)
        assertTrue(f.high().chamferRatio() > MIN_HIGH_D_RATIO, "at D = " + HIGH_D + " x-prediction's Chamfer distance should be at least "
            + MIN_HIGH_D_RATIO + "x below u-prediction's: " + f);
        assertTrue(withinTwofold(f.low().x().chamfer(), f.low().u().chamfer()), "at D = 2 the two Chamfer distances should be within 2x: " + f);
        assertTrue(withinTwofold(f.low().x().distance(), f.low().u().distance()), "at D = 2 the two sliced W2 should be within 2x: " + f);
    }

    /**
     * The root cause of the original toy's collapse at D = 512 (bench/toy.md): with a randomly
     * initialised output layer (and the original He-normal hidden layers), x-prediction switches off every ReLU of its last hidden layer within
     * ~100 steps and its one-step samples become one point; with the output layer at zero
     * (the official initialisation) the layer stays alive. Same seed, data and settings otherwise.
     */
    @Test
    void originalToyCollapsesBecauseItsLastHiddenLayerDies() {
        var config = ConfigLoader.load(null, Map.of());
        // the original toy's He-normal hidden layers: with LeCun-normal ones (today's default) a
        // random output layer silences only part of the last hidden layer (bench/toy.md, third investigation)
        ToyTrainer.Settings t = ToyOptions.fromConfig(ConfigSection.of(config, "pmf.toy")).train().withHiddenInit(HiddenInit.HE_NORMAL);
        // samples from the live weights (no moving average, which would still hold the initial ones)
        ToyTrainer.Settings fixed = t.withOutputLayer(true).withEmaDecay(0);
        ToyTrainer.Settings xavier = t.withOutputLayer(false).withEmaDecay(0);
        double[] collapsed = deadFractionAndSpread(xavier, 150);
        double[] alive = deadFractionAndSpread(fixed, 150);
        System.out.printf("D = 512 after 150 steps: Xavier output layer: %.2f of the last hidden layer dead, one-step spread %.4f; "
            + "zero output layer: %.2f dead, spread %.4f%n", collapsed[0], collapsed[1], alive[0], alive[1]);
        assertTrue(collapsed[0] > 0.95 && collapsed[1] < 0.05, "Xavier output layer: expected a dead last layer and collapsed samples, got "
            + collapsed[0] + " dead, spread " + collapsed[1]);
        assertTrue(alive[0] < 0.8 && alive[1] > 0.2, "zero output layer: expected a live last layer and spread samples, got "
            + alive[0] + " dead, spread " + alive[1]);
    }

    /** After training x-prediction at D = 512: the last hidden layer's never-active fraction on a batch, and the samples' RMS spread. */
    private static double[] deadFractionAndSpread(ToyTrainer.Settings settings, int steps) {
        ToyTrainer trainer = new ToyTrainer(PredictionKind.X_PREDICTION, Lift.random(512, new SplittableRandom(3)), settings, DataType.FLOAT, 0);
        SplittableRandom rng = new SplittableRandom(4);
        for (int s = 0; s < steps; s++) {
            trainer.step(rng, 1.0);
        }
        ToyTrainer.Batch b = trainer.drawBatch(rng);
        List<INDArray> masks = trainer.net().forward(b.z(), b.t(), b.h(), new Buffers()).masks();
        INDArray everActive = masks.get(masks.size() - 1).max(0);
        double dead = 1 - everActive.sumNumber().doubleValue() / everActive.length();
        double[] xy = trainer.sample(500, new SplittableRandom(5));
        double mx = 0;
        double my = 0;
        for (int i = 0; i < xy.length; i += 2) {
            mx += xy[i];
            my += xy[i + 1];
        }
        mx /= xy.length / 2.0;
        my /= xy.length / 2.0;
        double var = 0;
        for (int i = 0; i < xy.length; i += 2) {
            var += (xy[i] - mx) * (xy[i] - mx) + (xy[i + 1] - my) * (xy[i + 1] - my);
        }
        return new double[] {dead, Math.sqrt(var / (xy.length / 2.0))};
    }
}
