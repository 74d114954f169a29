package org.pmf.toy;

import org.pmf.nn.Initializer;

/**
 * How the toy MLP's layers other than the output layer start (the output layer's start is set
 * apart, {@code output-init}). The paper does not give it; the official pMF code is JAX/Flax, whose
 * Dense layer defaults to LeCun-normal kernels and zero biases. Weights scale with the layer's fan-in.
 */
public enum HiddenInit {
    /** He (Kaiming) normal, std sqrt(2 / fan-in), zero biases: unit-scale ReLU activations through the depth. */
    HE_NORMAL,
    /** Flax's Dense default: truncated normal with std sqrt(1 / fan-in), zero biases. */
    LECUN_NORMAL,
    /** PyTorch's nn.Linear default: weights and biases U(-1 / sqrt(fan-in), 1 / sqrt(fan-in)). */
    TORCH_DEFAULT;

    /** The kernel's initialiser for a layer with this fan-in. */
    public Initializer weights(long fanIn) {
        return switch (this) {
            case HE_NORMAL -> Initializer.normal(0, Math.sqrt(2.0 / fanIn));
            case LECUN_NORMAL -> Initializer.truncatedNormal(Math.sqrt(1.0 / fanIn));
            // kaiming_uniform(a = sqrt 5): bound sqrt(6 / ((1 + a^2) fan-in)) = 1 / sqrt(fan-in)
            case TORCH_DEFAULT -> Initializer.uniform(1 / Math.sqrt(fanIn));
        };
    }

    /** The bias's initialiser for a layer with this fan-in. */
    public Initializer bias(long fanIn) {
        return this == TORCH_DEFAULT ? Initializer.uniform(1 / Math.sqrt(fanIn)) : Initializer.zeros();
    }
}
