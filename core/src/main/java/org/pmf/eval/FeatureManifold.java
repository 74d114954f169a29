package org.pmf.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The k-nearest-neighbour estimate of the region a feature set covers (Kynkaanniemi et al. 2019):
 * the union of balls around each point, with radius its distance to its k-th nearest other point.
 * Distances are squared Euclidean in double precision, computed as |a|^2 + |b|^2 - 2 a.b in blocks of
 * rows so that 10,000 x 10,000 sets never hold a full distance matrix.
 */
final class FeatureManifold {

    private static final int BLOCK_ROWS = 512;
    /**
     * Slack of a ball test relative to |a|^2 + |b|^2: the norm expansion of the distance between two
     * equal vectors gives rounding noise, not 0, and a point must lie in the ball of its own duplicate.
     */
    private static final double ROUNDING_SLACK = 1e-12;

    private final INDArray points;
    private final INDArray squaredNorms;
    private final double[] radii;

    private FeatureManifold(INDArray points, INDArray squaredNorms, double[] radii) {
        this.points = points;
        this.squaredNorms = squaredNorms;
        this.radii = radii;
    }

    /** The manifold of the rows of {@code features} [n, d]; needs n > k. */
    static FeatureManifold of(INDArray features, int k) {
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be [n, d], got " + Arrays.toString(features.shape()));
        }
        int n = (int) features.size(0);
        if (k < 1 || n <= k) {
            throw new IllegalArgumentException("k-NN radii need more than k = " + k + " feature vectors, got " + n);
        }
        INDArray x = features.castTo(DataType.DOUBLE).dup('c');
        INDArray norms = x.mul(x).sum(1);
        FeatureManifold m = new FeatureManifold(x, norms, new double[n]);
        double[] kSmallest = new double[k];
        for (int start = 0; start < n; start += BLOCK_ROWS) {
            int end = Math.min(n, start + BLOCK_ROWS);
            double[][] d2 = m.squaredDistances(x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()),
                norms.get(NDArrayIndex.interval(start, end)));
            for (int i = start; i < end; i++) {
                m.radii[i] = kthSmallestExcluding(d2[i - start], i, kSmallest);
            }
        }
        return m;
    }

    int size() {
        return radii.length;
    }

    /** The points the balls are centred on, [n, d] in double precision. */
    INDArray points() {
        return points;
    }

    /** For each row of {@code query} [m, d]: does it lie in at least one ball? */
    boolean[] covers(INDArray query) {
        if (query.rank() != 2 || query.size(1) != points.size(1)) {
            throw new IllegalArgumentException("query features must be [m, " + points.size(1) + "], got " + Arrays.toString(query.shape()));
        }
        INDArray q = query.castTo(DataType.DOUBLE);
        INDArray qNorms = q.mul(q).sum(1);
        int m = (int) q.size(0);
        boolean[] inside = new boolean[m];
        double[] pointNorms = squaredNorms.toDoubleVector();
        for (int start = 0; start < m; start += BLOCK_ROWS) {
            int end = Math.min(m, start + BLOCK_ROWS);
            INDArray blockNorms = qNorms.get(NDArrayIndex.interval(start, end));
            double[][] d2 = squaredDistances(q.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()), blockNorms);
            double[] bn = blockNorms.toDoubleVector();
            for (int r = 0; r < d2.length; r++) {
                for (int j = 0; j < radii.length; j++) {
                    if (d2[r][j] <= radii[j] + ROUNDING_SLACK * (bn[r] + pointNorms[j])) {
                        inside[start + r] = true;
                        break;
                    }
                }
            }
        }
        return inside;
    }

    /** Fraction of the rows of {@code query} inside the manifold. */
    double coverage(INDArray query) {
        boolean[] inside = covers(query);
        int count = 0;
        for (boolean b : inside) {
            count += b ? 1 : 0;
        }
        return (double) count / inside.length;
    }

    private double[][] squaredDistances(INDArray rows, INDArray rowNorms) {
        INDArray cross = rows.mmul(points.transpose());
        INDArray d2 = cross.muli(-2.0).addiColumnVector(rowNorms.reshape(rowNorms.length(), 1)).addiRowVector(squaredNorms);
        return d2.toDoubleMatrix();
    }

    /** The k-th smallest of {@code row} without index {@code self}; {@code buffer} holds k values. */
    private static double kthSmallestExcluding(double[] row, int self, double[] buffer) {
        int k = buffer.length;
        Arrays.fill(buffer, Double.POSITIVE_INFINITY);
        for (int j = 0; j < row.length; j++) {
            double v = Math.max(row[j], 0.0);
            if (j == self || v >= buffer[k - 1]) {
                continue;
            }
            int pos = k - 1;
            while (pos > 0 && buffer[pos - 1] > v) {
                buffer[pos] = buffer[pos - 1];
                pos--;
            }
            buffer[pos] = v;
        }
        return buffer[k - 1];
    }
}
