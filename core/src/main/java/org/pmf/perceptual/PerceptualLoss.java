package org.pmf.perceptual;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The perceptual part of the training loss, called by the training step on the u-head's denoised
 * image {@code x_hat = z_t - t u} and the clean image, both in the patch layout [B, L, p*p*3]
 * ({@link org.pmf.data.PatchLayout}) with values in [-1, 1].
 */
public interface PerceptualLoss {

    /**
     * @param loss      per example, the sum over terms of lambda * d / sg(d + c), zero where t >= maxT [B]
     * @param gradient  d (sum of loss) / d pred, in the patch layout [B, L, p*p*3]
     * @param distances per term name, the raw distance d per example (zero where masked), for logging
     */
    record Result(INDArray loss, INDArray gradient, Map<String, INDArray> distances) {
    }

    /**
     * @param pred   predicted images, patches [B, L, p*p*3]
     * @param target clean images, same shape
     * @param t      the time of each example; the loss applies where t < maxT
     * @param rng    draws one crop window per example (for every example, masked or not, so the
     *               stream of draws does not depend on t)
     */
    Result evaluate(INDArray pred, INDArray target, double[] t, RandomGenerator rng);
}
