package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** SiLU, a * sigmoid(a), and its derivative, element-wise. */
public final class Silu {

    private Silu() {
    }

    /** The sigmoid of the pre-activation, which both the value and the derivative reuse. */
    public static INDArray sigmoid(INDArray a) {
        return Transforms.sigmoid(a, true);
    }

    public static INDArray value(INDArray a, INDArray sigmoid) {
        return a.mul(sigmoid);
    }

    /** d silu / da = s (1 + a (1 - s)). */
    public static INDArray derivative(INDArray a, INDArray sigmoid) {
        return sigmoid.rsub(1.0).muli(a).addi(1.0).muli(sigmoid);
    }
}
