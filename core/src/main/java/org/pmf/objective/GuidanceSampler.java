package org.pmf.objective;

import java.util.random.RandomGenerator;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * The training-time draws of classifier-free guidance folded into training (pmf-method.md
 * section 1.5, iMF style, as the official code does them): one guidance scale omega per example,
 * one guidance interval [t_min, t_max] per example, and class dropout.
 */
public final class GuidanceSampler {

    /**
     * @param maxScale       omega_max: omega lies in [1, 1 + omega_max] (official 7.0)
     * @param beta           omega has density proportional to omega^-beta (1 for B; see pmf-method.md section 8.2)
     * @param classDropout   probability p of the null label; n_drop = #{U(0,1) < p} leading examples are dropped (0.1)
     */
    public record Options(double maxScale, double beta, double classDropout) implements java.io.Serializable {

        public static final Options PAPER = new Options(7.0, 1.0, 0.1);

        public Options {
            require(maxScale >= 0 && maxScale <= 100, "max-scale", maxScale, "[0, 100]");
            require(beta >= 0 && beta <= 10, "beta", beta, "[0, 10]");
            require(classDropout >= 0 && classDropout <= 1, "class-dropout", classDropout, "[0, 1]");
        }

        /** Reads a {@code pmf.objective.guidance} section. */
        public static Options fromConfig(ConfigSection s) {
            return new Options(s.getDouble("max-scale", 0, 100), s.getDouble("beta", 0, 10),
                s.getDouble("class-dropout", 0, 1));
        }

        private static void require(boolean ok, String key, double value, String allowed) {
            if (!ok) {
                throw new ConfigError("pmf.objective.guidance." + key, "= " + value + " is out of range; allowed: " + allowed);
            }
        }
    }

    /** Per-example guidance interval bounds. */
    public record Intervals(double[] tMin, double[] tMax) {
    }

    private final Options options;

    public GuidanceSampler(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /**
     * omega by inverting the CDF of density proportional to omega^-beta on [1, M], M = 1 + omega_max,
     * from u ~ U(0,1): omega = M^u for beta = 1, else (1 + u (M^(1-beta) - 1))^(1/(1-beta)).
     */
    public double[] sampleScales(int batch, RandomGenerator rng) {
        double m = 1 + options.maxScale();
        double beta = options.beta();
        double[] w = new double[batch];
        for (int i = 0; i < batch; i++) {
            double u = rng.nextDouble();
            w[i] = beta == 1.0
                ? Math.pow(m, u)
                : Math.pow(1 + u * (Math.pow(m, 1 - beta) - 1), 1 / (1 - beta));
        }
        return w;
    }

    /** t_min ~ U[0, 0.5], t_max ~ U[0.5, 1]; forced to [0, 1] for the r = t examples. */
    public Intervals sampleIntervals(boolean[] equalTimes, RandomGenerator rng) {
        int batch = equalTimes.length;
        double[] tMin = new double[batch];
        double[] tMax = new double[batch];
        for (int i = 0; i < batch; i++) {
            tMin[i] = 0.5 * rng.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            tMax[i] = 0.5 + 0.5 * rng.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            if (equalTimes[i]) {
                tMin[i] = 0;
                tMax[i] = 1;
            }
        }
        return new Intervals(tMin, tMax);
    }

    /** n_drop = #{U(0,1) < p} over the batch: the number of leading examples that get the null label. */
    public int sampleDropCount(int batch, RandomGenerator rng) {
        int n = 0;
        for (int i = 0; i < batch; i++) {
            if (rng.nextDouble() < options.classDropout()) {
                n++;
            }
        }
        return n;
    }

    /** The labels with the first {@code dropCount} replaced by the null label, which is index numClasses. */
    public static int[] dropLabels(int[] labels, int dropCount, int numClasses) {
        if (dropCount < 0 || dropCount > labels.length) {
            throw new IllegalArgumentException("drop count " + dropCount + " outside [0, " + labels.length + "]");
        }
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0 || out[i] >= numClasses) {
                throw new IllegalArgumentException("label " + out[i] + " of example " + i + " is outside [0, " + numClasses + ")");
            }
            if (i < dropCount) {
                out[i] = numClasses;
            }
        }
        return out;
    }
}
