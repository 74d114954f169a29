package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReLU, max(a, 0), with its tangent and backward rules. Both rules multiply by the derivative mask
 * 1[a > 0] (0 at a = 0), which the forward pass computes once and the caller keeps.
 */
public final class Relu {

    private Relu() {
    }

    /** max(a, 0) into an array from {@code buf}. */
    public static INDArray forward(INDArray a, Buffers buf) {
        INDArray y = buf.like(a);
        Nd4j.exec(new ScalarMax(a, null, y, 0.0));
        return y;
    }

    /** The derivative 1[a > 0] into an array from {@code buf}. */
    public static INDArray mask(INDArray a, Buffers buf) {
        INDArray m = buf.like(a);
        Nd4j.exec(new Step(a, m, 0.0));
        return m;
    }

    /** Tangent of the output along the pre-activation's tangent: mask * aDot. */
    public static INDArray tangent(INDArray mask, INDArray aDot, Buffers buf) {
        return Elementwise.mul(mask, aDot, buf.like(aDot));
    }

    /** dL/da = mask * dL/dy. */
    public static INDArray backward(INDArray mask, INDArray dy, Buffers buf) {
        return Elementwise.mul(mask, dy, buf.like(dy));
    }
}
