package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the official-PyTorch golden fixtures live (see their README). They are shared data, not
 * committed here; {@code -Dpmf.fixtures=<dir>} points the tests elsewhere.
 */
final class OfficialFixtures {

    private OfficialFixtures() {
    }

    static Path file(String name) {
        Path dir = Path.of(System.getProperty("pmf.fixtures", "/work/shared/fixtures/pmf-official-torch"));
        Path f = dir.resolve(name);
        assertTrue(Files.isRegularFile(f), "missing golden fixture " + f + " (set -Dpmf.fixtures=<dir>)");
        return f;
    }
}
