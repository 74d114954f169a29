package org.pmf.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The x-to-u conversion of pixel MeanFlow (pmf-method.md sections 1.2 and 1.3): a network predicts
 * the denoised image x_hat, and the average velocity is u = (z - x_hat) / d(t) with the divisor
 * d(t) = clip(t, 0.05, 1), with its tangent and backward rules.
 *
 * <p>The divisor's derivative d'(t) is 1 on [0.05, 1] and 0 where the clip is active (t < 0.05 or
 * t > 1); at the kink t = 0.05 the inner branch is taken (a logit-normal t hits it with
 * probability 0).
 */
public final class XPrediction {

    /** The lower clip of t in the divisor (official code). */
    public static final double MIN_DIVISOR = 0.05;

    private XPrediction() {
    }

    public static double divisor(double t) {
        return Math.min(Math.max(t, MIN_DIVISOR), 1.0);
    }

    /** d'(t): 1 where the divisor follows t, 0 where the clip holds it constant. */
    public static double divisorDerivative(double t) {
        return t >= MIN_DIVISOR && t <= 1.0 ? 1.0 : 0.0;
    }

    /** 1 / clip(t_b, 0.05, 1) per example. */
    public static double[] inverseDivisor(double[] t) {
        double[] inv = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            inv[i] = 1 / divisor(t[i]);
        }
        return inv;
    }

    /** u = (z - x_hat) / clip(t, 0.05, 1). */
    public static INDArray averageVelocity(INDArray z, INDArray xHat, double[] t) {
        PerExample.checkSameShape(z, xHat);
        return PerExample.timesInPlace(z.sub(xHat).dup('c'), inverseDivisor(t));
    }

    /**
     * The tangent of u along (z', x_hat', t' = 1), i.e. du/dt of the MeanFlow JVP given the tangents
     * of the network input z and of the network output x_hat:
     * u' = (z' - x_hat' - u d'(t)) / d(t), which is d/dt[(z - x_hat) / d(t)] by the quotient rule.
     */
    public static INDArray averageVelocityTangent(INDArray zDot, INDArray xHatDot, INDArray u, double[] t) {
        PerExample.checkSameShape(zDot, xHatDot);
        PerExample.checkSameShape(zDot, u);
        double[] dPrime = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            dPrime[i] = -divisorDerivative(t[i]);
        }
        INDArray numerator = PerExample.addTimesInPlace(zDot.sub(xHatDot).dup('c'), u, dPrime);
        return PerExample.timesInPlace(numerator, inverseDivisor(t));
    }

    /** dL/dx_hat = -dL/du / clip(t, 0.05, 1): the backward rule of u with respect to the network output. */
    public static INDArray denoisedGradient(INDArray dU, double[] t) {
        double[] inv = inverseDivisor(t);
        for (int i = 0; i < inv.length; i++) {
            inv[i] = -inv[i];
        }
        return PerExample.times(dU, inv);
    }

    /**
     * The generalised denoised image x = z - t u (paper Eq. 8), as the official code forms the
     * perceptual-loss input; it equals x_hat wherever t >= 0.05.
     */
    public static INDArray denoised(INDArray z, INDArray u, double[] t) {
        double[] minusT = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            minusT[i] = -t[i];
        }
        return PerExample.addTimesInPlace(z.dup('c'), u, minusT);
    }
}
