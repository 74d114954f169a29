package org.pmf.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the one resolved configuration of a run, in increasing priority: {@code reference.conf}
 * (every key and its documented default), an optional preset or user file, environment variables
 * named in reference.conf, {@code -Dpmf.key=value} system properties, then explicit overrides
 * (command-line {@code -Dkey=value} arguments).
 *
 * <p>Every key under {@code pmf} must exist in reference.conf: a misspelt key is an error at
 * start-up, with the nearest known key suggested, never a setting silently ignored.
 */
public final class ConfigLoader {

    public static final String NAMESPACE = "pmf";

    private ConfigLoader() {
    }

    /** Loads and checks a configuration; {@code file} may be null. */
    public static Config load(Path file, Map<String, String> overrides) {
        return loadFiles(file == null ? List.of() : List.of(file), overrides);
    }

    /**
     * Loads and checks a configuration from several files, each over the ones before it: a preset
     * followed by cluster overlays, e.g. {@code imagenet-256-b16.conf, yarn.conf, gpu.conf}.
     */
    public static Config loadFiles(List<Path> files, Map<String, String> overrides) {
        Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
        Config user = ConfigFactory.empty();
        for (Path file : files) {
            user = parseFile(file).withFallback(user);
        }
        Config cli = ConfigFactory.parseMap(overrides == null ? Map.of() : overrides, "command-line overrides");
        Config merged;
        try {
            merged = cli
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(user)
                .withFallback(reference)
                .resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new ConfigError(NAMESPACE, "cannot resolve configuration: " + e.getMessage());
        }
        checkKnownKeys(reference, merged);
        return merged;
    }

    private static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigError(NAMESPACE, "configuration file " + file + " does not exist or is not a file");
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError(NAMESPACE, "cannot parse " + file + ": " + e.getMessage());
        }
    }

    /** Parses {@code key=value} pairs, as given on a command line after -D. */
    public static Map<String, String> parseOverrides(List<String> assignments) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError(a, "an override must look like key=value");
            }
            out.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return out;
    }

    /** The configuration of the run as HOCON text, with secrets removed: safe to log and to checkpoint. */
    public static String renderWithoutSecrets(Config resolved) {
        Config pmf = resolved.getConfig(NAMESPACE);
        for (Map.Entry<String, ConfigValue> e : pmf.entrySet()) {
            if (isSecret(e.getKey())) {
                pmf = pmf.withValue(e.getKey(), com.typesafe.config.ConfigValueFactory.fromAnyRef("<redacted>"));
            }
        }
        return pmf.atKey(NAMESPACE).root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }

    /** Keys whose values must never be logged or written into a checkpoint. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("secret") || k.contains("access.key") || k.contains("access-key")
            || k.contains("password") || k.contains("session.token") || k.contains("session-token")
            || k.endsWith("credential") || k.endsWith("token")
            || k.matches(".*(access.?key|secret.?key|session.?token|password).*");
    }

    private static void checkKnownKeys(Config reference, Config merged) {
        if (!merged.hasPath(NAMESPACE)) {
            return;
        }
        Set<String> known = new TreeSet<>();
        if (reference.hasPath(NAMESPACE)) {
            for (Map.Entry<String, ConfigValue> e : reference.getConfig(NAMESPACE).entrySet()) {
                known.add(e.getKey());
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : merged.getConfig(NAMESPACE).entrySet()) {
            if (!known.contains(e.getKey()) && !underKnownLeaf(e.getKey(), known)) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            String key = unknown.get(0);
            String hint = nearest(key, known);
            throw new ConfigError(NAMESPACE + "." + key, "is not a known setting"
                + (hint == null ? "" : "; did you mean " + NAMESPACE + "." + hint + "?")
                + (unknown.size() > 1 ? " (" + (unknown.size() - 1) + " more unknown keys)" : "")
                + "; every setting is listed with its default in core/src/main/resources/reference.conf");
        }
    }

    /** A reference leaf may itself be an object a user replaces (e.g. a map-valued default). */
    private static boolean underKnownLeaf(String key, Set<String> known) {
        for (String k : known) {
            if (key.startsWith(k + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String nearest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(3, key.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
