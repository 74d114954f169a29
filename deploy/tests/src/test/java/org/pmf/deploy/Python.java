package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** python3 as a tool of the tests (.ci/run installs it); missing, it fails the test saying so. */
final class Python {

    private Python() {
    }

    /** Runs python3 with the arguments; returns its standard output, or fails with its errors. */
    static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            return fail("python3 is needed to check the Airflow DAGs and is not on the PATH (Debian: apt-get install python3;"
                + " .ci/run installs it): " + e.getMessage());
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python3 " + String.join(" ", args) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            fail("python3 " + String.join(" ", args) + " failed:\n" + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The test's own Python scripts live in src/test/python of this module. */
    static Path script(String name) {
        Path p = Repo.root().resolve("deploy/tests/src/test/python").resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("missing test script " + p);
        }
        return p;
    }
}
