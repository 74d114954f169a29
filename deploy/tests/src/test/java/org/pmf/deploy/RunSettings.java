package org.pmf.deploy;

import com.typesafe.config.Config;
import org.pmf.config.ConfigSection;
import org.pmf.config.RunConfig;
import org.pmf.dataprep.DataPrepConfig;
import org.pmf.eval.FmnistEvalConfig;
import org.pmf.io.CheckpointPolicy;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.OptimizerConfig;
import org.pmf.perceptual.PerceptualConfig;
import org.pmf.toy.ToyOptions;
import org.pmf.train.TrainConfig;

/**
 * Every typed section a loaded configuration holds, built as the applications build them: a
 * configuration that loads but fails here would stop a job at start-up on the cluster.
 */
record RunSettings(RunConfig run, DataPrepConfig dataPrep, PmfNetConfig model, ObjectiveOptions objective,
                   OptimizerConfig optimizer, EmaConfig ema, TrainConfig train, CheckpointPolicy checkpoint,
                   PerceptualConfig perceptual, FmnistEvalConfig eval, ToyOptions toy) {

    static RunSettings of(Config resolved) {
        ConfigSection pmf = ConfigSection.of(resolved, "pmf");
        return new RunSettings(RunConfig.fromConfig(pmf.section("run")), DataPrepConfig.fromConfig(pmf.section("data-prep")),
            PmfNetConfig.fromConfig(pmf.section("model")), ObjectiveOptions.fromConfig(pmf.section("objective")),
            OptimizerConfig.fromConfig(pmf.section("optimizer")), EmaConfig.fromConfig(pmf.section("ema")),
            TrainConfig.fromConfig(pmf.section("train")), CheckpointPolicy.fromConfig(pmf.section("checkpoint")),
            PerceptualConfig.fromConfig(pmf.section("perceptual")), FmnistEvalConfig.fromConfig(pmf.section("eval")),
            ToyOptions.fromConfig(pmf.section("toy"), pmf.section("objective")));
    }

    /** The weights-file key and value of each perceptual term this run enables, LPIPS first. */
    java.util.Map<String, String> perceptualWeightFiles() {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        if (perceptual.lpips().enabled()) {
            files.put(LPIPS_WEIGHTS, perceptual.lpips().weightsFile());
        }
        if (perceptual.convnext().enabled()) {
            files.put(CONVNEXT_WEIGHTS, perceptual.convnext().weightsFile());
        }
        return files;
    }

    static final String LPIPS_WEIGHTS = "pmf.perceptual.lpips.weights-file";
    static final String CONVNEXT_WEIGHTS = "pmf.perceptual.convnext.weights-file";
}
