package org.pmf.objective;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.TestArrays;

/** Tangent and gradient rules of the objective against central finite differences in float64. */
class ObjectiveDerivativeTest {

    private static final double EPS = 1e-6;

    /** Central difference of a batch-valued function of one scalar step s along all inputs. */
    private static INDArray centralDifference(DoubleFunction<INDArray> f) {
        return f.apply(EPS).sub(f.apply(-EPS)).divi(2 * EPS);
    }

    @ParameterizedTest
    @EnumSource(Prediction.class)
    void velocityTangentMatchesFiniteDifferencesInsideAndUnderTheClip(Prediction prediction) {
        Random rng = new Random(3);
        int b = 4;
        INDArray z = TestArrays.normal(rng, 1, b, 3, 5);
        INDArray xHat = TestArrays.normal(rng, 1, b, 3, 5);
        INDArray zDot = TestArrays.normal(rng, 1, b, 3, 5);
        INDArray xHatDot = TestArrays.normal(rng, 1, b, 3, 5);
        double[] t = {0.3, 0.02, 0.9, 0.051};
        INDArray u = prediction.velocity(z, xHat, t);
        INDArray tangent = prediction.velocityTangent(zDot, xHatDot, u, t);
        INDArray fd = centralDifference(s -> {
            double[] ts = t.clone();
            for (int i = 0; i < b; i++) {
                ts[i] += s;
            }
            return prediction.velocity(z.add(zDot.mul(s)), xHat.add(xHatDot.mul(s)), ts);
        });
        double err = TestArrays.relativeError(fd, tangent);
        assertTrue(err <= 1e-6, "u tangent vs central differences: relative error " + err);
    }

    @ParameterizedTest
    @EnumSource(Prediction.class)
    void outputGradientIsTheTransposeOfTheConversion(Prediction prediction) {
        Random rng = new Random(4);
        INDArray z = TestArrays.normal(rng, 1, 3, 6);
        INDArray xHat = TestArrays.normal(rng, 1, 3, 6);
        INDArray dir = TestArrays.normal(rng, 1, 3, 6);
        INDArray w = TestArrays.normal(rng, 1, 3, 6);
        double[] t = {0.5, 0.01, 0.97};
        double analytic = prediction.outputGradient(w, t).mul(dir).sumNumber().doubleValue();
        double numeric = (prediction.velocity(z, xHat.add(dir.mul(EPS)), t).mul(w).sumNumber().doubleValue()
            - prediction.velocity(z, xHat.sub(dir.mul(EPS)), t).mul(w).sumNumber().doubleValue()) / (2 * EPS);
        assertTrue(Math.abs(analytic - numeric) <= 1e-6 * Math.abs(numeric), analytic + " vs " + numeric);
    }

    @Test
    void adaptiveLossGradientMatchesFiniteDifferencesWithTheWeightHeldConstant() {
        Random rng = new Random(5);
        INDArray v = TestArrays.normal(rng, 1, 4, 2, 3);
        INDArray target = TestArrays.normal(rng, 1, 4, 2, 3);
        INDArray dir = TestArrays.normal(rng, 1, 4, 2, 3);
        AdaptiveLoss loss = new AdaptiveLoss(new AdaptiveLoss.Options(0.01, 0.75));
        AdaptiveLoss.Result r = loss.evaluate(v, target);
        double[] w = r.weights();
        DoubleFunction<Double> frozen = s -> {
            double[] errors = loss.evaluate(v.add(dir.mul(s)), target).errors();
            double sum = 0;
            for (int i = 0; i < errors.length; i++) {
                sum += errors[i] * w[i];
            }
            return sum / errors.length;
        };
        double numeric = (frozen.apply(EPS) - frozen.apply(-EPS)) / (2 * EPS);
        double analytic = r.gradient().mul(dir).sumNumber().doubleValue();
        assertTrue(Math.abs(analytic - numeric) <= 1e-6 * Math.abs(numeric), analytic + " vs " + numeric);
        double[] errors = r.errors();
        for (int i = 0; i < w.length; i++) {
            assertTrue(Math.abs(w[i] - Math.pow(errors[i] + 0.01, -0.75)) < 1e-12);
        }
    }
}
