package org.pmf.objective;

import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * The settings of the pMF objective, the {@code pmf.objective} section of reference.conf.
 *
 * @param noiseScale s in z_t = (1 - t) x + t s e (paper: image size / 256)
 */
public record ObjectiveOptions(double noiseScale, TimeSampler.Options time, GuidanceSampler.Options guidance,
                               AdaptiveLoss.Options loss) implements java.io.Serializable {

    public static final ObjectiveOptions PAPER =
        new ObjectiveOptions(1.0, TimeSampler.Options.PAPER, GuidanceSampler.Options.PAPER, AdaptiveLoss.Options.PAPER);

    public ObjectiveOptions {
        if (!(noiseScale > 0 && noiseScale <= 100)) {
            throw new ConfigError("pmf.objective.noise-scale", "= " + noiseScale + " is out of range; allowed: (0, 100]");
        }
        if (time == null || guidance == null || loss == null) {
            throw new IllegalArgumentException("objective options need time, guidance and loss settings");
        }
    }

    /** Reads the {@code pmf.objective} section. */
    public static ObjectiveOptions fromConfig(ConfigSection s) {
        double noiseScale = s.getDouble("noise-scale", 0, 100);
        if (noiseScale == 0) {
            throw s.invalid("noise-scale", noiseScale, "must be > 0");
        }
        return new ObjectiveOptions(noiseScale, TimeSampler.Options.fromConfig(s.section("time")),
            GuidanceSampler.Options.fromConfig(s.section("guidance")), AdaptiveLoss.Options.fromConfig(s.section("loss")));
    }
}
