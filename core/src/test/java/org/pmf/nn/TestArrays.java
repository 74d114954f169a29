package org.pmf.nn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random float64 arrays and parameter values for derivative checks. */
public final class TestArrays {

    private TestArrays() {
    }

    public static INDArray normal(Random rng, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = std * rng.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    /**
     * Overwrites every parameter with a generic random value (norm scales around 1, everything else
     * around 0 with a fan-in scaled spread), so that no path is zero, as the zero-initialised gates
     * and final layers of a fresh network would make it.
     */
    public static void randomize(ParamSet params, long seed) {
        Random rng = new Random(seed);
        for (Param p : params.params()) {
            long[] s = p.shape();
            boolean normScale = p.name().endsWith("norm.weight") || p.name().matches(".*norm[12]\\.weight");
            double std = s.length == 2 ? 1 / Math.sqrt(s[0]) : 0.3;
            INDArray v = normal(rng, std, s);
            if (normScale) {
                v.addi(1.0);
            }
            p.value().assign(v);
        }
    }

    /** max |a - b| / max |b| over the whole tensors. */
    public static double relativeError(INDArray expected, INDArray actual) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-300);
        return expected.sub(actual.reshape(expected.shape())).amaxNumber().doubleValue() / scale;
    }
}
