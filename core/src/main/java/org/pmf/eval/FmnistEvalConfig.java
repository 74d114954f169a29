package org.pmf.eval;

import java.nio.file.Path;
import org.pmf.config.ConfigSection;

/**
 * Offline sample evaluation on Fashion-MNIST ({@code pmf.eval}).
 *
 * @param dataDir          folder with the Fashion-MNIST IDX files
 * @param classifierFile   cached classifier weights (.npz); trained and written there when missing
 * @param training         how the classifier is trained
 * @param neighbours       k of k-NN precision / recall
 * @param referenceImages  test images the samples are compared with, the first ones of the split (0: all 10,000)
 */
public record FmnistEvalConfig(Path dataDir, Path classifierFile, FmnistClassifier.Training training, int neighbours,
                               int referenceImages) {

    public static FmnistEvalConfig fromConfig(ConfigSection s) {
        String file = s.getString("classifier-file");
        ConfigSection c = s.section("classifier");
        FmnistClassifier.Training training = new FmnistClassifier.Training(
            c.getInt("epochs", 1, 1000), c.getInt("batch-size", 1, 65536),
            c.getDouble("learning-rate", 1e-7, 1.0), c.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE), c.getBoolean("augment"));
        return new FmnistEvalConfig(Path.of(s.getString("fashion-mnist-dir")),
            file.isBlank() ? defaultClassifierFile() : Path.of(file), training, s.getInt("nearest-neighbours", 1, 100),
            s.getInt("reference-images", 0, Integer.MAX_VALUE));
    }

    /**
     * {@code $XDG_CACHE_HOME/pmf/fmnist-classifier-conv3.npz}, or under {@code ~/.cache} without it. The
     * name carries the architecture, so weights of an older network are never read as this one's.
     */
    static Path defaultClassifierFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("pmf").resolve("fmnist-classifier-conv3.npz");
    }
}
