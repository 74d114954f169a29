package org.pmf.train;

import org.pmf.config.ConfigSection;

/**
 * What a run writes next to each checkpoint for people to look at: the {@code pmf.preview} section.
 *
 * @param enabled  write previews at all
 * @param classes  rows of the sample grid: classes spread evenly over the label range
 * @param perClass samples per row
 * @param omega    guidance scale of the samples
 * @param emaKimg  the EMA (half-life in kimg, one of pmf.ema.half-lives-kimg) to sample from; 0: the raw weights
 * @param seed     noise seed, fixed so that grids of successive checkpoints are comparable
 */
public record PreviewConfig(boolean enabled, int classes, int perClass, double omega, double emaKimg, long seed) {

    public static PreviewConfig fromConfig(ConfigSection s) {
        return new PreviewConfig(s.getBoolean("enabled"), s.getInt("classes", 1, 1000), s.getInt("per-class", 1, 64),
            s.getDouble("omega", 1, 100), s.getDouble("ema-kimg", 0, 1e9), s.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
