package org.pmf.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The output arrays of one phase (forward, tangent or backward) of one pass, reused when the pass
 * is recycled. A phase makes the same sequence of requests every time it runs on the same shapes,
 * so after {@link #rewind()} the i-th request returns the array the i-th request returned last
 * time. Allocating and page-faulting fresh native arrays costs ND4J several times more than the
 * element-wise work on them (bench/network.md), hence the reuse. Contents are uninitialised.
 */
public final class Buffers {

    private final List<INDArray> arrays = new ArrayList<>();
    private int next;

    /** Makes every array handed out so far available again, in the same order. */
    public void rewind() {
        next = 0;
    }

    /** A c-order array of the given type and shape, with undefined contents. */
    public INDArray get(DataType dataType, long... shape) {
        if (next < arrays.size()) {
            INDArray a = arrays.get(next);
            if (a.dataType() == dataType && Arrays.equals(a.shape(), shape)) {
                next++;
                return a;
            }
        }
        INDArray a = Nd4j.createUninitialized(dataType, shape);
        if (next < arrays.size()) {
            arrays.set(next, a);
        } else {
            arrays.add(a);
        }
        next++;
        return a;
    }

    /** An array shaped and typed like {@code x}. */
    public INDArray like(INDArray x) {
        return get(x.dataType(), x.shape());
    }
}
