package org.pmf.objective;

import java.util.random.RandomGenerator;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * Draws one (r, t) pair per example (pmf-method.md section 2), in the official code's order:
 * <ol>
 *   <li>t and r i.i.d. logit-normal(mu, sigma): sigmoid(mu + sigma N(0, 1));</li>
 *   <li>with probability {@code uniformFraction} per example, t and r are both replaced by
 *       independent U(0, 1) draws (the long-training recipe), before step 3;</li>
 *   <li>the first round(equalFraction B) examples get r = t (the official code does this per device
 *       batch, so the r = t examples are always the leading ones);</li>
 *   <li>t, r = max(t, r), min(t, r).</li>
 * </ol>
 * The ablations of Table 3b replace step 3: {@link Mode#ONLY_R_EQUALS_T} sets r = t everywhere,
 * {@link Mode#ONLY_R_ZERO} sets r = 0 everywhere, and {@link Mode#TWO_LINES} sets r = t for the
 * first round(equalFraction B) examples and r = 0 for the rest. The paper does not give the mixing
 * ratio of its "r = t and r = 0" ablation; this implementation uses {@code equalFraction} (0.5 by
 * default: half on each line).
 */
public final class TimeSampler {

    /** Which part of the 0 <= r <= t triangle the pairs cover. */
    public enum Mode {
        /** 0 <= r <= t (the paper's sampler). */
        FULL_PLANE,
        /** r = t only: flow matching. */
        ONLY_R_EQUALS_T,
        /** r = 0 only: consistency-model-like. */
        ONLY_R_ZERO,
        /** r = t for a fraction equalFraction of the batch, r = 0 for the rest. */
        TWO_LINES
    }

    /**
     * @param mode            which part of the (r, t) triangle is sampled
     * @param logitMean       mu of the logit-normal (paper 0.8; 0.0 in the long-training recipe)
     * @param logitStd        sigma of the logit-normal (paper 0.8)
     * @param equalFraction   fraction of each batch with r = t (paper 0.5)
     * @param uniformFraction probability that an example's (t, r) is drawn from U(0,1)^2 instead (0; 0.1 long recipe)
     */
    public record Options(Mode mode, double logitMean, double logitStd, double equalFraction, double uniformFraction) implements java.io.Serializable {

        public static final Options PAPER = new Options(Mode.FULL_PLANE, 0.8, 0.8, 0.5, 0.0);

        public Options {
            if (mode == null) {
                throw new IllegalArgumentException("time sampler mode must be given");
            }
            require(Double.isFinite(logitMean) && Math.abs(logitMean) <= 10, "logit-mean", logitMean, "[-10, 10]");
            require(logitStd > 0 && logitStd <= 10, "logit-std", logitStd, "(0, 10]");
            require(equalFraction >= 0 && equalFraction <= 1, "equal-fraction", equalFraction, "[0, 1]");
            require(uniformFraction >= 0 && uniformFraction <= 1, "uniform-fraction", uniformFraction, "[0, 1]");
        }

        /** Reads a {@code pmf.objective.time} section. */
        public static Options fromConfig(ConfigSection s) {
            double std = s.getDouble("logit-std", 0, 10);
            if (std == 0) {
                throw s.invalid("logit-std", std, "must be > 0");
            }
            return new Options(s.getEnum("mode", Mode.class), s.getDouble("logit-mean", -10, 10), std,
                s.getDouble("equal-fraction", 0, 1), s.getDouble("uniform-fraction", 0, 1));
        }

        private static void require(boolean ok, String key, double value, String allowed) {
            if (!ok) {
                throw new ConfigError("pmf.objective.time." + key, "= " + value + " is out of range; allowed: " + allowed);
            }
        }
    }

    /**
     * One batch of times.
     *
     * @param t          per-example t, in [0, 1]
     * @param r          per-example r, with r <= t
     * @param equalTimes per example: whether it was assigned r = t (the "flow-matching" examples,
     *                   whose guidance interval is forced to [0, 1])
     */
    public record Times(double[] t, double[] r, boolean[] equalTimes) {

        public int batch() {
            return t.length;
        }
    }

    private final Options options;

    public TimeSampler(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    public Times sample(int batch, RandomGenerator rng) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        double[] t = new double[batch];
        double[] r = new double[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = logitNormal(rng);
        }
        for (int i = 0; i < batch; i++) {
            r[i] = logitNormal(rng);
        }
        if (options.uniformFraction() > 0) {
            for (int i = 0; i < batch; i++) {
                if (rng.nextDouble() < options.uniformFraction()) {
                    t[i] = rng.nextDouble();
                    r[i] = rng.nextDouble();
                }
            }
        }
        int equal = switch (options.mode()) {
            case ONLY_R_EQUALS_T -> batch;
            case ONLY_R_ZERO -> 0;
            case FULL_PLANE, TWO_LINES -> (int) Math.round(options.equalFraction() * batch);
        };
        boolean[] equalTimes = new boolean[batch];
        for (int i = 0; i < batch; i++) {
            if (i < equal) {
                r[i] = t[i];
                equalTimes[i] = true;
            } else if (options.mode() == Mode.ONLY_R_ZERO || options.mode() == Mode.TWO_LINES) {
                r[i] = 0;
            }
            double hi = Math.max(t[i], r[i]);
            double lo = Math.min(t[i], r[i]);
            t[i] = hi;
            r[i] = lo;
        }
        return new Times(t, r, equalTimes);
    }

    private double logitNormal(RandomGenerator rng) {
        double a = options.logitMean() + options.logitStd() * rng.nextGaussian();
        return 1 / (1 + Math.exp(-a));
    }
}
