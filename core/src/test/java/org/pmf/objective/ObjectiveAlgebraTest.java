package org.pmf.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The z / v / u / x / V / v_g algebra and the weighted loss against values computed by hand. */
class ObjectiveAlgebraTest {

    private static INDArray m(DataType type, double[][] rows) {
        return Nd4j.create(rows).castTo(type);
    }

    private static void assertValues(double[][] expected, INDArray actual, double tol) {
        double[][] a = actual.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], a[i], tol, "row " + i);
        }
    }

    @Test
    void noisyInterpolatesDataAndScaledNoiseInBothPrecisions() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray x = m(type, new double[][] {{1, 2}, {3, 4}});
            INDArray e = m(type, new double[][] {{0.5, -1}, {2, 0}});
            INDArray z = Interpolation.noisy(x, e, new double[] {0.25, 0.5}, 2.0);
            assertEquals(type, z.dataType());
            // 0.75 [1, 2] + 0.25 * 2 [0.5, -1];  0.5 [3, 4] + 0.5 * 2 [2, 0]
            assertValues(new double[][] {{1.0, 1.0}, {3.5, 2.0}}, z, 1e-6);
            // v_t = s e - x for t >= 0.05
            assertValues(new double[][] {{0, -4}, {1, -4}}, Interpolation.conditionalVelocity(z, x, new double[] {0.25, 0.5}), 1e-5);
        }
    }

    @Test
    void conditionalVelocityDividesByClippedTime() {
        INDArray x = m(DataType.DOUBLE, new double[][] {{1, 0}});
        INDArray z = m(DataType.DOUBLE, new double[][] {{1.02, 0.01}});
        assertValues(new double[][] {{0.4, 0.2}}, Interpolation.conditionalVelocity(z, x, new double[] {0.01}), 1e-12);
    }

    @Test
    void averageVelocityAndDenoisedImageInvertEachOther() {
        INDArray z = m(DataType.DOUBLE, new double[][] {{1, 1}, {1, 1}});
        INDArray xHat = m(DataType.DOUBLE, new double[][] {{0.5, -1}, {0.5, -1}});
        double[] t = {0.25, 0.01};
        INDArray u = XPrediction.averageVelocity(z, xHat, t);
        // (z - x_hat) / 0.25 and (z - x_hat) / clip(0.01) = / 0.05
        assertValues(new double[][] {{2, 8}, {10, 40}}, u, 1e-12);
        // x = z - t u gives x_hat back where t >= 0.05 (and not under the clip)
        assertValues(new double[][] {{0.5, -1}, {0.9, 0.6}}, XPrediction.denoised(z, u, t), 1e-12);
        assertValues(new double[][] {{-4, -8}, {-20, -40}},
            XPrediction.denoisedGradient(m(DataType.DOUBLE, new double[][] {{1, 2}, {1, 2}}), t), 1e-12);
    }

    @Test
    void averageVelocityTangentHasTheQuotientRuleTermOnlyOutsideTheClip() {
        INDArray zDot = m(DataType.DOUBLE, new double[][] {{1, 0}, {1, 0}});
        INDArray xDot = m(DataType.DOUBLE, new double[][] {{0, 1}, {0, 1}});
        INDArray u = m(DataType.DOUBLE, new double[][] {{2, 8}, {10, 40}});
        // (z' - x' - u) / t at t = 0.25; (z' - x') / 0.05 at t = 0.01 (clip active, d' = 0)
        assertValues(new double[][] {{-4, -36}, {20, -20}},
            XPrediction.averageVelocityTangent(zDot, xDot, u, new double[] {0.25, 0.01}), 1e-12);
    }

    @Test
    void compoundVelocityAddsTheTimeGapTimesTheJvp() {
        INDArray u = m(DataType.FLOAT, new double[][] {{1, 2}, {1, 2}});
        INDArray dudt = m(DataType.FLOAT, new double[][] {{3, -1}, {3, -1}});
        INDArray v = CompoundVelocity.of(u, dudt, new double[] {0.75, 0.4}, new double[] {0.25, 0.4});
        assertValues(new double[][] {{2.5, 1.5}, {1, 2}}, v, 1e-6);
    }

    @Test
    void guidedTargetMixesConditionalAndUnconditionalWithOneMinusInverseScale() {
        INDArray vt = m(DataType.DOUBLE, new double[][] {{1, 1}, {1, 1}});
        INDArray vc = m(DataType.DOUBLE, new double[][] {{3, 0}, {3, 0}});
        INDArray vu = m(DataType.DOUBLE, new double[][] {{1, 2}, {1, 2}});
        assertValues(new double[][] {{2.5, -0.5}, {1, 1}}, GuidanceTarget.guided(vt, vc, vu, new double[] {4, 1}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> GuidanceTarget.guided(vt, vc, vu, new double[] {0.5, 1}));
    }

    @Test
    void effectiveScaleIsOneOutsideTheIntervalAndForDroppedLabels() {
        double[] w = GuidanceTarget.effectiveScales(new double[] {3, 3, 5}, new double[] {0.2, 0.8, 0.6},
            new double[] {0.1, 0.1, 0.6}, new double[] {0.6, 0.6, 0.6});
        assertArrayEquals(new double[] {3, 1, 5}, w);
        assertArrayEquals(new double[] {1, 1, 5}, GuidanceTarget.withoutGuidance(w, 1));
    }

    @Test
    void adaptiveLossDividesEachSummedErrorByItselfPlusEps() {
        INDArray v = m(DataType.DOUBLE, new double[][] {{1, 2}, {0, 0}});
        INDArray target = m(DataType.DOUBLE, new double[][] {{0, 0}, {0, 3}});
        AdaptiveLoss.Result r = new AdaptiveLoss(AdaptiveLoss.Options.PAPER).evaluate(v, target);
        assertArrayEquals(new double[] {5, 9}, r.errors(), 1e-12);
        assertEquals((5 / 5.01 + 9 / 9.01) / 2, r.loss(), 1e-12);
        assertValues(new double[][] {{2 * 1 / 5.01 / 2, 2 * 2 / 5.01 / 2}, {0, 2 * -3 / 9.01 / 2}}, r.gradient(), 1e-12);
        AdaptiveLoss.Result plain = new AdaptiveLoss(new AdaptiveLoss.Options(0.01, 0)).evaluate(v, target);
        assertEquals(7, plain.loss(), 1e-12);
    }

    @Test
    void perExampleScalarsBroadcastOverEveryNonBatchDimension() {
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 3, 4);
        INDArray y = PerExample.times(x, new double[] {2, -1});
        assertEquals(2 * 12 - 12, y.sumNumber().doubleValue(), 1e-6);
        assertEquals(-1, y.getDouble(1, 2, 3), 0);
        assertArrayEquals(new double[] {48, 12}, PerExample.sumOfSquares(y), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> PerExample.times(x, new double[] {1, 2, 3}));
    }
}
