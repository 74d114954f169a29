package org.pmf.spark.train;

/** Training stopped because losses stayed non-finite for too many rounds in a row. */
public final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String message) {
        super(message);
    }
}
