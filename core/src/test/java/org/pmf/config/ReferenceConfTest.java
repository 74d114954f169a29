package org.pmf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pmf.eval.FmnistEvalConfig;
import org.pmf.io.CheckpointPolicy;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.OptimizerConfig;
import org.pmf.perceptual.PerceptualConfig;
import org.pmf.toy.ToyOptions;
import org.pmf.train.TrainConfig;

/** reference.conf parses and every core section's defaults build their validated record. */
class ReferenceConfTest {

    @Test
    void everyCoreSectionBuildsFromItsDefaults() {
        Config c = ConfigLoader.load(null, Map.of());
        ConfigSection pmf = ConfigSection.of(c, "pmf");
        RunConfig.fromConfig(pmf.section("run"));
        PmfNetConfig model = PmfNetConfig.fromConfig(pmf.section("model"));
        ObjectiveOptions objective = ObjectiveOptions.fromConfig(pmf.section("objective"));
        OptimizerConfig.fromConfig(pmf.section("optimizer"));
        EmaConfig.fromConfig(pmf.section("ema"));
        CheckpointPolicy.fromConfig(pmf.section("checkpoint"));
        org.pmf.io.WriteRetry.fromConfig(pmf.section("checkpoint"));
        org.pmf.train.PreviewConfig.fromConfig(pmf.section("preview"));
        org.pmf.eval.InceptionConfig.fromConfig(pmf.section("eval").section("inception"));
        TrainConfig.fromConfig(pmf.section("train"));
        PerceptualConfig.fromConfig(pmf.section("perceptual"));
        FmnistEvalConfig.fromConfig(pmf.section("eval"));
        ToyOptions.fromConfig(pmf.section("toy"), pmf.section("objective"));
        assertEquals(PmfNetConfig.preset("small"), model);
        assertEquals(ObjectiveOptions.PAPER.time(), objective.time());
    }

    @Test
    void trainStepsMustBeWholeRounds() {
        Config c = ConfigLoader.load(null, Map.of("pmf.train.steps", "10", "pmf.train.local-steps", "4"));
        ConfigError e = org.junit.jupiter.api.Assertions.assertThrows(ConfigError.class,
            () -> TrainConfig.fromConfig(ConfigSection.of(c, "pmf").section("train")));
        assertEquals("pmf.train.steps", e.key());
    }
}
