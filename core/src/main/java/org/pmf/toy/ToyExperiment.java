package org.pmf.toy;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One cell of the toy's table: trains one network of one {@link PredictionKind} at one D and
 * measures two distances, in the plane, between its one-step samples and fresh Swiss-roll points:
 * sliced Wasserstein-2 and the Chamfer (mean nearest-neighbour) distance. x- and u-prediction at the same D see the same lift, initial seed, data,
 * noise and times, so they differ only in what the network outputs.
 */
public final class ToyExperiment {

    /** Steps between explicit garbage collections, which free the native memory of dead arrays. */
    static final int GC_EVERY = 100;

    /** Directions of the sliced Wasserstein distance. */
    public static final int DIRECTIONS = 64;

    /**
     * @param dim        D
     * @param kind       what the network predicts
     * @param distance   sliced W2 between one-step samples and fresh data, in the plane
     * @param chamfer    Chamfer distance between the same two sets
     * @param finalLoss  mean unweighted summed squared error ||V - v_t||^2 over the last 10% of the steps
     * @param seconds    training and sampling time
     * @param samples    the one-step samples in the plane, row-major [n, 2]
     */
    public record Result(int dim, PredictionKind kind, double distance, double chamfer, double finalLoss, double seconds, double[] samples) {
    }

    private ToyExperiment() {
    }

    /** Trains and evaluates one cell, printing the running loss to {@code progress} five times. */
    public static Result run(ToyOptions o, int dim, PredictionKind kind, java.io.PrintStream progress) {
        long start = System.nanoTime();
        Lift lift = Lift.random(dim, new SplittableRandom(o.seed() * 1_000_003L + dim));
        ToyTrainer trainer = new ToyTrainer(kind, lift, o.train(), DataType.FLOAT, o.seed());
        SplittableRandom rng = new SplittableRandom(o.seed() + 17L * dim);
        int tail = Math.max(1, o.steps() / 10);
        double tailLoss = 0;
        for (int s = 0; s < o.steps(); s++) {
            ToyTrainer.Evaluation ev = trainer.step(rng, learningRateScale(s, o.steps()));
            if ((s + 1) % GC_EVERY == 0) {
                // each step leaves ~40 small native arrays to the garbage collector; with a large heap
                // it rarely runs and the process grew to 7-9 GB resident here (bench/toy.md)
                System.gc();
            }
            double loss = ev.meanError();
            if (s >= o.steps() - tail) {
                tailLoss += loss;
            }
            if ((s + 1) % Math.max(1, o.steps() / 5) == 0) {
                progress.printf("    D = %d %s step %d/%d summed squared error %.4f (%.1f s)%n", dim, kind.label(), s + 1, o.steps(), loss,
                    (System.nanoTime() - start) / 1e9);
            }
        }
        SplittableRandom eval = new SplittableRandom(o.seed() + 0x5EEDL);
        double[] samples = trainer.sample(o.evalSamples(), eval);
        double[] data = SwissRoll.sample(o.evalSamples(), eval);
        double distance = SlicedWasserstein.distance(samples, data, DIRECTIONS);
        return new Result(dim, kind, distance, ChamferDistance.distance(samples, data), tailLoss / tail, (System.nanoTime() - start) / 1e9, samples);
    }

    /** Both distances between two independent data sets of the evaluation size: the floors of the measures. */
    public static double[] dataFloor(ToyOptions o) {
        SplittableRandom rng = new SplittableRandom(o.seed() + 0xF100L);
        double[] a = SwissRoll.sample(o.evalSamples(), rng);
        double[] b = SwissRoll.sample(o.evalSamples(), rng);
        return new double[] {SlicedWasserstein.distance(a, b, DIRECTIONS), ChamferDistance.distance(a, b)};
    }

    /** Cosine decay from 1 to 0.1 over the run. */
    static double learningRateScale(int step, int steps) {
        double progress = steps <= 1 ? 1 : step / (double) (steps - 1);
        return 0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
