package org.pmf.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The guidance scale, interval and class-dropout draws on large samples. */
class GuidanceSamplerTest {

    private static final int N = 400_000;

    private static void checkScaleDensity(double beta, double expectedMean, double expectedBelowTwo) {
        double[] w = new GuidanceSampler(new GuidanceSampler.Options(7.0, beta, 0.1)).sampleScales(N, new SplittableRandom(11));
        double sum = 0;
        int belowTwo = 0;
        int belowFour = 0;
        for (double v : w) {
            assertTrue(v >= 1 && v <= 8, "omega in [1, 8]: " + v);
            sum += v;
            belowTwo += v < 2 ? 1 : 0;
            belowFour += v < 4 ? 1 : 0;
        }
        assertEquals(expectedMean, sum / N, 0.01 * expectedMean, "mean of omega, beta = " + beta);
        assertEquals(expectedBelowTwo, belowTwo / (double) N, 0.003, "P(omega < 2), beta = " + beta);
        double cdfFour = beta == 1 ? Math.log(4) / Math.log(8) : (1 - Math.pow(4, 1 - beta)) / (1 - Math.pow(8, 1 - beta));
        assertEquals(cdfFour, belowFour / (double) N, 0.003, "P(omega < 4), beta = " + beta);
    }

    @Test
    void scaleDensityIsInverseOmegaForBetaOne() {
        // density 1 / (omega ln 8): mean 7 / ln 8, P(omega < 2) = ln 2 / ln 8 = 1/3
        checkScaleDensity(1.0, 7 / Math.log(8), 1.0 / 3);
    }

    @Test
    void scaleDensityIsInverseOmegaSquaredForBetaTwo() {
        // density omega^-2 / (7/8): mean ln 8 * 8/7, P(omega < 2) = (1/2) / (7/8) = 4/7
        checkScaleDensity(2.0, Math.log(8) * 8 / 7, 4.0 / 7);
    }

    @Test
    void intervalsAreUniformOnTheirHalvesAndTheFullRangeOnTheDiagonal() {
        boolean[] eq = new boolean[N];
        for (int i = 0; i < N / 4; i++) {
            eq[i] = true;
        }
        GuidanceSampler.Intervals iv = new GuidanceSampler(GuidanceSampler.Options.PAPER).sampleIntervals(eq, new SplittableRandom(12));
        double sumMin = 0;
        double sumMax = 0;
        for (int i = 0; i < N; i++) {
            if (eq[i]) {
                assertEquals(0, iv.tMin()[i]);
                assertEquals(1, iv.tMax()[i]);
            } else {
                assertTrue(iv.tMin()[i] >= 0 && iv.tMin()[i] <= 0.5 && iv.tMax()[i] >= 0.5 && iv.tMax()[i] <= 1);
                sumMin += iv.tMin()[i];
                sumMax += iv.tMax()[i];
            }
        }
        int n = N - N / 4;
        assertEquals(0.25, sumMin / n, 0.002);
        assertEquals(0.75, sumMax / n, 0.002);
    }

    @Test
    void classDropoutNullsTheLeadingFractionOfLabels() {
        GuidanceSampler s = new GuidanceSampler(GuidanceSampler.Options.PAPER);
        SplittableRandom rng = new SplittableRandom(13);
        long total = 0;
        for (int k = 0; k < 1000; k++) {
            total += s.sampleDropCount(256, rng);
        }
        assertEquals(0.1, total / (1000.0 * 256), 0.003);
        assertArrayEquals(new int[] {10, 10, 3, 7}, GuidanceSampler.dropLabels(new int[] {1, 2, 3, 7}, 2, 10));
    }
}
