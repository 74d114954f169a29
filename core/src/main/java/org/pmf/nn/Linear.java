package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense layer y = x W + b on row vectors, with its tangent and backward rules side by side.
 * The kernel is stored [in, out] (JAX's Dense layout); PyTorch's [out, in] weights are transposed
 * by the weight loaders. Inputs are [N, in]; callers flatten token dimensions into N.
 *
 * <p>Stateless with respect to activations: backward takes the forward input explicitly, so one
 * layer can be applied several times per step (guidance passes, the tangent pass, the backward).
 */
public final class Linear {

    private final Param weight;
    private final Param bias;
    private final long in;
    private final long out;

    /**
     * @param weightInit initializer of the [in, out] kernel
     * @param withBias   whether the layer has a bias (zero-initialized unless {@code biasInit} says otherwise)
     */
    public Linear(ParamSet.Builder params, String name, long in, long out, Initializer weightInit,
                  boolean withBias, Initializer biasInit, Param.Role weightRole) {
        this.in = in;
        this.out = out;
        this.weight = params.add(name + ".weight", new long[] {in, out}, weightRole, weightInit);
        this.bias = withBias ? params.add(name + ".bias", new long[] {out}, Param.Role.OTHER, biasInit) : null;
    }

    /** A Muon-updated dense layer with a zero-initialized bias (or none). */
    public Linear(ParamSet.Builder params, String name, long in, long out, Initializer weightInit, boolean withBias) {
        this(params, name, in, out, weightInit, withBias, Initializer.zeros(), Param.Role.MATRIX);
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }

    public Param weight() {
        return weight;
    }

    /** The bias parameter, or null when the layer has none. */
    public Param bias() {
        return bias;
    }

    /** y = x W + b; x is [N, in]. Allocates its output. */
    public INDArray forward(INDArray x) {
        return forward(x, new Buffers());
    }

    /** y = x W + b into an array from {@code buf}. */
    public INDArray forward(INDArray x, Buffers buf) {
        INDArray y = buf.get(x.dataType(), x.size(0), out);
        Nd4j.gemm(x, weight.value(), y, false, false, 1.0, 0.0);
        if (bias != null) {
            y.addiRowVector(bias.value());
        }
        return y;
    }

    /** Tangent of the output along an input tangent: the weights are constants of the JVP, so ydot = xdot W. */
    public INDArray tangent(INDArray xDot) {
        return tangent(xDot, new Buffers());
    }

    public INDArray tangent(INDArray xDot, Buffers buf) {
        INDArray y = buf.get(xDot.dataType(), xDot.size(0), out);
        Nd4j.gemm(xDot, weight.value(), y, false, false, 1.0, 0.0);
        return y;
    }

    /** Adds dL/dW = x^T dy and dL/db = sum dy into the gradients and returns dL/dx = dy W^T. */
    public INDArray backward(INDArray x, INDArray dy) {
        return backward(x, dy, new Buffers());
    }

    public INDArray backward(INDArray x, INDArray dy, Buffers buf) {
        INDArray dx = buf.get(dy.dataType(), dy.size(0), in);
        backwardInto(x, dy, dx, false);
        return dx;
    }

    /**
     * Adds the parameter gradients, and writes dL/dx into {@code dx} (accumulate = false) or adds
     * it there (accumulate = true), for inputs that feed several layers.
     */
    public void backwardInto(INDArray x, INDArray dy, INDArray dx, boolean accumulate) {
        Nd4j.gemm(x, dy, weight.grad(), true, false, 1.0, 1.0);
        if (bias != null) {
            bias.grad().addi(dy.sum(0));
        }
        Nd4j.gemm(dy, weight.value(), dx, false, true, 1.0, accumulate ? 1.0 : 0.0);
    }
}
