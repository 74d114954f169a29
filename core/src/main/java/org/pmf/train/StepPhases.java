package org.pmf.train;

import java.util.EnumMap;
import java.util.Map;

/**
 * Wall time of each phase of the last training step: what the step-time benchmark reports and what
 * a slow run can be diagnosed with. Phases are timed back to back, so their sum is the step's time
 * inside {@link PmfTrainingStep} (the optimizer update is timed by whoever applies it).
 */
public final class StepPhases {

    /** The parts of one pMF training step, in the order they run. */
    public enum Phase {
        /** Random draws, z_t, and the v-head passes at h = 0 that give the guided target and the tangent. */
        GUIDANCE,
        /** Both heads at h = t - r: the primal of the JVP pass. */
        FORWARD,
        /** The u-head tangent along (v_c, dh = 1). */
        TANGENT,
        /** x to u conversion, V, the adaptive losses and their gradients (element-wise work). */
        LOSS,
        /** Reverse mode through both heads and the trunk into the parameter gradients. */
        BACKWARD
    }

    private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private long mark;

    /** Clears the previous step's times and starts the clock of the first phase. */
    void start() {
        nanos.clear();
        mark = System.nanoTime();
    }

    /** Ends {@code phase}: the time since the previous mark is charged to it. */
    void end(Phase phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - mark, Long::sum);
        mark = now;
    }

    /** Seconds spent in {@code phase} during the last step (0 if it did not run). */
    public double seconds(Phase phase) {
        return nanos.getOrDefault(phase, 0L) / 1e9;
    }

    /** Every phase that ran, in seconds. */
    public Map<Phase, Double> all() {
        EnumMap<Phase, Double> m = new EnumMap<>(Phase.class);
        nanos.forEach((p, n) -> m.put(p, n / 1e9));
        return m;
    }
}
