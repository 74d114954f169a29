package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigError;

/**
 * One application run as a deployment file writes it: the main class and its arguments. Checking
 * it parses the arguments with the application's own options and loads the configuration they
 * name (conf files, then -D overrides) through ConfigLoader, building every typed section.
 *
 * @param where       the file (and place in it) that holds the invocation, for messages
 * @param application the main class named
 * @param args        the application's arguments
 */
record Invocation(String where, Application application, List<String> args) {

    /**
     * Checks the invocation; {@code confFile} maps each --conf-file entry to the repository file it
     * stands for (e.g. a ConfigMap mount path to conf/NAME), failing when there is none.
     */
    Checked check(Function<String, Path> confFile) {
        return check(confFile, Map.of());
    }

    /**
     * Checks the invocation as a driver with these environment variables would run it (e.g. a
     * manifest's driver env): they fill the conf files' and reference.conf's {@code ${?NAME}}.
     */
    Checked check(Function<String, Path> confFile, Map<String, String> environment) {
        CommandLine cli = application.parse(args, where);
        List<Path> files = new ArrayList<>();
        for (Path entry : cli.confFiles()) {
            Path file = confFile.apply(entry.toString());
            if (file == null || !Files.isRegularFile(file)) {
                fail(where + ": --conf-file " + entry + " is not a file of conf/");
            }
            files.add(file);
        }
        List<String> settings = new ArrayList<>();
        cli.overrides().forEach((k, v) -> settings.add(k + "=" + v));
        if (!environment.isEmpty()) {
            settings.add("environment " + environment);
        }
        try {
            Config config = ConfFilesTest.load(files, cli.overrides(), environment);
            return new Checked(cli, config, RunSettings.of(config));
        } catch (ConfigError e) {
            return fail(where + ": " + files + " with " + settings + ": " + e.getMessage());
        }
    }

    /** A checked invocation: its parsed command line, and the configuration and settings the job would run with. */
    record Checked(CommandLine cli, Config config, RunSettings settings) {
    }
}
