package org.pmf.config;

/**
 * A setting that cannot be used. The message names the full key, the value found and what is
 * allowed, so a user can fix the run from the message alone.
 */
public final class ConfigError extends RuntimeException {

    private final String key;

    public ConfigError(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The full dotted key, e.g. {@code pmf.model.patch-size}. */
    public String key() {
        return key;
    }
}
