package org.pmf.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * The evaluator's classifier: loaded from its cache file, or trained on Fashion-MNIST train and written
 * there when the file is missing (never fetched from anywhere).
 */
public final class CachedClassifier {

    /** A trained classifier and its accuracy on the 10,000 test images. */
    public record Trained(FmnistClassifier classifier, double testAccuracy, double seconds) {
    }

    private CachedClassifier() {
    }

    public static FmnistClassifier loadOrTrain(FmnistEvalConfig config, Consumer<String> log) throws IOException {
        if (Files.isRegularFile(config.classifierFile())) {
            return FmnistClassifier.load(config.classifierFile());
        }
        log.accept("No cached Fashion-MNIST classifier at " + config.classifierFile()
            + ": training it now (once; about " + config.training().epochs() + " epochs over 60,000 images).");
        return trainAndSave(config, log).classifier();
    }

    /** Trains a classifier from scratch, measures its test accuracy and writes it to the cache file. */
    public static Trained trainAndSave(FmnistEvalConfig config, Consumer<String> log) throws IOException {
        return trainAndSave(FmnistClassifier.initialised(config.training().seed()), config, log);
    }

    /** Trains {@code classifier} further (fresh optimizer state), measures its test accuracy and writes it to the cache file. */
    public static Trained trainAndSave(FmnistClassifier classifier, FmnistEvalConfig config, Consumer<String> log) throws IOException {
        FashionMnist.Images train = FashionMnist.read(config.dataDir(), FashionMnist.Split.TRAIN);
        FashionMnist.Images test = FashionMnist.read(config.dataDir(), FashionMnist.Split.TEST);
        long start = System.nanoTime();
        classifier.train(train, config.training(), 0, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = classifier.accuracy(test.networkInput(0, test.count()), test.labels());
        classifier.save(config.classifierFile());
        log.accept(String.format("Classifier trained in %.0f s: test accuracy %.4f; saved to %s", seconds, accuracy, config.classifierFile()));
        return new Trained(classifier, accuracy, seconds);
    }
}
