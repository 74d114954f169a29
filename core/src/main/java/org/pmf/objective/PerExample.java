package org.pmf.objective;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-example scalars (t, r, omega, ...) broadcast over every dimension of a batch but the first.
 * The project's shape convention: dimension 0 is the batch ([B, L, P] patch tensors, [B, D] toy
 * points); a per-example scalar is a {@code double[B]}. The batch is seen as a [B, rest] matrix and
 * the scalars as a [B] column.
 */
public final class PerExample {

    private PerExample() {
    }

    /** x * s_b for every example b, as a new c-order array shaped like x. */
    public static INDArray times(INDArray x, double[] s) {
        return timesInPlace(x.dup('c'), s);
    }

    /** Multiplies each example of x by its scalar, in place; x must be a c-order contiguous array. */
    public static INDArray timesInPlace(INDArray x, double[] s) {
        rows(x, s.length).muliColumnVector(column(s, x.dataType()));
        return x;
    }

    /** a += b * s_b per example, in place; both c-order contiguous and of one shape. */
    public static INDArray addTimesInPlace(INDArray a, INDArray b, double[] s) {
        checkSameShape(a, b);
        rows(a, s.length).addi(rows(b.dup('c'), s.length).muliColumnVector(column(s, a.dataType())));
        return a;
    }

    /** Sum of squares over all dimensions but the batch: one value per example. */
    public static double[] sumOfSquares(INDArray x) {
        INDArray m = x.reshape('c', x.size(0), -1);
        return m.mul(m).sum(1).toDoubleVector();
    }

    /** The scalars as a [B, 1] column in the given precision. */
    public static INDArray column(double[] s, DataType dataType) {
        return Nd4j.create(s, new long[] {s.length, 1}, dataType);
    }

    /** A [B, rest] view of a c-order contiguous batch, after checking its batch size. */
    static INDArray rows(INDArray x, int batch) {
        if (x.rank() < 1 || x.size(0) != batch) {
            throw new IllegalArgumentException("batch of shape " + java.util.Arrays.toString(x.shape())
                + " does not match " + batch + " per-example scalars");
        }
        if (x.ordering() != 'c' || !Shape.hasDefaultStridesForShape(x)) {
            throw new IllegalArgumentException("in-place per-example ops need a contiguous c-order array, found strides "
                + java.util.Arrays.toString(x.stride()));
        }
        INDArray view = x.reshape('c', batch, x.length() / Math.max(batch, 1));
        return view;
    }

    static void checkSameShape(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shapes differ: " + java.util.Arrays.toString(a.shape())
                + " vs " + java.util.Arrays.toString(b.shape()));
        }
    }
}
