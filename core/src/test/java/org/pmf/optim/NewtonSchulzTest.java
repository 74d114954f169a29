package org.pmf.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

class NewtonSchulzTest {

    static final double BAND_LOW = 0.68;
    static final double BAND_HIGH = 1.21;
    /** Singular values below this fraction of the Frobenius norm may not reach the band in 5 steps. */
    static final double TINY = 2e-3;

    @Test
    void singularValuesLandInTheDocumentedBandForWideTallAndSquareMatrices() {
        long[][] shapes = {{32, 64}, {64, 32}, {16, 128}, {128, 16}, {40, 96}, {96, 40}, {48, 48}, {1, 20}, {20, 1}};
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        SplittableRandom rng = new SplittableRandom(7);
        for (long[] shape : shapes) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                INDArray g = gaussian(shape, rng, type);
                INDArray o = NewtonSchulz.orthogonalize(g, OptimizerConfig.NsCoefficients.MUON_DEFAULT, 5, 1e-8);
                assertArrayEquals(g.shape(), o.shape(), "orthogonalised matrix keeps the shape");
                double[] in = singularValues(g);
                double[] out = singularValues(o);
                double frob = g.norm2Number().doubleValue();
                for (int i = 0; i < in.length; i++) {
                    if (in[i] / frob < TINY) {
                        continue;
                    }
                    lowest = Math.min(lowest, out[i]);
                    highest = Math.max(highest, out[i]);
                    assertTrue(out[i] >= BAND_LOW && out[i] <= BAND_HIGH, "shape " + Arrays.toString(shape) + " " + type
                            + ": singular value " + out[i] + " (input " + in[i] + ") outside [" + BAND_LOW + ", " + BAND_HIGH + "]");
                }
            }
        }
        System.out.printf("Newton-Schulz (5 steps, optax coefficients): singular values in [%.4f, %.4f]%n", lowest, highest);
    }

    @Test
    void keepsTheSingularVectorsOfItsInput() {
        // N(G) = U s'(S) V^T, so N(G) G^T = U s'(S) S U^T is symmetric positive semi-definite.
        INDArray g = gaussian(new long[] {12, 30}, new SplittableRandom(3), DataType.DOUBLE);
        INDArray o = NewtonSchulz.orthogonalize(g, OptimizerConfig.NsCoefficients.MUON_DEFAULT, 5, 1e-8);
        INDArray p = o.mmul(g.transpose());
        assertEquals(0.0, p.sub(p.transpose()).norm2Number().doubleValue(), 1e-10 * p.norm2Number().doubleValue());
    }

    @Test
    void leavesItsInputUntouched() {
        INDArray g = gaussian(new long[] {8, 5}, new SplittableRandom(5), DataType.DOUBLE);
        INDArray copy = g.dup();
        NewtonSchulz.orthogonalize(g, OptimizerConfig.NsCoefficients.MUON_DEFAULT, 5, 1e-8);
        assertEquals(copy, g);
    }

    static INDArray gaussian(long[] shape, SplittableRandom rng, DataType type) {
        double[] d = new double[(int) (shape[0] * shape[1])];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian() * 0.01;
        }
        return Nd4j.create(d, shape, DataType.DOUBLE).castTo(type);
    }

    /** Singular values in ascending order, from the eigenvalues of the smaller Gram matrix, in double. */
    static double[] singularValues(INDArray m) {
        INDArray d = m.castTo(DataType.DOUBLE);
        INDArray gram = d.rows() <= d.columns() ? d.mmul(d.transpose()) : d.transpose().mmul(d);
        INDArray eig = Eigen.symmetricGeneralizedEigenvalues(gram.dup('f'), false);
        double[] s = eig.toDoubleVector();
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(Math.max(0, s[i]));
        }
        Arrays.sort(s);
        return s;
    }
}
