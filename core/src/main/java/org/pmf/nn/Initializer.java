package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fills a freshly allocated parameter view. Draws come from a Java generator, not ND4J's, so the
 * same seed gives the same weights on every backend (CPU or CUDA).
 */
@FunctionalInterface
public interface Initializer {

    void fill(INDArray view, RandomGenerator rng);

    static Initializer zeros() {
        return (view, rng) -> view.assign(0);
    }

    static Initializer constant(double c) {
        return (view, rng) -> view.assign(c);
    }

    /** N(mean, std^2), drawn in the view's own precision. */
    static Initializer normal(double mean, double std) {
        return (view, rng) -> fill(view, () -> mean + std * rng.nextGaussian());
    }

    /** Xavier (Glorot) uniform for a linear map with the given fan-in and fan-out. */
    static Initializer xavierUniform(long fanIn, long fanOut) {
        return uniform(Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    /** U(-bound, bound). */
    static Initializer uniform(double bound) {
        return (view, rng) -> fill(view, () -> (2 * rng.nextDouble() - 1) * bound);
    }

    /**
     * A normal truncated to +-2 of its own standard deviations, rescaled so the result has standard
     * deviation {@code std} (the scheme of JAX's variance-scaling initialisers, e.g. LeCun-normal).
     */
    static Initializer truncatedNormal(double std) {
        // the standard deviation of N(0, 1) truncated to [-2, 2]
        double truncatedStd = 0.87962566103423978;
        return (view, rng) -> fill(view, () -> {
            double g;
            do {
                g = rng.nextGaussian();
            } while (Math.abs(g) > 2);
            return g * std / truncatedStd;
        });
    }

    /** Fills the view with consecutive draws, in its element order. */
    private static void fill(INDArray view, DoubleSupplier draws) {
        double[] values = new double[Math.toIntExact(view.length())];
        for (int i = 0; i < values.length; i++) {
            values[i] = draws.getAsDouble();
        }
        view.assign(Nd4j.create(values, view.shape(), view.dataType()));
    }
}
