package org.pmf.eval;

import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * FID / Inception Score settings: the {@code pmf.eval.inception} section.
 *
 * @param weightsFile    converted FID Inception-v3 weights (any Hadoop path), "" when not supplied
 * @param widthDivisor   1 for the real network; larger only for tests with random small weights
 * @param referenceStats ADM-style reference statistics (.npz with mu and sigma), "" for none
 * @param splits         Inception Score splits (10 as in the paper's evaluations)
 */
public record InceptionConfig(String weightsFile, int widthDivisor, String referenceStats, int splits) {

    public static InceptionConfig fromConfig(ConfigSection s) {
        return new InceptionConfig(s.getString("weights-file"), s.getInt("width-divisor", 1, 32),
            s.getString("reference-stats"), s.getInt("splits", 1, 100));
    }

    /** Refuses to go on without weights, saying how to make them. */
    public String requireWeights() {
        if (weightsFile.isBlank()) {
            throw new ConfigError("pmf.eval.inception.weights-file", "is empty, and FID / IS need the FID Inception-v3 weights."
                + " Convert them once where they exist: python3 core/src/main/python/convert_perceptual_weights.py inception"
                + " --pth pt_inception-2015-12-05-6726825d.pth --out fid_inception.safetensors; then set this key to that file");
        }
        return weightsFile;
    }
}
