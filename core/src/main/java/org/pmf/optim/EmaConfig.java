package org.pmf.optim;

import java.util.List;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * EDM-style EMA half-lives (pmf-method.md section 4.1), read from {@code pmf.ema}.
 *
 * @param halfLivesKimg one EMA per entry, each a half-life in thousands of images (official: 500, 1000, 2000)
 * @param rampUp        the half-life never exceeds this fraction of the images seen so far (0.05)
 */
public record EmaConfig(List<Double> halfLivesKimg, double rampUp) {

    public EmaConfig {
        halfLivesKimg = List.copyOf(halfLivesKimg);
        if (halfLivesKimg.size() != halfLivesKimg.stream().distinct().count()) {
            throw new ConfigError("pmf.ema.half-lives-kimg", "= " + halfLivesKimg + " is not allowed: each half-life at most once");
        }
        for (double h : halfLivesKimg) {
            if (!(h > 0)) {
                throw new ConfigError("pmf.ema.half-lives-kimg", "contains " + h + "; allowed: numbers > 0");
            }
        }
        if (!(rampUp > 0 && rampUp <= 1)) {
            throw new ConfigError("pmf.ema.ramp-up", "= " + rampUp + " is out of range; allowed: (0, 1]");
        }
    }

    public static EmaConfig paperDefaults() {
        return new EmaConfig(List.of(500.0, 1000.0, 2000.0), 0.05);
    }

    public static EmaConfig fromConfig(ConfigSection s) {
        return new EmaConfig(s.getDoubleList("half-lives-kimg", 1e-6, 1e9), s.getDouble("ramp-up", 1e-9, 1));
    }
}
