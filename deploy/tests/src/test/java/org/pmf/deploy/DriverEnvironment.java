package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;

/**
 * The configuration a driver with given environment variables resolves. Typesafe Config resolves
 * reference.conf's {@code ${?NAME}} substitutions once per JVM, from that process's environment,
 * so the configuration is loaded (as {@link ConfFilesTest#load} does) in a child JVM started with
 * those variables and none of this JVM's PMF_ ones.
 */
final class DriverEnvironment {

    private static final int CONFIG_ERROR = 3;

    private DriverEnvironment() {
    }

    static Config load(List<Path> files, Map<String, String> overrides, Map<String, String> environment) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), DriverEnvironment.class.getName()));
        files.forEach(f -> cmd.add(f.toString()));
        cmd.add("--");
        overrides.forEach((k, v) -> cmd.add(k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("PMF_"));
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("loading " + files + " in a child JVM took over 60 s");
            }
            if (p.exitValue() == CONFIG_ERROR) {
                int nl = err.indexOf('\n');
                String key = err.substring(0, nl);
                throw new ConfigError(key, err.substring(nl + 1).strip().substring(key.length() + 2));
            }
            if (p.exitValue() != 0) {
                return fail("loading " + files + " with environment " + environment + " failed:\n" + err);
            }
            return ConfigFactory.parseString(new String(out, StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            return fail("cannot start a JVM to load " + files + ": " + e);
        }
    }

    /** Arguments: conf files, "--", key=value overrides. Prints the resolved configuration as JSON. */
    public static void main(String[] args) {
        int sep = List.of(args).indexOf("--");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < sep; i++) {
            files.add(Path.of(args[i]));
        }
        Map<String, String> overrides = new LinkedHashMap<>(
            ConfigLoader.parseOverrides(List.of(args).subList(sep + 1, args.length)));
        try {
            Config c = ConfFilesTest.load(files, overrides);
            System.out.print(c.root().render(ConfigRenderOptions.concise()));
        } catch (ConfigError e) {
            System.err.print(e.key() + "\n" + e.getMessage());
            System.exit(CONFIG_ERROR);
        }
    }
}
