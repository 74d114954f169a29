package org.pmf.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class InitializerTest {

    private static double[] draw(Initializer init, int n) {
        var view = Nd4j.create(DataType.DOUBLE, n);
        init.fill(view, new SplittableRandom(3));
        return view.toDoubleVector();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    /** JAX's variance-scaling scheme: the truncated draw is rescaled so the asked std is the real one. */
    @Test
    void truncatedNormalHasTheAskedStandardDeviationAndNoValueBeyondTwoOfItsUnscaledDeviations() {
        double std = 0.05;
        double[] v = draw(Initializer.truncatedNormal(std), 200_000);
        assertEquals(0, mean(v), 0.002 * std * 10);
        assertEquals(std, std(v), 0.01 * std);
        double bound = 2 * std / 0.87962566103423978;
        for (double x : v) {
            assertTrue(Math.abs(x) <= bound, x + " beyond " + bound);
        }
    }

    @Test
    void uniformStaysWithinItsBoundWithTheUniformVariance() {
        double bound = 0.3;
        double[] v = draw(Initializer.uniform(bound), 200_000);
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max <= bound && max > 0.99 * bound, "max |x| " + max);
        assertEquals(0, mean(v), 0.005);
        assertEquals(bound / Math.sqrt(3), std(v), 0.01 * bound);
    }
}
