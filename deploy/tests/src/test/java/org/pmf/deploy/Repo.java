package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the checked files are: the repository root and the built application jars, as the module's
 * pom passes them (system properties). A missing file fails the test with what to build, never
 * skips it.
 */
final class Repo {

    private Repo() {
    }

    static Path root() {
        return Path.of(property("pmf.repo.root")).toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            fail(p + " does not exist");
        }
        return p;
    }

    /** The shaded application jar of {@code module} ("data-prep" or "spark-job"). */
    static Path applicationJar(String module) {
        Path jar = Path.of(property("pmf.app.jar." + module));
        if (!Files.isRegularFile(jar)) {
            fail("the shaded application jar " + jar + " is missing: build it with `mvn test` or `mvn package` from the"
                + " repository root, without -Dpmf.shade.skip");
        }
        return jar;
    }

    /** Regular files under {@code folder} whose names end with one of {@code suffixes}, sorted. */
    static List<Path> files(String folder, String... suffixes) throws IOException {
        try (Stream<Path> s = Files.walk(file(folder))) {
            return s.filter(Files::isRegularFile)
                .filter(p -> Stream.of(suffixes).anyMatch(x -> p.getFileName().toString().endsWith(x)))
                .sorted().toList();
        }
    }

    static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            fail("system property " + name + " is not set: run these tests through Maven (deploy/tests/pom.xml sets it)");
        }
        return v;
    }
}
