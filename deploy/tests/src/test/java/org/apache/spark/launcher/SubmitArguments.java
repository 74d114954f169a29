package org.apache.spark.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spark-submit command line read by Spark's own parser (SparkSubmitOptionParser, package-private,
 * hence this package): which options take values, where the application jar starts and which
 * arguments are the application's are decided exactly as spark-submit decides them.
 */
public final class SubmitArguments extends SparkSubmitOptionParser {

    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final Map<String, String> conf = new LinkedHashMap<>();
    private String appResource;
    private final List<String> appArgs = new ArrayList<>();

    private SubmitArguments() {
    }

    public static SubmitArguments of(List<String> args) {
        SubmitArguments a = new SubmitArguments();
        a.parse(args);
        return a;
    }

    @Override
    protected boolean handle(String opt, String value) {
        if (CONF.equals(opt)) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--conf " + value + " is not KEY=VALUE");
            }
            conf.put(value.substring(0, eq), value.substring(eq + 1));
        }
        options.computeIfAbsent(opt, k -> new ArrayList<>()).add(value);
        return true;
    }

    @Override
    protected boolean handleUnknown(String opt) {
        if (opt.startsWith("-")) {
            throw new IllegalArgumentException("spark-submit does not know the option " + opt);
        }
        appResource = opt;
        return false;
    }

    @Override
    protected void handleExtraArgs(List<String> extra) {
        appArgs.addAll(extra);
    }

    /** The value of a spark-submit option such as --class, if given (the last one wins, as in spark-submit). */
    public String option(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The --conf KEY=VALUE settings. */
    public Map<String, String> conf() {
        return conf;
    }

    public String appResource() {
        return appResource;
    }

    public List<String> appArgs() {
        return appArgs;
    }
}
