package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/** pmf.model: presets, overrides and the messages of invalid shapes. */
class PmfNetConfigTest {

    private static PmfNetConfig load(Map<String, String> overrides) {
        return PmfNetConfig.fromConfig(ConfigSection.of(ConfigLoader.load(null, overrides), "pmf.model"));
    }

    @Test
    void referenceDefaultIsTheSmallPreset() {
        assertEquals(PmfNetConfig.preset("small"), load(Map.of()));
        assertEquals(new PmfNetConfig(32, 4, 192, 3, 4, 2, 128, 512, 10), PmfNetConfig.preset("small"));
    }

    @Test
    void paperPresetsFollowTheOfficialWidths() {
        assertEquals(new PmfNetConfig(256, 16, 768, 12, 8, 8, 128, 2048, 1000), PmfNetConfig.preset("B/16"));
        assertEquals(2736, PmfNetConfig.preset("L/32").swigluHidden());
        assertEquals(3416, PmfNetConfig.preset("H/16").swigluHidden());
        assertEquals(256, PmfNetConfig.preset("H/32").bottleneck());
        assertEquals(32, PmfNetConfig.preset("H/32").patchSize());
        assertEquals(40, PmfNetConfig.preset("H/16").trunkDepth());
    }

    @Test
    void nonZeroKeysOverrideThePreset() {
        PmfNetConfig c = load(Map.of("pmf.model.preset", "tiny", "pmf.model.hidden-size", "128", "pmf.model.num-classes", "1000"));
        assertEquals(128, c.hidden());
        assertEquals(1000, c.numClasses());
        assertEquals(4, c.patchSize());
    }

    @Test
    void unknownPresetNamesTheKeyAndTheAllowedNames() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(Map.of("pmf.model.preset", "XL/2")));
        assertEquals("pmf.model.preset", e.key());
        assertTrue(e.getMessage().contains("XL/2") && e.getMessage().contains("B/16") && e.getMessage().contains("small"), e.getMessage());
    }

    @Test
    void patchSizeMustDivideImageSize() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(Map.of("pmf.model.patch-size", "5")));
        assertEquals("pmf.model.patch-size", e.key());
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void headsMustDivideTheWidthIntoRopeSizedHeads() {
        ConfigError notDividing = assertThrows(ConfigError.class, () -> load(Map.of("pmf.model.heads", "5")));
        assertEquals("pmf.model.heads", notDividing.key());
        ConfigError ropeUnfit = assertThrows(ConfigError.class, () -> load(Map.of("pmf.model.heads", "32")));
        assertTrue(ropeUnfit.getMessage().contains("divisible by 4"), ropeUnfit.getMessage());
    }
}
