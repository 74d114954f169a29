package org.pmf.toy;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fixed random D x 2 column-orthonormal matrix P (P^T P = I): data x = P x_hat in R^D, and
 * samples go back to the plane by P^T. The model never sees P. Stored as its transpose [2, D], so
 * that lifting row vectors is x_hat P^T.
 */
public final class Lift {

    private final int dim;
    private final double[] pt;

    private Lift(int dim, double[] pt) {
        this.dim = dim;
        this.pt = pt;
    }

    /** Two Gaussian columns made orthonormal by Gram-Schmidt. */
    public static Lift random(int dim, RandomGenerator rng) {
        if (dim < 2) {
            throw new IllegalArgumentException("lift dimension must be >= 2, got " + dim);
        }
        double[] a = new double[dim];
        double[] b = new double[dim];
        for (int i = 0; i < dim; i++) {
            a[i] = rng.nextGaussian();
        }
        for (int i = 0; i < dim; i++) {
            b[i] = rng.nextGaussian();
        }
        normalize(a);
        double dot = 0;
        for (int i = 0; i < dim; i++) {
            dot += a[i] * b[i];
        }
        for (int i = 0; i < dim; i++) {
            b[i] -= dot * a[i];
        }
        normalize(b);
        double[] pt = new double[2 * dim];
        System.arraycopy(a, 0, pt, 0, dim);
        System.arraycopy(b, 0, pt, dim, dim);
        return new Lift(dim, pt);
    }

    public int dim() {
        return dim;
    }

    /** P^T as a [2, D] array. */
    public INDArray transposed(DataType type) {
        return Nd4j.create(pt, new long[] {2, dim}, type);
    }

    /** x = x_hat P^T for row-major [n, 2] points: [n, D]. */
    public INDArray up(double[] points, DataType type) {
        return Nd4j.create(points, new long[] {points.length / 2, 2}, type).mmul(transposed(type));
    }

    /** x_hat = x P for [n, D] rows: [n, 2]. */
    public INDArray down(INDArray x) {
        return x.mmul(transposed(x.dataType()).transpose());
    }

    private static void normalize(double[] v) {
        double n = 0;
        for (double c : v) {
            n += c * c;
        }
        n = Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
    }
}
