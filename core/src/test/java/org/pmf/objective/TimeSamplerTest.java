package org.pmf.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/** The (r, t) sampler's distribution on large samples, its modes, determinism and configuration. */
class TimeSamplerTest {

    private static final int N = 200_000;

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void defaultSamplerGivesLeadingHalfOnTheDiagonalAndSortedLogitNormalPairsElsewhere() {
        TimeSampler.Times s = new TimeSampler(TimeSampler.Options.PAPER).sample(N, new SplittableRandom(1));
        double sumEq = 0;
        double sumSqEq = 0;
        double sumHi = 0;
        double sumLo = 0;
        for (int i = 0; i < N; i++) {
            assertTrue(s.r()[i] >= 0 && s.r()[i] <= s.t()[i] && s.t()[i] <= 1, "0 <= r <= t <= 1 at " + i);
            assertEquals(i < N / 2, s.equalTimes()[i]);
            if (i < N / 2) {
                assertEquals(s.t()[i], s.r()[i]);
                double l = logit(s.t()[i]);
                sumEq += l;
                sumSqEq += l * l;
            } else {
                assertTrue(s.r()[i] < s.t()[i]);
                sumHi += logit(s.t()[i]);
                sumLo += logit(s.r()[i]);
            }
        }
        int half = N / 2;
        double mean = sumEq / half;
        assertEquals(0.8, mean, 0.01);
        assertEquals(0.8, Math.sqrt(sumSqEq / half - mean * mean), 0.01);
        // E max / min of two i.i.d. N(mu, sigma^2) = mu +- sigma / sqrt(pi)
        assertEquals(0.8 + 0.8 / Math.sqrt(Math.PI), sumHi / half, 0.01);
        assertEquals(0.8 - 0.8 / Math.sqrt(Math.PI), sumLo / half, 0.01);
    }

    @Test
    void uniformFractionReplacesPairsBeforeTheDiagonalAssignment() {
        // A logit-normal concentrated at sigmoid(5) = 0.9933 makes the uniform draws visible.
        TimeSampler sampler = new TimeSampler(new TimeSampler.Options(TimeSampler.Mode.FULL_PLANE, 5, 1e-3, 0.5, 0.1));
        TimeSampler.Times s = sampler.sample(N, new SplittableRandom(2));
        int lowEq = 0;
        int lowOff = 0;
        for (int i = 0; i < N; i++) {
            boolean low = s.t()[i] < 0.99;
            if (i < N / 2) {
                lowEq += low ? 1 : 0;
                assertEquals(s.t()[i], s.r()[i]);
            } else {
                lowOff += low ? 1 : 0;
            }
        }
        // r = t examples: t ~ U(0,1) with probability 0.1, so P(t < 0.99) = 0.099;
        // others: t = max of two uniforms, P(t < 0.99) = 0.1 * 0.99^2.
        assertEquals(0.1 * 0.99, lowEq / (N / 2.0), 0.004);
        assertEquals(0.1 * 0.99 * 0.99, lowOff / (N / 2.0), 0.004);
    }

    @Test
    void ablationModesSampleTheirLines() {
        SplittableRandom rng = new SplittableRandom(3);
        TimeSampler.Times eq = new TimeSampler(new TimeSampler.Options(TimeSampler.Mode.ONLY_R_EQUALS_T, 0.8, 0.8, 0.5, 0))
            .sample(1000, rng);
        TimeSampler.Times zero = new TimeSampler(new TimeSampler.Options(TimeSampler.Mode.ONLY_R_ZERO, 0.8, 0.8, 0.5, 0))
            .sample(1000, rng);
        TimeSampler.Times two = new TimeSampler(new TimeSampler.Options(TimeSampler.Mode.TWO_LINES, 0.8, 0.8, 0.25, 0))
            .sample(1000, rng);
        for (int i = 0; i < 1000; i++) {
            assertEquals(eq.t()[i], eq.r()[i]);
            assertTrue(eq.equalTimes()[i]);
            assertEquals(0, zero.r()[i]);
            assertFalse(zero.equalTimes()[i]);
            assertTrue(zero.t()[i] > 0);
            assertEquals(i < 250 ? two.t()[i] : 0, two.r()[i]);
        }
    }

    @Test
    void eachExampleGetsItsOwnPairAndASeedFixesTheDraws() {
        TimeSampler sampler = new TimeSampler(TimeSampler.Options.PAPER);
        TimeSampler.Times a = sampler.sample(64, new SplittableRandom(7));
        TimeSampler.Times b = sampler.sample(64, new SplittableRandom(7));
        assertArrayEquals(a.t(), b.t());
        assertArrayEquals(a.r(), b.r());
        assertEquals(64, java.util.Arrays.stream(a.t()).distinct().count());
        assertEquals(32, java.util.Arrays.stream(a.r()).skip(32).distinct().count());
    }

    @Test
    void configurationDefaultsAreThePapersAndBadValuesNameTheirKey() {
        ConfigSection s = ConfigSection.of(ConfigLoader.load(null, Map.of()), "pmf.objective");
        assertEquals(ObjectiveOptions.PAPER, ObjectiveOptions.fromConfig(s));
        ConfigError e = assertThrows(ConfigError.class, () -> ObjectiveOptions.fromConfig(ConfigSection.of(
            ConfigLoader.load(null, Map.of("pmf.objective.time.equal-fraction", "1.5")), "pmf.objective")));
        assertEquals("pmf.objective.time.equal-fraction", e.key());
        ConfigError mode = assertThrows(ConfigError.class, () -> ObjectiveOptions.fromConfig(ConfigSection.of(
            ConfigLoader.load(null, Map.of("pmf.objective.time.mode", "diagonal")), "pmf.objective")));
        assertTrue(mode.getMessage().contains("only-r-equals-t"), mode.getMessage());
    }
}
