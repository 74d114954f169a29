package org.pmf.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences in float64 as the oracle for a module's tangent (forward mode) and
 * backward (reverse mode) rules: the tangent along a random direction, the input gradient of a
 * random linear functional of the output along a random direction, and parameter gradients at
 * random coordinates of every parameter.
 */
public final class DerivativeCheck {

    /** One module seen as x -> y with a trace type T. */
    public interface Module<T> {
        T forward(INDArray x);

        INDArray output(T trace);

        INDArray tangent(T trace, INDArray xDot);

        INDArray backward(T trace, INDArray dy);
    }

    public static final double EPS = 1e-5;
    public static final double TOLERANCE = 1e-6;

    private DerivativeCheck() {
    }

    public static <T> void check(String name, Module<T> m, ParamSet params, INDArray x, Random rng, int coordsPerParam) {
        T trace = m.forward(x);
        INDArray y = m.output(trace);
        INDArray v = TestArrays.normal(rng, 1, x.shape());

        INDArray tangent = m.tangent(trace, v);
        INDArray fd = m.output(m.forward(x.add(v.mul(EPS)))).sub(m.output(m.forward(x.sub(v.mul(EPS))))).divi(2 * EPS);
        double tanErr = TestArrays.relativeError(fd, tangent);
        assertTrue(tanErr <= TOLERANCE, name + " tangent vs central differences: relative error " + tanErr);

        INDArray r = TestArrays.normal(rng, 1, y.shape());
        params.zeroGrads();
        INDArray dx = m.backward(trace, r);
        double analytic = dx.mul(v).sumNumber().doubleValue();
        double numeric = (loss(m, x.add(v.mul(EPS)), r) - loss(m, x.sub(v.mul(EPS)), r)) / (2 * EPS);
        double inErr = Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), 1e-12);
        assertTrue(inErr <= TOLERANCE, name + " input gradient vs central differences: " + analytic + " vs " + numeric);

        double gradScale = params.grads().amaxNumber().doubleValue();
        for (Param p : params.params()) {
            INDArray value = p.value().reshape(p.length());
            INDArray grad = p.grad().reshape(p.length());
            for (int k = 0; k < coordsPerParam; k++) {
                long i = coordinate(grad, rng);
                double g = grad.getDouble(i);
                double fdG = coordinateDerivative(() -> loss(m, x, r), value, i);
                double err = Math.abs(fdG - g) / Math.max(Math.max(Math.abs(fdG), Math.abs(g)), 1e-6 * gradScale);
                assertTrue(err <= TOLERANCE, name + " gradient of " + p.name() + "[" + i + "]: backward " + g
                    + ", central differences " + fdG + " (relative error " + err + ")");
            }
        }
    }

    /**
     * A random coordinate of a gradient: the largest in magnitude among 8 random draws, so that the
     * check does not land on a coordinate whose derivative is so small that finite differences
     * measure only rounding noise (e.g. high-frequency sinusoid entries of a scalar near 0).
     */
    public static long coordinate(INDArray flatGrad, Random rng) {
        long best = 0;
        double bestAbs = -1;
        for (int k = 0; k < 8; k++) {
            long i = (long) (rng.nextDouble() * flatGrad.length());
            double a = Math.abs(flatGrad.getDouble(i));
            if (a > bestAbs) {
                bestAbs = a;
                best = i;
            }
        }
        return best;
    }

    /** (L(theta_i + eps) - L(theta_i - eps)) / 2 eps, restoring the coordinate afterwards. */
    public static double coordinateDerivative(java.util.function.DoubleSupplier loss, INDArray flatValue, long i) {
        double old = flatValue.getDouble(i);
        flatValue.putScalar(i, old + EPS);
        double plus = loss.getAsDouble();
        flatValue.putScalar(i, old - EPS);
        double minus = loss.getAsDouble();
        flatValue.putScalar(i, old);
        return (plus - minus) / (2 * EPS);
    }

    private static <T> double loss(Module<T> m, INDArray x, INDArray r) {
        return m.output(m.forward(x)).mul(r).sumNumber().doubleValue();
    }
}
