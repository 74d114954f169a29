package org.pmf.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pmf.config.ConfigLoader;

/**
 * A parsed command line: {@code --name value} or {@code --name=value} options from a fixed list,
 * {@code -Dkey=value} configuration overrides, and nothing else. Anything unknown is an error that
 * names it, so a typo never silently changes nothing.
 */
public final class CommandLine {

    private final Map<String, String> options;
    private final Map<String, String> overrides;

    private CommandLine(Map<String, String> options, Map<String, String> overrides) {
        this.options = options;
        this.overrides = overrides;
    }

    public static CommandLine parse(String command, List<CliOption> known, String[] args) {
        Map<String, CliOption> byName = new LinkedHashMap<>();
        for (CliOption o : known) {
            byName.put(o.name(), o);
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-D") && a.length() > 2) {
                assignments.add(a.substring(2));
            } else if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                CliOption o = byName.get(name);
                if (o == null) {
                    throw new CliError(command + ": unknown option --" + name + "; see " + command + " --help");
                }
                if (o.isFlag()) {
                    if (value != null) {
                        throw new CliError(command + ": --" + name + " takes no value");
                    }
                    value = "true";
                } else if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new CliError(command + ": --" + name + " needs a value " + o.valueName());
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                throw new CliError(command + ": unexpected argument '" + a + "'; options start with -- and "
                    + "settings are given as -Dpmf.key=value; see " + command + " --help");
            }
        }
        return new CommandLine(options, ConfigLoader.parseOverrides(assignments));
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The {@code --conf-file} value as one path; commands that take overlays use {@link #confFiles()}. */
    public Optional<Path> confFile() {
        return get(CliOption.CONF_FILE.name()).map(Path::of);
    }

    /** The files of {@code --conf-file A,B,...} in order (later ones win), or none. */
    public List<Path> confFiles() {
        List<Path> files = new ArrayList<>();
        for (String f : get(CliOption.CONF_FILE.name()).orElse("").split(",")) {
            if (!f.isBlank()) {
                files.add(Path.of(f.trim()));
            }
        }
        return files;
    }

    /** The run's configuration: reference.conf, the {@code --conf-file}s, then the -D settings. */
    public com.typesafe.config.Config loadConfig() {
        return ConfigLoader.loadFiles(confFiles(), overrides());
    }

    /** The -Dkey=value settings, in the order given. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** The help text of a command: usage line, summary and every option. */
    public static String help(String command, String summary, List<CliOption> known) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ").append(command).append(" [options] [-Dpmf.key=value ...]\n\n").append(summary).append("\n\noptions:\n");
        for (CliOption o : known) {
            String left = "  --" + o.name() + (o.isFlag() ? "" : " " + o.valueName());
            sb.append(String.format("%-28s %s%n", left, o.help()));
        }
        sb.append(String.format("%-28s %s%n", "  -Dpmf.key=value", "any setting of reference.conf, over the file's"));
        return sb.toString();
    }

    /** A command line that cannot be used; the message says what to change. */
    public static final class CliError extends RuntimeException {
        public CliError(String message) {
            super(message);
        }
    }
}
