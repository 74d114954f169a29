package org.pmf.io;

import org.pmf.config.ConfigSection;

/**
 * How often a checkpoint save is attempted before training gives up, and the pause before the
 * second attempt (doubled before each further one). Object stores fail transiently (throttling,
 * a dropped connection) in ways their clients' own retries do not always absorb; every attempt
 * rewrites the whole step folder, and readers never accept a step whose COMMIT is missing.
 *
 * @param attempts      saves tried in all, at least 1
 * @param backoffMillis pause before the second attempt
 */
public record WriteRetry(int attempts, long backoffMillis) {

    /** One attempt, no retry. */
    public static final WriteRetry NONE = new WriteRetry(1, 0);

    public WriteRetry {
        if (attempts < 1 || backoffMillis < 0) {
            throw new IllegalArgumentException("attempts must be >= 1 and backoffMillis >= 0, not " + attempts + ", " + backoffMillis);
        }
    }

    /** Reads {@code write-attempts} and {@code write-backoff-seconds} of {@code pmf.checkpoint}. */
    public static WriteRetry fromConfig(ConfigSection checkpoint) {
        return new WriteRetry(checkpoint.getInt("write-attempts", 1, 100),
                Math.round(checkpoint.getDouble("write-backoff-seconds", 0, 3600) * 1000));
    }

    /** The pause after failed attempt {@code attempt} (1-based). */
    long pauseAfter(int attempt) {
        return backoffMillis << Math.min(attempt - 1, 20);
    }
}
