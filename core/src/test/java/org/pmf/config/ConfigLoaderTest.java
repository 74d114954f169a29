package org.pmf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pmf.train.LocalRunConfig;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static RunConfig run(Map<String, String> overrides) {
        Config c = ConfigLoader.load(null, overrides);
        return RunConfig.fromConfig(ConfigSection.of(c, "pmf").section("run"));
    }

    private static LocalRunConfig local(Map<String, String> overrides) {
        Config c = ConfigLoader.load(null, overrides);
        return LocalRunConfig.fromConfig(ConfigSection.of(c, "pmf").section("local"));
    }

    @Test
    void defaultsComeFromReferenceConf() {
        RunConfig r = run(Map.of());
        assertEquals("pmf-demo", r.name());
        assertEquals(0L, r.seed());
    }

    @Test
    void commandLineOverridesWinOverTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("run.conf");
        Files.writeString(f, "pmf.run { name = from-file, seed = 7 }");
        Config c = ConfigLoader.load(f, ConfigLoader.parseOverrides(List.of("pmf.run.seed=11")));
        RunConfig r = RunConfig.fromConfig(ConfigSection.of(c, "pmf").section("run"));
        assertEquals("from-file", r.name());
        assertEquals(11L, r.seed());
    }

    @Test
    void laterFilesWinOverEarlierOnesAndOverridesOverAll(@TempDir Path dir) throws Exception {
        Path preset = dir.resolve("preset.conf");
        Path overlay = dir.resolve("overlay.conf");
        Files.writeString(preset, "pmf.run { name = preset, seed = 7, output = a }");
        Files.writeString(overlay, "pmf.run { name = overlay, output = b }");
        Config c = ConfigLoader.loadFiles(List.of(preset, overlay), Map.of("pmf.run.output", "c"));
        RunConfig r = RunConfig.fromConfig(ConfigSection.of(c, "pmf").section("run"));
        assertEquals("overlay", r.name());
        assertEquals(7L, r.seed());
        assertEquals("c", r.output());
    }

    @Test
    void missingOverlayIsAnErrorNamingTheFile(@TempDir Path dir) {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.loadFiles(List.of(dir.resolve("nope.conf")), Map.of()));
        assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    }

    @Test
    void misspeltKeyFailsNamingItAndSuggestingTheNearestKnownKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(null, Map.of("pmf.run.sed", "3")));
        assertEquals("pmf.run.sed", e.key());
        assertTrue(e.getMessage().contains("did you mean pmf.run.seed?"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyValueAndWhatIsAllowed() {
        ConfigError e = assertThrows(ConfigError.class, () -> local(Map.of("pmf.local.threads", "many")));
        assertEquals("pmf.local.threads", e.key());
        assertTrue(e.getMessage().contains("many") && e.getMessage().contains("[0, 1024]"), e.getMessage());
    }

    @Test
    void outOfRangeValueNamesKeyValueAndRange() {
        ConfigError e = assertThrows(ConfigError.class, () -> local(Map.of("pmf.local.threads", "-2")));
        assertTrue(e.getMessage().startsWith("pmf.local.threads: = -2 is out of range; allowed: [0, 1024]"), e.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path f = dir.resolve("nope.conf");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(f, Map.of()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void secretsAreRedactedWhenRendered() {
        assertTrue(ConfigLoader.isSecret("s3.secret-key"));
        assertTrue(ConfigLoader.isSecret("hadoop.fs.s3a.access.key"));
        assertFalse(ConfigLoader.isSecret("run.seed"));
        Config c = com.typesafe.config.ConfigFactory.parseString(
            "pmf { run.name = visible, s3 { secret-key = hunter2, access-key = AKIAEXAMPLE } }");
        String rendered = ConfigLoader.renderWithoutSecrets(c);
        assertTrue(rendered.contains("visible"), rendered);
        assertFalse(rendered.contains("hunter2") || rendered.contains("AKIAEXAMPLE"), rendered);
    }
}
