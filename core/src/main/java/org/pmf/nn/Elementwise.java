package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Element-wise ND4J operations that write into a given output array. INDArray's allocating
 * variants (x.mul(y), x.mulRowVector(r), dup) cost several times the operation itself.
 * Every method returns {@code out}.
 */
public final class Elementwise {

    private Elementwise() {
    }

    public static INDArray mul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new MulOp(a, b, out));
        return out;
    }

    /** out = a * row, row broadcast over the rows of the 2-D array a. */
    public static INDArray mulRow(INDArray a, INDArray row, INDArray out) {
        Nd4j.exec(new BroadcastMulOp(a, row, out, 1));
        return out;
    }

    /**
     * out = a * column, a [N] column broadcast over the columns of the 2-D array a. A copy plus
     * the in-place column op measured faster than the broadcast op along dimension 0.
     */
    public static INDArray mulColumn(INDArray a, INDArray column, INDArray out) {
        return out.assign(a).muliColumnVector(column.reshape(column.length(), 1));
    }

    /** out = a - column, broadcast over the columns of the 2-D array a. */
    public static INDArray subColumn(INDArray a, INDArray column, INDArray out) {
        return out.assign(a).subiColumnVector(column.reshape(column.length(), 1));
    }

    public static INDArray sigmoid(INDArray a, INDArray out) {
        Nd4j.exec(new Sigmoid(a, out));
        return out;
    }
}
