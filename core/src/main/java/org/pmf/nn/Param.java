package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trainable tensor of a model: a view into its {@link ParamSet}'s flat value vector, and the
 * matching view into the flat gradient vector. Handles exist before the flat buffers are allocated
 * (modules declare their parameters in their constructors), so the views are bound afterwards.
 */
public final class Param {

    /** Which optimizer family updates the tensor (pmf-method.md section 4.1). */
    public enum Role {
        /** A 2-D weight matrix of a dense layer: updated by Muon. */
        MATRIX,
        /** Biases, norm scales, gates, tokens, embedding tables, patch-embedding kernels: AdamW. */
        OTHER
    }

    private final String name;
    private final long[] shape;
    private final Role role;
    private final Initializer init;
    private INDArray value;
    private INDArray grad;

    Param(String name, long[] shape, Role role, Initializer init) {
        this.name = name;
        this.shape = shape.clone();
        this.role = role;
        this.init = init;
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public Role role() {
        return role;
    }

    Initializer init() {
        return init;
    }

    /** The current value; a view into the flat parameter vector. */
    public INDArray value() {
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " is used before its ParamSet was built");
        }
        return value;
    }

    /** The gradient accumulator; a view into the flat gradient vector. Backward passes add into it. */
    public INDArray grad() {
        if (grad == null) {
            throw new IllegalStateException("parameter " + name + " is used before its ParamSet was built");
        }
        return grad;
    }

    void bind(INDArray value, INDArray grad) {
        this.value = value;
        this.grad = grad;
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(shape) + " " + role;
    }
}
