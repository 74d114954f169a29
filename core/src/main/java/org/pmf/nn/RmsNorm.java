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
    public Trace forward(INDArray x) {
        INDArray rstd = Transforms.pow(x.mul(x).mean(1).addi(eps), -0.5, false).reshape(x.size(0), 1);
        INDArray normalized = x.mulColumnVector(rstd);
        return new Trace(normalized.mulRowVector(weight.value()), normalized, rstd);
    }

    public INDArray tangent(Trace tr, INDArray xDot) {
        return project(tr, xDot).muliRowVector(weight.value());
    }

    /** Adds dL/dw and returns dL/dx. */
    public INDArray backward(Trace tr, INDArray dy) {
        weight.grad().addi(dy.mul(tr.normalized).sum(0));
        return project(tr, dy.mulRowVector(weight.value()));
    }

    private static INDArray project(Trace tr, INDArray v) {
        INDArray meanNv = v.mul(tr.normalized).mean(1).reshape(v.size(0), 1);
        return v.sub(tr.normalized.mulColumnVector(meanNv)).muliColumnVector(tr.rstd);
    }
}
