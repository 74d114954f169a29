package org.pmf.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

class OptimizerConfigTest {

    @Test
    void referenceDefaultsAreThePapersSettings() {
        ConfigSection pmf = ConfigSection.of(ConfigLoader.load(null, Map.of()), "pmf");
        assertEquals(OptimizerConfig.paperDefaults(), OptimizerConfig.fromConfig(pmf.section("optimizer")));
        assertEquals(EmaConfig.paperDefaults(), EmaConfig.fromConfig(pmf.section("ema")));
    }

    @Test
    void overridesAreRead() {
        ConfigSection pmf = ConfigSection.of(ConfigLoader.load(null, Map.of(
                "pmf.optimizer.kind", "adam", "pmf.optimizer.adam.nesterov", "false",
                "pmf.optimizer.warmup-steps", "100")), "pmf");
        OptimizerConfig c = OptimizerConfig.fromConfig(pmf.section("optimizer"));
        assertEquals(OptimizerConfig.Kind.ADAM, c.kind());
        assertEquals(false, c.adamNesterov());
        assertEquals(100, c.warmupSteps());
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        ConfigError beta = assertThrows(ConfigError.class, () -> OptimizerConfig.fromConfig(ConfigSection.of(
                ConfigLoader.load(null, Map.of("pmf.optimizer.muon.beta", "1.5")), "pmf").section("optimizer")));
        assertEquals("pmf.optimizer.muon.beta", beta.key());
        ConfigError kind = assertThrows(ConfigError.class, () -> OptimizerConfig.fromConfig(ConfigSection.of(
                ConfigLoader.load(null, Map.of("pmf.optimizer.kind", "sgd")), "pmf").section("optimizer")));
        assertTrue(kind.getMessage().contains("muon-adamw"), kind.getMessage());
        ConfigError abc = assertThrows(ConfigError.class, () -> OptimizerConfig.fromConfig(ConfigSection.of(
                ConfigLoader.load(null, Map.of("pmf.optimizer.muon.ns-coefficients", "[1, 2]")), "pmf").section("optimizer")));
        assertEquals("pmf.optimizer.muon.ns-coefficients", abc.key());
    }
}
