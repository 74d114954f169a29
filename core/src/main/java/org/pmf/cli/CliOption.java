package org.pmf.cli;

/**
 * One command-line option of a command: the single definition that parsing, {@code --help} and
 * the deployment-file checks all read.
 *
 * @param name      the option without dashes, e.g. "conf-file"
 * @param valueName what the value is, e.g. "FILE"; null for a flag
 * @param help      one line of help
 */
public record CliOption(String name, String valueName, String help) {

    public CliOption {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option names are lower-case kebab words: " + name);
        }
    }

    public boolean isFlag() {
        return valueName == null;
    }

    /** The configuration file option every command has. */
    public static final CliOption CONF_FILE =
        new CliOption("conf-file", "FILE[,FILE...]",
            "HOCON files with settings over reference.conf, each over the ones before it (a preset from conf/, then overlays)");

    public static final CliOption HELP = new CliOption("help", null, "print this help and exit");
}
