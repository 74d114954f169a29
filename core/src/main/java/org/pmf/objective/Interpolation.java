package org.pmf.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The flow path between data (t = 0) and noise (t = 1), pmf-method.md section 1.1:
 * z_t = (1 - t) x + t s e, and the conditional velocity target v_t = (z_t - x) / clip(t, 0.05, 1),
 * which equals s e - x whenever t >= 0.05.
 */
public final class Interpolation {

    private Interpolation() {
    }

    /** z_t = (1 - t) x + t s e per example; e is standard normal noise shaped like x. */
    public static INDArray noisy(INDArray x, INDArray e, double[] t, double noiseScale) {
        PerExample.checkSameShape(x, e);
        double[] oneMinusT = new double[t.length];
        double[] ts = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            oneMinusT[i] = 1 - t[i];
            ts[i] = t[i] * noiseScale;
        }
        return PerExample.addTimesInPlace(PerExample.times(x, oneMinusT), e, ts);
    }

    /** v_t = (z_t - x) / clip(t, 0.05, 1), as the official code computes the target. */
    public static INDArray conditionalVelocity(INDArray z, INDArray x, double[] t) {
        PerExample.checkSameShape(z, x);
        return PerExample.timesInPlace(z.sub(x).dup('c'), XPrediction.inverseDivisor(t));
    }
}
