package org.pmf.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The guided velocity target of CFG folded into training (pmf-method.md section 1.5):
 * v_g = v_t + (1 - 1/w) (v_c - v_u), where v_c is the network's w-guided velocity at r = t and
 * v_u its unconditional one (null label, w = 1), both without gradient.
 *
 * <p>The official code forms v_g_fm with w for the r = t examples and v_g with w_eff for the rest.
 * r = t examples have the interval [0, 1], so w_eff = w there and v_c(w_eff) = v_c(w): one formula
 * with the per-example w_eff covers both. Examples whose label was dropped take the scale 1
 * ({@link #withoutGuidance}), which makes their target v_t.
 */
public final class GuidanceTarget {

    private GuidanceTarget() {
    }

    /** w_eff = w where t_min <= t <= t_max, else 1. */
    public static double[] effectiveScales(double[] omega, double[] t, double[] tMin, double[] tMax) {
        int b = omega.length;
        if (t.length != b || tMin.length != b || tMax.length != b) {
            throw new IllegalArgumentException("per-example arrays differ in length: omega " + b + ", t " + t.length
                + ", t_min " + tMin.length + ", t_max " + tMax.length);
        }
        double[] w = new double[b];
        for (int i = 0; i < b; i++) {
            w[i] = t[i] >= tMin[i] && t[i] <= tMax[i] ? omega[i] : 1.0;
        }
        return w;
    }

    /** The scales with the first {@code dropCount} (the dropped-label examples) set to 1. */
    public static double[] withoutGuidance(double[] scales, int dropCount) {
        double[] w = scales.clone();
        for (int i = 0; i < dropCount; i++) {
            w[i] = 1.0;
        }
        return w;
    }

    /** v_g = v_t + (1 - 1/w) (v_c - v_u) per example. */
    public static INDArray guided(INDArray vt, INDArray vc, INDArray vu, double[] scales) {
        PerExample.checkSameShape(vt, vc);
        PerExample.checkSameShape(vt, vu);
        double[] k = new double[scales.length];
        for (int i = 0; i < k.length; i++) {
            if (!(scales[i] >= 1)) {
                throw new IllegalArgumentException("guidance scale of example " + i + " is " + scales[i] + ", must be >= 1");
            }
            k[i] = 1 - 1 / scales[i];
        }
        return PerExample.addTimesInPlace(vt.dup('c'), vc.sub(vu), k);
    }
}
