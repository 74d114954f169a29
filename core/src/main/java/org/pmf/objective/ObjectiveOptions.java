package org.pmf.objective;

import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * The settings of the pMF objective, the {@code pmf.objective} section of reference.conf.
 *
 * @param noiseScale s in z_t = (1 - t) x + t s e (paper: image size / 256)
 * @param prediction what the heads output: x (pMF) or u (the paper's u-prediction ablation)
 */
public record ObjectiveOptions(double noiseScale, TimeSampler.Options time, GuidanceSampler.Options guidance,
                               AdaptiveLoss.Options loss, Prediction prediction) implements java.io.Serializable {

    public static final ObjectiveOptions PAPER =
        new ObjectiveOptions(1.0, TimeSampler.Options.PAPER, GuidanceSampler.Options.PAPER, AdaptiveLoss.Options.PAPER);

    /** The paper's x-prediction. */
    public ObjectiveOptions(double noiseScale, TimeSampler.Options time, GuidanceSampler.Options guidance, AdaptiveLoss.Options loss) {
        this(noiseScale, time, guidance, loss, Prediction.X);
    }

    public ObjectiveOptions {
        if (!(noiseScale > 0 && noiseScale <= 100)) {
            throw new ConfigError("pmf.objective.noise-scale", "= " + noiseScale + " is out of range; allowed: (0, 100]");
        }
        if (time == null || guidance == null || loss == null || prediction == null) {
            throw new IllegalArgumentException("objective options need time, guidance, loss and prediction settings");
        }
    }

    /** Reads the {@code pmf.objective} section. */
    public static ObjectiveOptions fromConfig(ConfigSection s) {
        double noiseScale = s.getDouble("noise-scale", 0, 100);
        if (noiseScale == 0) {
            throw s.invalid("noise-scale", noiseScale, "must be > 0");
        }
        return new ObjectiveOptions(noiseScale, TimeSampler.Options.fromConfig(s.section("time")),
            GuidanceSampler.Options.fromConfig(s.section("guidance")), AdaptiveLoss.Options.fromConfig(s.section("loss")),
            s.getEnum("prediction", Prediction.class));
    }

    /** These options with another time sampler (the ablations of the paper's Table 3b). */
    public ObjectiveOptions withTime(TimeSampler.Options newTime) {
        return new ObjectiveOptions(noiseScale, newTime, guidance, loss, prediction);
    }

    /** These options with another prediction kind. */
    public ObjectiveOptions withPrediction(Prediction newPrediction) {
        return new ObjectiveOptions(noiseScale, time, guidance, loss, newPrediction);
    }
}
