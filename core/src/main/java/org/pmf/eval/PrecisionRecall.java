package org.pmf.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Improved precision and recall of a generated feature set against a real one (Kynkaanniemi et al.
 * 2019, "Improved Precision and Recall Metric for Assessing Generative Models"): precision is the
 * fraction of generated samples inside the k-NN manifold of the real features, recall the fraction of
 * real samples inside the k-NN manifold of the generated ones. The paper uses k = 3.
 */
public final class PrecisionRecall {

    public static final int DEFAULT_K = 3;

    public record Result(double precision, double recall) {
    }

    private final FeatureManifold real;
    private final int k;

    /** Precomputes the real manifold once, for scoring several generated sets against it. */
    public PrecisionRecall(INDArray realFeatures, int k) {
        this.real = FeatureManifold.of(realFeatures, k);
        this.k = k;
    }

    public Result score(INDArray generatedFeatures) {
        FeatureManifold generated = FeatureManifold.of(generatedFeatures, k);
        return new Result(real.coverage(generatedFeatures), generated.coverage(real.points()));
    }

    public static Result of(INDArray realFeatures, INDArray generatedFeatures, int k) {
        return new PrecisionRecall(realFeatures, k).score(generatedFeatures);
    }
}
