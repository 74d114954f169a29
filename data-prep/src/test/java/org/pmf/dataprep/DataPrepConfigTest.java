package org.pmf.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

class DataPrepConfigTest {

    private static DataPrepConfig parse(String hocon) {
        return DataPrepConfig.fromConfig(ConfigSection.of(
                ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve(), "pmf.data-prep"));
    }

    @Test
    void referenceDefaultsWithInputAndOutputGiveA256By16Run() {
        DataPrepConfig c = parse("pmf.data-prep { input = \"s3a://b/train\", output = \"s3a://b/out\" }");
        assertEquals(256, c.imageSize());
        assertEquals(16, c.patchSize());
        assertEquals(DataPrepConfig.InputLayout.CLASS_FOLDERS, c.inputLayout());
        assertEquals(DataPrepConfig.OnBadInput.SKIP, c.onBadInput());
        assertEquals(DataPrepConfig.ExistingOutput.RESUME, c.existingOutput());
    }

    @Test
    void missingInputIsAnErrorNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("pmf.data-prep.output = x"));
        assertEquals("pmf.data-prep.input", e.key());
    }

    @Test
    void patchSizeMustDivideImageSize() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("pmf.data-prep { input = a, output = b, image-size = 32, patch-size = 6 }"));
        assertEquals("pmf.data-prep.patch-size", e.key());
        assertTrue(e.getMessage().contains("divide"), e.getMessage());
    }

    @Test
    void flatValNeedsGroundTruthAndSynsets() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("pmf.data-prep { input = a, output = b, input-layout = flat-val }"));
        assertEquals("pmf.data-prep.val-ground-truth", e.key());
    }

    @Test
    void unknownBadInputPolicyListsTheAllowedOnes() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("pmf.data-prep { input = a, output = b, on-bad-input = ignore }"));
        assertTrue(e.getMessage().contains("skip, fail"), e.getMessage());
    }
}
