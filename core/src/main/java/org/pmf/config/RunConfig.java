package org.pmf.config;

/**
 * What identifies a run and makes it reproducible.
 *
 * @param name    run name; checkpoints go to {@code output/name/}
 * @param output  root of runs: a Hadoop file system URI or a local path
 * @param seed    seed of every random draw of the run
 */
public record RunConfig(String name, String output, long seed) {

    public RunConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigError("pmf.run.name", "= \"" + name + "\" is not allowed: use letters, digits, '.', '_' and '-' only");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigError("pmf.run.output", "must not be empty");
        }
    }

    public static RunConfig fromConfig(ConfigSection s) {
        return new RunConfig(s.getString("name"), s.getString("output"),
            s.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
