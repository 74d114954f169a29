package org.pmf.train;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The random generator of each local step, derived from (run seed, global step, partition) only:
 * a retried task, a resumed run and the single-machine trainer (partition 0 of 1) all draw the
 * same numbers for the same step.
 */
public final class StepSeeds {

    private StepSeeds() {
    }

    public static RandomGenerator forStep(long runSeed, long step, int partition) {
        long s = mix(runSeed ^ 0x9E3779B97F4A7C15L);
        s = mix(s ^ step);
        s = mix(s ^ (((long) partition) << 32 | 0x5851F42DL));
        return new SplittableRandom(s);
    }

    /** SplitMix64's finaliser: consecutive inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
