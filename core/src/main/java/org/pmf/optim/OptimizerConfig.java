package org.pmf.optim;

import java.util.List;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * Settings of the parameter update (pmf-method.md section 4.1), read from {@code pmf.optimizer}.
 *
 * @param kind            which optimizer updates which parameters
 * @param learningRate    peak learning rate (paper: constant 1e-3)
 * @param warmupSteps     updates over which the rate rises linearly from 0 to the peak (paper: 0)
 * @param eps             denominator guard of Adam and of the Newton-Schulz normalisation (optax: 1e-8 for both)
 * @param muonBeta        Muon momentum decay (0.95)
 * @param muonNesterov    Nesterov momentum in Muon (optax default: true)
 * @param nsSteps         Newton-Schulz iterations (5)
 * @param nsCoefficients  the quintic's (a, b, c): (3.4445, -4.7750, 2.0315)
 * @param adamBeta1       Adam first-moment decay (0.9)
 * @param adamBeta2       Adam second-moment decay (0.95, the paper's adam_b2)
 * @param adamNesterov    Nesterov first moment in Adam (current optax's muon passes nesterov=true to its AdamW)
 * @param adamWeightDecay decoupled weight decay of the Adam part, multiplied by the learning rate (0)
 */
public record OptimizerConfig(Kind kind, double learningRate, long warmupSteps, double eps,
                              double muonBeta, boolean muonNesterov, int nsSteps, NsCoefficients nsCoefficients,
                              double adamBeta1, double adamBeta2, boolean adamNesterov, double adamWeightDecay) implements java.io.Serializable {

    /** Which optimizer family each {@link org.pmf.nn.Param.Role} gets. */
    public enum Kind {
        /** Muon for {@code MATRIX} parameters, AdamW for {@code OTHER}: the paper's setting. */
        MUON_ADAMW,
        /** AdamW for every parameter (an ablation; with adam nesterov off and no decay it is textbook Adam). */
        ADAM
    }

    /** The quintic Newton-Schulz step X <- a X + (b A + c A^2) X with A = X X^T. */
    public record NsCoefficients(double a, double b, double c) implements java.io.Serializable {
        public static final NsCoefficients MUON_DEFAULT = new NsCoefficients(3.4445, -4.7750, 2.0315);
    }

    public OptimizerConfig {
        check(learningRate > 0 && learningRate <= 10, "learning-rate", learningRate, "(0, 10]");
        check(warmupSteps >= 0, "warmup-steps", warmupSteps, ">= 0");
        check(eps > 0 && eps <= 1, "eps", eps, "(0, 1]");
        check(muonBeta >= 0 && muonBeta < 1, "muon.beta", muonBeta, "[0, 1)");
        check(nsSteps >= 1 && nsSteps <= 100, "muon.ns-steps", nsSteps, "[1, 100]");
        check(adamBeta1 >= 0 && adamBeta1 < 1, "adam.beta1", adamBeta1, "[0, 1)");
        check(adamBeta2 >= 0 && adamBeta2 < 1, "adam.beta2", adamBeta2, "[0, 1)");
        check(adamWeightDecay >= 0 && adamWeightDecay <= 1, "adam.weight-decay", adamWeightDecay, "[0, 1]");
        if (kind == null || nsCoefficients == null) {
            throw new ConfigError("pmf.optimizer", "kind and muon.ns-coefficients must be given");
        }
    }

    /** The paper's setting: Muon + AdamW, constant 1e-3, optax's defaults otherwise. */
    public static OptimizerConfig paperDefaults() {
        return new OptimizerConfig(Kind.MUON_ADAMW, 1e-3, 0, 1e-8, 0.95, true, 5, NsCoefficients.MUON_DEFAULT,
                0.9, 0.95, true, 0.0);
    }

    public static OptimizerConfig fromConfig(ConfigSection s) {
        ConfigSection muon = s.section("muon");
        ConfigSection adam = s.section("adam");
        List<Double> abc = muon.getDoubleList("ns-coefficients", -100, 100);
        if (abc.size() != 3) {
            throw muon.invalid("ns-coefficients", abc, "exactly three numbers (a, b, c)");
        }
        return new OptimizerConfig(
                s.getEnum("kind", Kind.class),
                s.getDouble("learning-rate", Double.MIN_NORMAL, 10),
                s.getLong("warmup-steps", 0, Long.MAX_VALUE),
                s.getDouble("eps", Double.MIN_NORMAL, 1),
                muon.getDouble("beta", 0, 0.999999),
                muon.getBoolean("nesterov"),
                muon.getInt("ns-steps", 1, 100),
                new NsCoefficients(abc.get(0), abc.get(1), abc.get(2)),
                adam.getDouble("beta1", 0, 0.999999),
                adam.getDouble("beta2", 0, 0.999999),
                adam.getBoolean("nesterov"),
                adam.getDouble("weight-decay", 0, 1));
    }

    /**
     * The learning rate of the update that follows {@code completedSteps} earlier updates: like
     * optax's linear warm-up schedule evaluated at its count, 0 for the very first update when
     * there is a warm-up, the peak from update {@code warmupSteps} on.
     */
    public double learningRateAt(long completedSteps) {
        if (completedSteps >= warmupSteps) {
            return learningRate;
        }
        return learningRate * completedSteps / warmupSteps;
    }

    private static void check(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new ConfigError("pmf.optimizer." + key, "= " + value + " is out of range; allowed: " + allowed);
        }
    }
}
