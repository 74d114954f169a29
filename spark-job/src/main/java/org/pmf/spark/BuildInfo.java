package org.pmf.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit of the code that is running, from {@code org/pmf/spark/build.properties},
 * which the build writes (spark-job/pom.xml, git rev-parse HEAD). A build outside a git checkout has no
 * commit; the values then say "unknown" rather than failing a training run.
 */
public final class BuildInfo {

    static final String RESOURCE = "/org/pmf/spark/build.properties";
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    /** The project version, e.g. 0.1.0-SNAPSHOT. */
    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    /** The commit the code was built from, with "-dirty" when the work tree had changes. */
    public static String commit() {
        String id = PROPS.getProperty("commit", "unknown");
        return "true".equals(PROPS.getProperty("dirty")) ? id + "-dirty" : id;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is treated like a missing one: the version is unknown
        }
        return p;
    }
}
