package org.pmf.io;

import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * When checkpoints are written and which survive, read from {@code pmf.checkpoint}.
 *
 * @param everySteps save every this many updates (0: only at the end)
 * @param keepLast   the newest this many committed checkpoints are kept
 * @param keepEvery  also kept: every checkpoint whose step is a multiple of this (0: none)
 */
public record CheckpointPolicy(long everySteps, int keepLast, long keepEvery) {

    public CheckpointPolicy {
        if (everySteps < 0) {
            throw new ConfigError("pmf.checkpoint.every-steps", "= " + everySteps + " is out of range; allowed: >= 0");
        }
        if (keepLast < 1) {
            throw new ConfigError("pmf.checkpoint.keep-last", "= " + keepLast + " is out of range; allowed: >= 1");
        }
        if (keepEvery < 0) {
            throw new ConfigError("pmf.checkpoint.keep-every", "= " + keepEvery + " is out of range; allowed: >= 0");
        }
    }

    public static CheckpointPolicy fromConfig(ConfigSection s) {
        return new CheckpointPolicy(s.getLong("every-steps", 0, Long.MAX_VALUE), s.getInt("keep-last", 1, 1_000_000),
                s.getLong("keep-every", 0, Long.MAX_VALUE));
    }

    /** Whether a checkpoint is due after update {@code step}. */
    public boolean dueAt(long step) {
        return everySteps > 0 && step % everySteps == 0;
    }

    /** Whether a checkpoint of {@code step} is kept for its own sake (a multiple of keep-every). */
    public boolean keptForever(long step) {
        return keepEvery > 0 && step % keepEvery == 0;
    }
}
