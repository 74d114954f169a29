package org.pmf.objective;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * One adaptively weighted squared-error term, as the official code computes each loss term
 * (pmf-method.md section 1.4): per example L_b = sum over all non-batch dims of (V - target)^2,
 * weighted L_b / sg(L_b + c)^p, averaged over the batch. The weight is a constant, so
 * dLoss/dV = 2 (V - target) / ((L_b + c)^p B).
 */
public final class AdaptiveLoss {

    /**
     * @param eps   c in the weight (official 0.01)
     * @param power p in the weight (official 1.0; 0 gives the plain mean of summed squared errors)
     */
    public record Options(double eps, double power) implements java.io.Serializable {

        public static final Options PAPER = new Options(0.01, 1.0);

        public Options {
            if (!(eps > 0 && eps <= 1e3)) {
                throw new ConfigError("pmf.objective.loss.norm-eps", "= " + eps + " is out of range; allowed: (0, 1000]");
            }
            if (!(power >= 0 && power <= 2)) {
                throw new ConfigError("pmf.objective.loss.norm-p", "= " + power + " is out of range; allowed: [0, 2]");
            }
        }

        /** Reads a {@code pmf.objective.loss} section. */
        public static Options fromConfig(ConfigSection s) {
            double eps = s.getDouble("norm-eps", 0, 1e3);
            if (eps == 0) {
                throw s.invalid("norm-eps", eps, "must be > 0");
            }
            return new Options(eps, s.getDouble("norm-p", 0, 2));
        }
    }

    /**
     * @param loss        mean over the batch of the weighted errors
     * @param errors      per-example summed squared errors L_b (unweighted)
     * @param weights     per-example weights 1 / (L_b + c)^p
     * @param gradient    dLoss/dV, shaped like V
     */
    public record Result(double loss, double[] errors, double[] weights, INDArray gradient) {
    }

    private final Options options;

    public AdaptiveLoss(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    public Result evaluate(INDArray prediction, INDArray target) {
        PerExample.checkSameShape(prediction, target);
        INDArray diff = prediction.sub(target).dup('c');
        double[] errors = PerExample.sumOfSquares(diff);
        int b = errors.length;
        double[] weights = new double[b];
        double[] gradScale = new double[b];
        double loss = 0;
        for (int i = 0; i < b; i++) {
            weights[i] = Math.pow(errors[i] + options.eps(), -options.power());
            loss += errors[i] * weights[i];
            gradScale[i] = 2 * weights[i] / b;
        }
        return new Result(loss / b, errors, weights, PerExample.timesInPlace(diff, gradScale));
    }
}
