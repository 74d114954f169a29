package org.pmf.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eigendecomposition A = V diag(values) V^T of a real symmetric matrix in double precision, through
 * LAPACK's dsyev (ND4J's {@link Eigen}). Only the lower triangle of A is read, so A is symmetrised
 * first: a covariance accumulated in floating point is symmetric only up to rounding.
 */
final class SymmetricEigen {

    final INDArray values;
    /** Eigenvectors as columns, [n, n]; null when only the eigenvalues were asked for. */
    final INDArray vectors;

    private SymmetricEigen(INDArray values, INDArray vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Eigenvalues and eigenvectors. */
    static SymmetricEigen of(INDArray a) {
        return decompose(a, true);
    }

    /** Eigenvalues only (about half the work for large matrices). */
    static SymmetricEigen valuesOf(INDArray a) {
        return decompose(a, false);
    }

    private static SymmetricEigen decompose(INDArray a, boolean withVectors) {
        if (a.rank() != 2 || a.size(0) != a.size(1)) {
            throw new IllegalArgumentException("eigendecomposition needs a square matrix, got " + java.util.Arrays.toString(a.shape()));
        }
        INDArray sym = a.castTo(DataType.DOUBLE).add(a.castTo(DataType.DOUBLE).transpose()).muli(0.5);
        // dsyev overwrites its input with the eigenvectors and wants column-major storage.
        INDArray work = sym.dup('f');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(work, withVectors);
        return new SymmetricEigen(values.reshape(values.length()).dup(), withVectors ? work : null);
    }

    /** V diag(f(values)) V^T for f(l) = sqrt(max(l, 0)): the principal square root of a PSD matrix. */
    INDArray psdSquareRoot() {
        INDArray roots = Nd4j.createUninitialized(DataType.DOUBLE, values.length());
        for (long i = 0; i < values.length(); i++) {
            roots.putScalar(i, Math.sqrt(Math.max(values.getDouble(i), 0.0)));
        }
        INDArray scaled = vectors.mulRowVector(roots);
        return scaled.mmul(vectors.transpose());
    }

    /** Sum of sqrt(max(l, 0)) over the eigenvalues: the trace of the principal square root. */
    double traceOfPsdSquareRoot() {
        double sum = 0;
        for (long i = 0; i < values.length(); i++) {
            sum += Math.sqrt(Math.max(values.getDouble(i), 0.0));
        }
        return sum;
    }
}
