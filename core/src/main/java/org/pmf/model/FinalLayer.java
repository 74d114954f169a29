package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.RmsNorm;

/**
 * A head's output layer: drops the condition tokens, then RMSNorm and Linear(D, p*p*3) with bias
 * per patch token. Weight and bias start at zero, so x_hat = 0 at initialisation. The output patch
 * vector is (row, column, channel) with channel fastest: the project's patch layout.
 */
final class FinalLayer {

    static final class Trace {
        final INDArray output;
        final RmsNorm.Trace norm;

        Trace(INDArray output, RmsNorm.Trace norm) {
            this.output = output;
            this.norm = norm;
        }
    }

    private final RmsNorm norm;
    private final Linear linear;
    private final int prefix;
    private final int tokens;
    private final int patches;
    private final int hidden;
    private final int patchDim;

    FinalLayer(ParamSet.Builder params, String name, PmfNetConfig c) {
        this.norm = new RmsNorm(params, name + ".norm", c.hidden(), PmfNet.NORM_EPS);
        this.linear = new Linear(params, name + ".linear", c.hidden(), c.patchDim(), Initializer.zeros(), true,
            Initializer.zeros(), Param.Role.MATRIX);
        this.prefix = PmfNet.PREFIX_TOKENS;
        this.tokens = c.tokens();
        this.patches = c.patches();
        this.hidden = c.hidden();
        this.patchDim = c.patchDim();
    }

    /** seq [B*T, D] to x_hat [B, L, p*p*3]. */
    Trace forward(INDArray seq, long batch, Buffers buf) {
        RmsNorm.Trace n = norm.forward(patchRows(seq, batch, buf), buf);
        return new Trace(linear.forward(n.output, buf).reshape('c', batch, patches, patchDim), n);
    }

    INDArray tangent(Trace tr, INDArray seqDot, long batch, Buffers buf) {
        return linear.tangent(norm.tangent(tr.norm, patchRows(seqDot, batch, buf), buf), buf).reshape('c', batch, patches, patchDim);
    }

    /** Returns dL/dseq [B*T, D], zero on the condition tokens. */
    INDArray backward(Trace tr, INDArray dOut, long batch, Buffers buf) {
        INDArray dPatch = norm.backward(tr.norm, linear.backward(tr.norm.output, dOut.reshape('c', batch * patches, patchDim), buf), buf);
        INDArray dSeq = buf.get(dOut.dataType(), batch, tokens, hidden).assign(0);
        dSeq.get(NDArrayIndex.all(), NDArrayIndex.interval(prefix, tokens), NDArrayIndex.all())
            .assign(dPatch.reshape('c', batch, patches, hidden));
        return dSeq.reshape('c', batch * tokens, hidden);
    }

    private INDArray patchRows(INDArray seq, long batch, Buffers buf) {
        INDArray out = buf.get(seq.dataType(), batch * patches, hidden);
        out.reshape('c', batch, patches, hidden).assign(seq.reshape('c', batch, tokens, hidden)
            .get(NDArrayIndex.all(), NDArrayIndex.interval(prefix, tokens), NDArrayIndex.all()));
        return out;
    }
}
