package org.pmf.perceptual;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen network's distance between two batches of images, NCHW [B, 3, S, S] in [-1, 1]
 * (the official code feeds [-1, 1] without ImageNet normalisation, pmf-method.md section 1.6).
 * Examples are independent: distance i depends only on image pair i.
 */
public interface PerceptualDistance {

    /** The distance per example, [B]. */
    INDArray distance(INDArray pred, INDArray target);

    /**
     * The distance per example and, for each example i, d distance_i / d pred_i, [B, 3, S, S]
     * (the gradient of the summed distances, which is the same thing since examples are independent).
     */
    DistanceGradient distanceAndGradient(INDArray pred, INDArray target);

    /** The network's name as used in configuration and messages ("lpips", "convnext"). */
    String name();

    record DistanceGradient(INDArray distance, INDArray gradient) {
    }
}
