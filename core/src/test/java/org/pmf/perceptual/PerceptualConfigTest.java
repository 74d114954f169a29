package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;
import org.pmf.data.PatchLayout;

class PerceptualConfigTest {

    private static PerceptualConfig load(Map<String, String> overrides) {
        return PerceptualConfig.fromConfig(ConfigSection.of(ConfigLoader.load(null, overrides), "pmf.perceptual"));
    }

    @Test
    void defaultsAreThePapersSettingsWithBothTermsOff() {
        PerceptualConfig c = load(Map.of());
        assertFalse(c.anyEnabled());
        assertEquals(0.4, c.lpips().weight());
        assertEquals(0.1, c.convnext().weight());
        assertEquals(0.8, c.maxT());
        assertEquals(224, c.resolution());
        assertEquals(0.08, c.crop().minArea());
        assertArrayEquals(new long[] {128, 256, 512, 1024}, c.convnextDims());
        assertArrayEquals(new int[] {3, 3, 27, 3}, c.convnextDepths());
        assertTrue(PerceptualLosses.fromConfig(c, PatchLayout.rgb(256, 16), DataType.FLOAT).isEmpty());
    }

    @Test
    void anEnabledTermWithoutWeightsRefusesToStartAndSaysHowToProduceThem() {
        PerceptualConfig c = load(Map.of("pmf.perceptual.lpips.enabled", "true"));
        ConfigError e = assertThrows(ConfigError.class, () -> PerceptualLosses.fromConfig(c, PatchLayout.rgb(256, 16), DataType.FLOAT));
        assertTrue(e.getMessage().contains("pmf.perceptual.lpips.weights-file"), e.getMessage());
        assertTrue(e.getMessage().contains("convert_perceptual_weights.py lpips"), e.getMessage());
    }

    @Test
    void aWeightsFileThatDoesNotExistIsNamed() {
        PerceptualConfig c = load(Map.of("pmf.perceptual.convnext.enabled", "true",
            "pmf.perceptual.convnext.weights-file", "/nonexistent/cnx.npz"));
        ConfigError e = assertThrows(ConfigError.class, () -> PerceptualLosses.fromConfig(c, PatchLayout.rgb(256, 16), DataType.FLOAT));
        assertTrue(e.getMessage().contains("/nonexistent/cnx.npz"), e.getMessage());
        assertTrue(e.getMessage().contains("convert_perceptual_weights.py convnext"), e.getMessage());
    }

    @Test
    void anInvertedCropAreaRangeIsRejectedNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(Map.of("pmf.perceptual.crop.min-area", "0.9",
            "pmf.perceptual.crop.max-area", "0.5")));
        assertTrue(e.getMessage().contains("pmf.perceptual.crop.min-area"), e.getMessage());
    }

    @Test
    void aConvNextWithThreeStagesIsRejected() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(Map.of("pmf.perceptual.convnext.depths", "[3, 3, 27]")));
        assertTrue(e.getMessage().contains("pmf.perceptual.convnext.depths"), e.getMessage());
    }
}
