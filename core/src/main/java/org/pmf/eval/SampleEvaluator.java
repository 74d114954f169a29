package org.pmf.eval;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores a set of 32 x 32 RGB images against the Fashion-MNIST test set with the project's own
 * classifier: class accuracy against the intended labels, FD-FMNIST (Frechet distance of the
 * classifier's penultimate features to the test set's), and k-NN precision / recall in the same
 * feature space. The reference features are computed once per evaluator.
 */
public final class SampleEvaluator {

    /**
     * @param count          number of images scored
     * @param classAccuracy  fraction classified as their intended label (NaN when no labels were given)
     * @param fd             FD-FMNIST against the reference (test) set
     * @param precision      fraction of images inside the reference set's k-NN manifold
     * @param recall         fraction of reference images inside the images' k-NN manifold
     */
    public record Metrics(int count, double classAccuracy, double fd, double precision, double recall) {

        @Override
        public String toString() {
            return String.format("n %d  class accuracy %.4f  FD-FMNIST %.3f  precision %.4f  recall %.4f",
                count, classAccuracy, fd, precision, recall);
        }
    }

    private final FmnistClassifier classifier;
    private final FeatureStatistics referenceStatistics;
    private final PrecisionRecall precisionRecall;

    /** An evaluator against {@code reference} images (network input [N, 3, 32, 32] in [-1, 1]) with k-NN size {@code k}. */
    public SampleEvaluator(FmnistClassifier classifier, INDArray reference, int k) {
        this.classifier = classifier;
        INDArray features = classifier.run(reference).features();
        this.referenceStatistics = FeatureStatistics.of(features);
        this.precisionRecall = new PrecisionRecall(features, k);
    }

    /** The evaluator of the configuration: cached (or freshly trained) classifier, the test images (all 10,000 by default). */
    public static SampleEvaluator open(FmnistEvalConfig config, Consumer<String> log) throws IOException {
        FmnistClassifier classifier = CachedClassifier.loadOrTrain(config, log);
        FashionMnist.Images test = FashionMnist.read(config.dataDir(), FashionMnist.Split.TEST);
        int n = config.referenceImages() == 0 ? test.count() : Math.min(config.referenceImages(), test.count());
        return new SampleEvaluator(classifier, test.networkInput(0, n), config.neighbours());
    }

    /**
     * Scores {@code images} NCHW [N, 3, 32, 32], either integers 0..255 (uint8 samples, 127.5 x + 128
     * clipped) or floats in [-1, 1]; {@code labels} are the intended classes (null for unconditional samples).
     */
    public Metrics evaluate(INDArray images, int[] labels) {
        INDArray input = networkInput(images);
        if (labels != null && labels.length != input.size(0)) {
            throw new IllegalArgumentException(input.size(0) + " images but " + labels.length + " labels");
        }
        FmnistClassifier.Outputs out = classifier.run(input);
        double accuracy = labels == null ? Double.NaN : FmnistClassifier.accuracyOfLogits(out.logits(), labels);
        double fd = FrechetDistance.between(FeatureStatistics.of(out.features()), referenceStatistics);
        PrecisionRecall.Result pr = precisionRecall.score(out.features());
        return new Metrics((int) input.size(0), accuracy, fd, pr.precision(), pr.recall());
    }

    /**
     * Images as the classifier's input: floats in [-1, 1] pass through; integers 0..255 map to
     * v / 127.5 - 1, the centre of the uint8 bin that 127.5 x + 128 (truncated) puts x into.
     */
    public static INDArray networkInput(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3 || images.size(2) != FashionMnist.SIDE || images.size(3) != FashionMnist.SIDE) {
            throw new IllegalArgumentException("images must be NCHW [N, 3, 32, 32], got " + Arrays.toString(images.shape()));
        }
        double min = images.minNumber().doubleValue();
        double max = images.maxNumber().doubleValue();
        if (images.dataType().isIntType()) {
            if (min < 0 || max > 255) {
                throw new IllegalArgumentException("integer images must lie in 0..255, got " + min + ".." + max);
            }
            return images.castTo(DataType.FLOAT).divi(127.5).subi(1.0);
        }
        if (min < -1.0 - 1e-6 || max > 1.0 + 1e-6) {
            throw new IllegalArgumentException("float images must lie in [-1, 1], got [" + min + ", " + max + "]");
        }
        return images.castTo(DataType.FLOAT);
    }
}
