package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head self-attention without biases, with per-head QK RMSNorm (one weight vector shared by
 * all heads) and 2-D RoPE applied after the norm, full bidirectional softmax attention, then the
 * output projection. Rows are [B*T, dim], token-major per example.
 *
 * <p>Heads are batched: q, k, v are laid out [B*H, T, headDim] so that logits and the weighted sum
 * are one batched multiply each.
 */
public final class Attention {

    /** Primal values one call keeps for its tangent and backward. */
    public static final class Trace {
        public final INDArray output;
        final INDArray input;
        final long batch;
        final RmsNorm.Trace qNorm;
        final RmsNorm.Trace kNorm;
        final INDArray q;
        final INDArray k;
        final INDArray v;
        final INDArray probs;
        final INDArray merged;

        Trace(INDArray output, INDArray input, long batch, RmsNorm.Trace qNorm, RmsNorm.Trace kNorm,
              INDArray q, INDArray k, INDArray v, INDArray probs, INDArray merged) {
            this.output = output;
            this.input = input;
            this.batch = batch;
            this.qNorm = qNorm;
            this.kNorm = kNorm;
            this.q = q;
            this.k = k;
            this.v = v;
            this.probs = probs;
            this.merged = merged;
        }
    }

    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;
    private final int heads;
    private final int headDim;
    private final long tokens;
    private final Rope2d rope;
    private final double scale;

    public Attention(ParamSet.Builder params, String name, int dim, int heads, long tokens, Rope2d rope,
                     Initializer projInit, double normEps) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException(name + ": width " + dim + " is not divisible by " + heads + " heads");
        }
        this.heads = heads;
        this.headDim = dim / heads;
        this.tokens = tokens;
        this.rope = rope;
        this.scale = 1.0 / Math.sqrt(headDim);
        this.qProj = new Linear(params, name + ".q_proj", dim, dim, projInit, false);
        this.kProj = new Linear(params, name + ".k_proj", dim, dim, projInit, false);
        this.vProj = new Linear(params, name + ".v_proj", dim, dim, projInit, false);
        this.outProj = new Linear(params, name + ".out_proj", dim, dim, projInit, false);
        this.qNorm = new RmsNorm(params, name + ".q_norm", headDim, normEps);
        this.kNorm = new RmsNorm(params, name + ".k_norm", headDim, normEps);
    }

    /** x is [B*T, dim]. */
    public Trace forward(INDArray x, Buffers buf) {
        long batch = x.size(0) / tokens;
        RmsNorm.Trace qn = qNorm.forward(qProj.forward(x, buf).reshape('c', x.size(0) * heads, headDim), buf);
        RmsNorm.Trace kn = kNorm.forward(kProj.forward(x, buf).reshape('c', x.size(0) * heads, headDim), buf);
        INDArray q = toHeads(rope.rotate(qn.output.reshape('c', batch, rope.rowLength()), buf), batch, buf);
        INDArray k = toHeads(rope.rotate(kn.output.reshape('c', batch, rope.rowLength()), buf), batch, buf);
        INDArray v = toHeads(vProj.forward(x, buf), batch, buf);
        INDArray logits = bmm(q, k, false, true, buf).muli(scale);
        INDArray probs = softmaxRows(logits, buf);
        INDArray merged = fromHeads(bmm(probs, v, false, false, buf), batch, buf);
        return new Trace(outProj.forward(merged, buf), x, batch, qn, kn, q, k, v, probs, merged);
    }

    public INDArray tangent(Trace tr, INDArray xDot, Buffers buf) {
        long batch = tr.batch;
        long rows = xDot.size(0);
        INDArray qDot = toHeads(rope.rotate(qNorm.tangent(tr.qNorm,
            qProj.tangent(xDot, buf).reshape('c', rows * heads, headDim), buf).reshape('c', batch, rope.rowLength()), buf), batch, buf);
        INDArray kDot = toHeads(rope.rotate(kNorm.tangent(tr.kNorm,
            kProj.tangent(xDot, buf).reshape('c', rows * heads, headDim), buf).reshape('c', batch, rope.rowLength()), buf), batch, buf);
        INDArray vDot = toHeads(vProj.tangent(xDot, buf), batch, buf);
        INDArray logitsDot = bmm(qDot, tr.k, false, true, buf);
        logitsDot.addi(bmm(tr.q, kDot, false, true, buf));
        logitsDot.muli(scale);
        INDArray probsDot = softmaxPullback(tr.probs, logitsDot, 1, buf);
        INDArray mergedDot = bmm(probsDot, tr.v, false, false, buf);
        mergedDot.addi(bmm(tr.probs, vDot, false, false, buf));
        return outProj.tangent(fromHeads(mergedDot, batch, buf), buf);
    }

    public INDArray backward(Trace tr, INDArray dy, Buffers buf) {
        long batch = tr.batch;
        INDArray dMerged = toHeads(outProj.backward(tr.merged, dy, buf), batch, buf);
        INDArray dProbs = bmm(dMerged, tr.v, false, true, buf);
        INDArray dV = bmm(tr.probs, dMerged, true, false, buf);
        INDArray dLogits = softmaxPullback(tr.probs, dProbs, scale, buf);
        INDArray dQ = bmm(dLogits, tr.k, false, false, buf);
        INDArray dK = bmm(dLogits, tr.q, true, false, buf);
        long rows = tr.input.size(0);
        INDArray dqn = rope.rotateBack(fromHeads(dQ, batch, buf).reshape('c', batch, rope.rowLength()), buf)
            .reshape('c', rows * heads, headDim);
        INDArray dkn = rope.rotateBack(fromHeads(dK, batch, buf).reshape('c', batch, rope.rowLength()), buf)
            .reshape('c', rows * heads, headDim);
        INDArray dx = qProj.backward(tr.input, qNorm.backward(tr.qNorm, dqn, buf).reshape('c', rows, (long) heads * headDim), buf);
        kProj.backwardInto(tr.input, kNorm.backward(tr.kNorm, dkn, buf).reshape('c', rows, (long) heads * headDim), dx, true);
        vProj.backwardInto(tr.input, fromHeads(dV, batch, buf), dx, true);
        return dx;
    }

    /** [B, T*H*hd] or [B*T, H*hd] (token-major) to [B*H, T, hd]. */
    private INDArray toHeads(INDArray x, long batch, Buffers buf) {
        INDArray out = buf.get(x.dataType(), batch * heads, tokens, headDim);
        out.reshape('c', batch, heads, tokens, headDim).assign(x.reshape('c', batch, tokens, heads, headDim).permute(0, 2, 1, 3));
        return out;
    }

    /** [B*H, T, hd] to [B*T, H*hd]. */
    private INDArray fromHeads(INDArray x, long batch, Buffers buf) {
        INDArray out = buf.get(x.dataType(), batch * tokens, (long) heads * headDim);
        out.reshape('c', batch, tokens, heads, headDim).assign(x.reshape('c', batch, heads, tokens, headDim).permute(0, 2, 1, 3));
        return out;
    }

    private static INDArray bmm(INDArray a, INDArray b, boolean transA, boolean transB, Buffers buf) {
        long rows = transA ? a.size(2) : a.size(1);
        long cols = transB ? b.size(1) : b.size(2);
        INDArray out = buf.get(a.dataType(), a.size(0), rows, cols);
        return Nd4j.matmul(a, b, out, transA, transB, false);
    }

    private static INDArray softmaxRows(INDArray logits, Buffers buf) {
        int cols = Math.toIntExact(logits.size(2));
        int rows = Math.toIntExact(logits.length() / cols);
        INDArray out = buf.like(logits);
        if (VectorSupport.appliesTo(logits, out)) {
            VectorKernels.softmaxRows(VectorSupport.floats(logits), VectorSupport.floats(out), rows, cols);
        } else {
            Nd4j.exec(new SoftMax(logits.reshape('c', rows, cols), out.reshape('c', rows, cols), 1));
        }
        return out;
    }

    /**
     * For P = softmax(S) on rows: maps dP (a tangent or a gradient) to scale * P * (dP - rowsum(P * dP)),
     * into a buffer.
     */
    private static INDArray softmaxPullback(INDArray probs, INDArray d, double scale, Buffers buf) {
        int cols = Math.toIntExact(probs.size(2));
        int rows = Math.toIntExact(probs.length() / cols);
        INDArray out = buf.like(probs);
        if (VectorSupport.appliesTo(probs, d, out)) {
            VectorKernels.softmaxPullback(VectorSupport.floats(probs), VectorSupport.floats(d), VectorSupport.floats(out),
                rows, cols, (float) scale);
            return out;
        }
        INDArray p = probs.reshape('c', rows, cols);
        INDArray dd = d.reshape('c', rows, cols);
        INDArray out2 = out.reshape('c', rows, cols);
        INDArray rowDot = Elementwise.mul(p, dd, out2).sum(1);
        Elementwise.subColumn(dd, rowDot, out2).muli(p);
        return scale == 1 ? out : out.muli(scale);
    }
}
