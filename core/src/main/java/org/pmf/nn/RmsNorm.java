package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSNorm over the last axis of [N, dim] rows: y = x / sqrt(mean(x^2) + eps) * w (no centring, no bias).
 *
 * <p>Tangent and backward share one projection: with n = x * rstd, both the tangent of n along xDot
 * and the gradient of n's consumer pulled back to x are rstd * (v - n * mean(n * v)).
 */
public final class RmsNorm {

    /** Primal values one call keeps for its tangent and backward. */
    public static final class Trace {
        /** The layer's output [N, dim]. */
        public final INDArray output;
        final INDArray normalized;
        final INDArray rstd;

        Trace(INDArray output, INDArray normalized, INDArray rstd) {
            this.output = output;
            this.normalized = normalized;
            this.rstd = rstd;
        }
    }

    private final Param weight;
    private final long dim;
    private final double eps;

    public RmsNorm(ParamSet.Builder params, String name, long dim, double eps) {
        this.weight = params.add(name + ".weight", new long[] {dim}, Param.Role.OTHER, Initializer.constant(1));
        this.dim = dim;
        this.eps = eps;
    }

    public Param weight() {
        return weight;
    }

    public long dim() {
        return dim;
    }

    /** x is [N, dim]. */
    public Trace forward(INDArray x, Buffers buf) {
        INDArray normalized = buf.like(x);
        INDArray output = buf.like(x);
        INDArray rstd = buf.get(x.dataType(), x.size(0));
        if (VectorSupport.appliesTo(x, weight.value(), normalized, output, rstd)) {
            VectorKernels.rmsNormForward(VectorSupport.floats(x), VectorSupport.floats(weight.value()), VectorSupport.floats(normalized),
                VectorSupport.floats(output), VectorSupport.floats(rstd), Math.toIntExact(x.size(0)), Math.toIntExact(dim), eps);
            return new Trace(output, normalized, rstd);
        }
        INDArray meanSquare = x.norm2(1);
        meanSquare.muli(meanSquare).divi(dim).addi(eps);
        Transforms.pow(rstd.assign(meanSquare), -0.5, false);
        Elementwise.mulColumn(x, rstd, normalized);
        return new Trace(Elementwise.mulRow(normalized, weight.value(), output), normalized, rstd);
    }

    public INDArray tangent(Trace tr, INDArray xDot, Buffers buf) {
        INDArray out = buf.like(xDot);
        if (VectorSupport.appliesTo(tr.normalized, xDot, tr.rstd, weight.value(), out)) {
            VectorKernels.rmsNormTangent(VectorSupport.floats(tr.normalized), VectorSupport.floats(xDot), VectorSupport.floats(tr.rstd),
                VectorSupport.floats(weight.value()), VectorSupport.floats(out), Math.toIntExact(xDot.size(0)), Math.toIntExact(dim));
            return out;
        }
        return project(tr, xDot, out).muliRowVector(weight.value());
    }

    /** Adds dL/dw and returns dL/dx. */
    public INDArray backward(Trace tr, INDArray dy, Buffers buf) {
        INDArray out = buf.like(dy);
        if (VectorSupport.appliesTo(tr.normalized, dy, tr.rstd, weight.value(), out, weight.grad())) {
            VectorKernels.rmsNormBackward(VectorSupport.floats(tr.normalized), VectorSupport.floats(dy), VectorSupport.floats(tr.rstd),
                VectorSupport.floats(weight.value()), VectorSupport.floats(out), VectorSupport.floats(weight.grad()),
                Math.toIntExact(dy.size(0)), Math.toIntExact(dim));
            return out;
        }
        INDArray scratch = Elementwise.mul(dy, tr.normalized, buf.like(dy));
        weight.grad().addi(scratch.sum(0));
        return project(tr, Elementwise.mulRow(dy, weight.value(), scratch), out);
    }

    /** rstd * (v - n * mean(n * v)), into {@code out}; v is not modified. */
    private static INDArray project(Trace tr, INDArray v, INDArray out) {
        Elementwise.mul(v, tr.normalized, out);
        INDArray meanNv = out.mean(1);
        Elementwise.mulColumn(tr.normalized, meanNv, out);
        out.rsubi(v);
        return out.muliColumnVector(tr.rstd.reshape(v.size(0), 1));
    }
}
