package org.pmf.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The compound field of the MeanFlow v-loss (pmf-method.md section 1.3, paper Eq. 7/12):
 * V = u + (t - r) sg(du/dt). du/dt enters as a constant, so dL/du = dL/dV and the backward of
 * this step is the identity on u.
 */
public final class CompoundVelocity {

    private CompoundVelocity() {
    }

    /** V = u + (t - r) du/dt per example; du/dt is the stop-gradiented JVP. */
    public static INDArray of(INDArray u, INDArray dudt, double[] t, double[] r) {
        if (t.length != r.length) {
            throw new IllegalArgumentException(t.length + " values of t but " + r.length + " of r");
        }
        double[] h = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            h[i] = t[i] - r[i];
        }
        return PerExample.addTimesInPlace(u.dup('c'), dudt, h);
    }
}
