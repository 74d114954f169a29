package org.pmf.toy;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Relu;

/**
 * The toy network of pmf-method.md section 5.10: a ReLU MLP of {@code layers} linear layers,
 * {@code hidden} units wide, from R^(D+2) to R^D, with forward, tangent and backward rules side by
 * side, written the way the image network is.
 *
 * <p>Conditioning (not given by the paper): the input is the concatenation [z, t, h] with h = t - r,
 * raw values. The toy is conditioned on t as well as on h, unlike the image network (h only),
 * because a 2-D point does not reveal its own noise level the way a noisy image does. Along the
 * MeanFlow JVP direction (dz/dt = v, dr/dt = 0, dt/dt = 1) both dt/dt and dh/dt are 1.
 */
public final class ToyMlp {

    /** Activations of one forward pass: what the tangent and backward rules reuse. */
    public static final class Trace {
        private final List<INDArray> inputs = new ArrayList<>();
        private final List<INDArray> masks = new ArrayList<>();
        private INDArray output;

        public INDArray output() {
            return output;
        }
    }

    private final int dim;
    private final List<Linear> layers = new ArrayList<>();

    /**
     * @param dim    data dimension D
     * @param hidden width of every hidden layer
     * @param depth  number of linear layers (the paper's "7-layer" MLP has 7), at least 2
     */
    public ToyMlp(ParamSet.Builder params, int dim, int hidden, int depth) {
        if (dim < 1 || hidden < 1 || depth < 2) {
            throw new IllegalArgumentException("toy MLP needs dim >= 1, hidden >= 1 and at least 2 layers; got "
                + dim + ", " + hidden + ", " + depth);
        }
        this.dim = dim;
        for (int i = 0; i < depth; i++) {
            long in = i == 0 ? dim + 2 : hidden;
            long out = i == depth - 1 ? dim : hidden;
            // He-normal init keeps ReLU activations at unit scale through the depth.
            Initializer init = i == depth - 1 ? Initializer.xavierUniform(in, out) : Initializer.normal(0, Math.sqrt(2.0 / in));
            layers.add(new Linear(params, "mlp." + i, in, out, init, true));
        }
    }

    public int dim() {
        return dim;
    }

    /** The network output at (z, t, h): [B, D] from z [B, D] and per-example t, h. */
    public Trace forward(INDArray z, double[] t, double[] h, Buffers buf) {
        int b = (int) z.size(0);
        if (z.rank() != 2 || z.size(1) != dim || t.length != b || h.length != b) {
            throw new IllegalArgumentException("toy MLP input z must be [B, " + dim + "] with B values of t and h; got z "
                + java.util.Arrays.toString(z.shape()) + ", " + t.length + " t, " + h.length + " h");
        }
        Trace trace = new Trace();
        INDArray a = input(z, t, h, buf);
        for (int i = 0; i < layers.size(); i++) {
            trace.inputs.add(a);
            INDArray pre = layers.get(i).forward(a, buf);
            if (i == layers.size() - 1) {
                trace.output = pre;
            } else {
                trace.masks.add(Relu.mask(pre, buf));
                a = Relu.forward(pre, buf);
            }
        }
        return trace;
    }

    /** The output's tangent along per-example (z', t', h') at the traced point; weights are constants. */
    public INDArray tangent(Trace trace, INDArray zDot, double[] tDot, double[] hDot, Buffers buf) {
        INDArray aDot = input(zDot, tDot, hDot, buf);
        for (int i = 0; i < layers.size(); i++) {
            INDArray preDot = layers.get(i).tangent(aDot, buf);
            aDot = i == layers.size() - 1 ? preDot : Relu.tangent(trace.masks.get(i), preDot, buf);
        }
        return aDot;
    }

    /** The network input [z, t, h]: [B, D + 2]. */
    private INDArray input(INDArray z, double[] t, double[] h, Buffers buf) {
        int b = (int) z.size(0);
        INDArray in = buf.get(z.dataType(), b, dim + 2);
        in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dim)).assign(z);
        in.getColumn(dim).assign(Nd4j.create(t, new long[] {b}, z.dataType()));
        in.getColumn(dim + 1).assign(Nd4j.create(h, new long[] {b}, z.dataType()));
        return in;
    }

    /**
     * Adds every parameter's gradient of a loss with output gradient {@code dOut} into the ParamSet
     * and returns the gradient with respect to the input [z, t, h].
     */
    public INDArray backward(Trace trace, INDArray dOut, Buffers buf) {
        INDArray dy = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (i < layers.size() - 1) {
                dy = Relu.backward(trace.masks.get(i), dy, buf);
            }
            dy = layers.get(i).backward(trace.inputs.get(i), dy, buf);
        }
        return dy;
    }
}
