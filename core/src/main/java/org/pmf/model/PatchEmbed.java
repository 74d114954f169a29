package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;

/**
 * Bottleneck patch embedding: each patch vector (p*p*3, HWC order) goes through a linear map to
 * the bottleneck width and a second linear map to the hidden width, both with bias and no
 * nonlinearity between them (the official p x p stride-p convolution and 1x1 convolution).
 * Both kernels are convolution kernels in the official code, so they are AdamW parameters.
 */
final class PatchEmbed {

    /** Primal values one call keeps for its backward (its tangent needs none: the map is affine). */
    static final class Trace {
        final INDArray output;
        final INDArray input;
        final INDArray bottleneck;

        Trace(INDArray output, INDArray input, INDArray bottleneck) {
            this.output = output;
            this.input = input;
            this.bottleneck = bottleneck;
        }
    }

    private final Linear proj1;
    private final Linear proj2;

    PatchEmbed(ParamSet.Builder params, PmfNetConfig c) {
        long receptive = (long) c.patchSize() * c.patchSize();
        this.proj1 = new Linear(params, "x_embedder.proj1", c.patchDim(), c.bottleneck(),
            Initializer.xavierUniform(c.patchDim(), c.bottleneck() * receptive), true, Initializer.zeros(), Param.Role.OTHER);
        this.proj2 = new Linear(params, "x_embedder.proj2", c.bottleneck(), c.hidden(),
            Initializer.xavierUniform(c.bottleneck(), c.hidden()), true, Initializer.zeros(), Param.Role.OTHER);
    }

    /** patches [B*L, p*p*3] to tokens [B*L, D]. */
    Trace forward(INDArray patches, Buffers buf) {
        INDArray e1 = proj1.forward(patches, buf);
        return new Trace(proj2.forward(e1, buf), patches, e1);
    }

    INDArray tangent(INDArray patchesDot, Buffers buf) {
        return proj2.tangent(proj1.tangent(patchesDot, buf), buf);
    }

    /** Returns dL/dpatches. */
    INDArray backward(Trace tr, INDArray dy, Buffers buf) {
        return proj1.backward(tr.input, proj2.backward(tr.bottleneck, dy, buf), buf);
    }
}
