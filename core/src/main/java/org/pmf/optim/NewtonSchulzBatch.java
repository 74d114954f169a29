package org.pmf.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link NewtonSchulz} for {@code count} matrices of one shape at once, in buffers allocated once.
 * Muon orthogonalises every weight matrix at every update; doing the matrices of one shape as
 * batched products ran 1.2-2.5x faster than one product per matrix (2x on two threads), and the
 * reused buffers spare ND4J's allocation, which otherwise costs more than the element-wise work.
 *
 * <p>Write each matrix into {@link #input(int)}, call {@link #run()}, read {@link #output(int)}.
 * For a tall shape (rows > cols) the iteration runs on the Gram matrix Y^T Y instead of
 * transposing: with X = Y^T, A = X X^T = Y^T Y and (b A + c A^2) X = (Y (b A + c A^2))^T, so
 * Y <- a Y + Y (b A + c A^2) is the transposed iteration, without any transposed copy.
 */
final class NewtonSchulzBatch {

    private final int count;
    private final boolean tall;
    private final OptimizerConfig.NsCoefficients k;
    private final int steps;
    private final double eps;
    private final INDArray gram;
    private final INDArray poly;
    private INDArray front;
    private INDArray back;
    private INDArray[] frontViews;
    private INDArray[] backViews;

    NewtonSchulzBatch(int count, long rows, long cols, DataType dataType, OptimizerConfig.NsCoefficients k, int steps, double eps) {
        if (count < 1 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("need at least one matrix of positive shape, got " + count + " x [" + rows + ", " + cols + "]");
        }
        this.count = count;
        this.tall = rows > cols;
        this.k = k;
        this.steps = steps;
        this.eps = eps;
        long small = Math.min(rows, cols);
        this.front = Nd4j.create(dataType, count, rows, cols);
        this.back = Nd4j.create(dataType, count, rows, cols);
        this.gram = Nd4j.create(dataType, count, small, small);
        this.poly = Nd4j.create(dataType, count, small, small);
        this.frontViews = views(front);
        this.backViews = views(back);
    }

    /** Where matrix {@code i} is written before {@link #run()}; holds its result afterwards. */
    INDArray input(int i) {
        return frontViews[i];
    }

    /** Matrix {@code i}'s orthogonalisation, valid until the next {@link #run()}. */
    INDArray output(int i) {
        return frontViews[i];
    }

    /** Free scratch of matrix {@code i}'s shape until {@link #run()} starts (it is the iteration's second buffer). */
    INDArray scratch(int i) {
        return backViews[i];
    }

    /** Orthogonalises every input in place: normalise by the Frobenius norm plus eps, then the quintic steps. */
    void run() {
        INDArray rows = front.reshape('c', count, front.length() / count);
        INDArray norms = rows.norm2(1).addi(eps);
        rows.diviColumnVector(norms.reshape(count, 1));
        for (int s = 0; s < steps; s++) {
            // A = X X^T (Y^T Y when tall); poly = c A^2 + b A; X <- a X + poly X (Y <- a Y + Y poly)
            Nd4j.matmul(front, front, gram, tall, !tall, false);
            Nd4j.matmul(gram, gram, poly, false, false, false);
            poly.muli(k.c()).addi(gram.muli(k.b()));
            if (tall) {
                Nd4j.matmul(front, poly, back, false, false, false);
            } else {
                Nd4j.matmul(poly, front, back, false, false, false);
            }
            back.addi(front.muli(k.a()));
            swap();
        }
    }

    private void swap() {
        INDArray t = front;
        front = back;
        back = t;
        INDArray[] v = frontViews;
        frontViews = backViews;
        backViews = v;
    }

    private INDArray[] views(INDArray stack) {
        INDArray[] v = new INDArray[count];
        for (int i = 0; i < count; i++) {
            v[i] = stack.slice(i);
        }
        return v;
    }
}
