package org.pmf.train;

import org.pmf.config.ConfigSection;
import org.pmf.config.RunConfig;
import org.pmf.io.CheckpointPolicy;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.OptimizerConfig;

/**
 * Every shared section a pMF training reads, validated at once: what a trainer (local or Spark)
 * needs besides its own section.
 */
public record TrainingSettings(RunConfig run, TrainConfig train, PmfNetConfig model, ObjectiveOptions objective,
                               OptimizerConfig optimizer, EmaConfig ema, CheckpointPolicy checkpoint) {

    /** Reads {@code pmf.run}, {@code train}, {@code model}, {@code objective}, {@code optimizer}, {@code ema} and {@code checkpoint}. */
    public static TrainingSettings fromConfig(ConfigSection pmf) {
        return new TrainingSettings(RunConfig.fromConfig(pmf.section("run")), TrainConfig.fromConfig(pmf.section("train")),
            PmfNetConfig.fromConfig(pmf.section("model")), ObjectiveOptions.fromConfig(pmf.section("objective")),
            OptimizerConfig.fromConfig(pmf.section("optimizer")), EmaConfig.fromConfig(pmf.section("ema")),
            CheckpointPolicy.fromConfig(pmf.section("checkpoint")));
    }
}
