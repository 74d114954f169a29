package org.pmf.train;

import java.util.Map;

/** Training stopped because too many steps in a row produced non-finite metrics. */
public final class NonFiniteLossException extends RuntimeException {

    public NonFiniteLossException(long step, int inARow, Map<String, Double> metrics) {
        super("non-finite metrics in " + inARow + " consecutive steps (the last after update " + step + "): " + metrics
                + "; no update was applied for them, the last checkpoint is intact");
    }

    /** For loops that count differently (the Spark driver counts rounds); the message says what happened. */
    public NonFiniteLossException(String message) {
        super(message);
    }
}
