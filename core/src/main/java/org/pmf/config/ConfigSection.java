package org.pmf.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed, range-checked reads from one section of the resolved HOCON tree. Every failure is a
 * {@link ConfigError} naming the full key, the value and what is allowed. Records build themselves
 * from a section ({@code fromConfig(ConfigSection)}); records, not {@link Config}s, travel on.
 */
public final class ConfigSection {

    private final Config config;
    private final String path;

    private ConfigSection(Config config, String path) {
        this.config = config;
        this.path = path;
    }

    /** The section at {@code path} (e.g. "pmf") of a resolved configuration. */
    public static ConfigSection of(Config resolved, String path) {
        if (!resolved.hasPath(path)) {
            throw new ConfigError(path, "section is missing (is reference.conf on the class path?)");
        }
        return new ConfigSection(resolved.getConfig(path), path);
    }

    public ConfigSection section(String key) {
        try {
            return new ConfigSection(config.getConfig(key), fullKey(key));
        } catch (ConfigException.Missing e) {
            throw new ConfigError(fullKey(key), "section is missing");
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be an object { ... }, found " + describe(key));
        }
    }

    /** The dotted path of this section, e.g. "pmf.model". */
    public String path() {
        return path;
    }

    public String fullKey(String key) {
        return path + "." + key;
    }

    public boolean has(String key) {
        return config.hasPath(key);
    }

    /** The underlying HOCON of this section, for unknown-key checks and provenance. */
    public Config raw() {
        return config;
    }

    public int getInt(String key, int min, int max) {
        int v;
        try {
            v = config.getInt(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be an integer in [" + min + ", " + max + "], found " + describe(key));
        }
        if (v < min || v > max) {
            throw new ConfigError(fullKey(key), "= " + v + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return v;
    }

    public long getLong(String key, long min, long max) {
        long v;
        try {
            v = config.getLong(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be an integer in [" + min + ", " + max + "], found " + describe(key));
        }
        if (v < min || v > max) {
            throw new ConfigError(fullKey(key), "= " + v + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A number in the closed interval [min, max]; NaN is never allowed. */
    public double getDouble(String key, double min, double max) {
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be a number in [" + min + ", " + max + "], found " + describe(key));
        }
        if (!(v >= min && v <= max)) {
            throw new ConfigError(fullKey(key), "= " + v + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return v;
    }

    public boolean getBoolean(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be true or false, found " + describe(key));
        }
    }

    public String getString(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be a string, found " + describe(key));
        }
    }

    /**
     * One of an enum's constants, written in HOCON in lower-case kebab form
     * (e.g. {@code only-r-equals-t} for {@code ONLY_R_EQUALS_T}).
     */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        String s = getString(key);
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String kebab = kebab(e);
            if (kebab.equals(s)) {
                return e;
            }
            allowed.add(kebab);
        }
        throw new ConfigError(fullKey(key), "= \"" + s + "\" is not allowed; allowed: " + String.join(", ", allowed));
    }

    public List<Double> getDoubleList(String key, double min, double max) {
        List<Double> list;
        try {
            list = config.getDoubleList(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be a list of numbers in [" + min + ", " + max + "], found " + describe(key));
        }
        for (double v : list) {
            if (!(v >= min && v <= max)) {
                throw new ConfigError(fullKey(key), "contains " + v + ", out of range; allowed: [" + min + ", " + max + "]");
            }
        }
        return List.copyOf(list);
    }

    public List<Integer> getIntList(String key, int min, int max) {
        List<Integer> list;
        try {
            list = config.getIntList(key);
        } catch (ConfigException.Missing e) {
            throw missing(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(fullKey(key), "must be a list of integers in [" + min + ", " + max + "], found " + describe(key));
        }
        for (int v : list) {
            if (v < min || v > max) {
                throw new ConfigError(fullKey(key), "contains " + v + ", out of range; allowed: [" + min + ", " + max + "]");
            }
        }
        return List.copyOf(list);
    }

    /** An error about a value that passed its own type and range check but breaks a rule across keys. */
    public ConfigError invalid(String key, Object value, String allowed) {
        return new ConfigError(fullKey(key), "= " + value + " is not allowed: " + allowed);
    }

    public static String kebab(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private ConfigError missing(String key) {
        return new ConfigError(fullKey(key), "is missing (every setting has a default in reference.conf)");
    }

    private String describe(String key) {
        ConfigValue v = config.getValue(key);
        return v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render();
    }
}
