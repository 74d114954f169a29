package org.pmf.toy;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Relu;

/**
 * The toy network of pmf-method.md section 5.10: a ReLU MLP of {@code layers} linear layers,
 * {@code hidden} units wide, from R^(D+2) to R^D, with forward, tangent and backward rules side by
 * side, written the way the image network is.
 *
 * <p>Conditioning (not given by the paper): the input is the concatenation [z, c t, c h] with
 * h = t - r. The toy is conditioned on t as well as on h, unlike the image network (h only),
 * because a 2-D point does not reveal its own noise level the way a noisy image does. Along the
 * MeanFlow JVP direction (dz/dt = v, dr/dt = 0, dt/dt = 1) both dt/dt and dh/dt are 1.
 *
 * <p>The time gain c balances the two time inputs against the D coordinates of z (bench/toy.md).
 * z_t has D coordinates of unit scale, (t, h) two coordinates in [0, 1]: with c = 1 and a first
 * layer initialised by its fan-in D + 2, the time inputs carry a share ~2 / D of each first-layer
 * pre-activation at D = 512, and Adam (whose step per weight does not depend on the gradient's
 * scale) needs ~sqrt(D) times longer to make the network depend on h. The network then barely tells
 * r = t (the denoiser, whose output at t = 1 is the data mean) from r = 0 (the one-step map), and
 * its one-step samples shrink toward the mean. c = sqrt(D / 2) gives (c t, c h) the norm of z's
 * part at t ~ h ~ 1 for every D, and c = 1 at D = 2.
 *
 * <p>The output layer starts at zero (as the official model's final layer does): the network
 * output is 0 at initialisation. With a random output layer, an x-prediction network at D = 512
 * starts by emitting a random off-plane vector of norm ~8 (the data has norm ~1 and lies in a
 * plane), and Adam's first steps silence it by switching off the last hidden layer's ReLUs, which
 * then never recover (bench/toy.md: all of them within ~100 steps at D = 512, batch 128).
 */
public final class ToyMlp {

    /** Activations of one forward pass: what the tangent and backward rules reuse. */
    public static final class Trace {
        private final List<INDArray> inputs = new ArrayList<>();
        private final List<INDArray> masks = new ArrayList<>();
        private INDArray output;

        /** The ReLU derivative masks 1[pre > 0] of the hidden layers, first layer first. */
        public List<INDArray> masks() {
            return java.util.Collections.unmodifiableList(masks);
        }

        public INDArray output() {
            return output;
        }
    }

    private final int dim;
    private final double timeGain;
    private final List<Linear> layers = new ArrayList<>();

    /** The original toy network: raw (t, h) inputs (gain 1), He-normal hidden layers and a Xavier-initialised output layer. */
    public ToyMlp(ParamSet.Builder params, int dim, int hidden, int depth) {
        this(params, dim, hidden, depth, 1.0, false, HiddenInit.HE_NORMAL);
    }

    /**
     * @param dim        data dimension D
     * @param hidden     width of every hidden layer
     * @param depth      number of linear layers (the paper's "7-layer" MLP has 7), at least 2
     * @param timeGain   c: the network sees (c t, c h)
     * @param zeroOutput whether the output layer starts at zero (otherwise Xavier-uniform)
     * @param hiddenInit how the other layers start
     */
    public ToyMlp(ParamSet.Builder params, int dim, int hidden, int depth, double timeGain, boolean zeroOutput, HiddenInit hiddenInit) {
        if (dim < 1 || hidden < 1 || depth < 2) {
            throw new IllegalArgumentException("toy MLP needs dim >= 1, hidden >= 1 and at least 2 layers; got "
                + dim + ", " + hidden + ", " + depth);
        }
        if (!(timeGain > 0 && timeGain <= 1e4)) {
            throw new IllegalArgumentException("toy MLP time gain must be in (0, 1e4], got " + timeGain);
        }
        this.dim = dim;
        this.timeGain = timeGain;
        for (int i = 0; i < depth; i++) {
            long in = i == 0 ? dim + 2 : hidden;
            long out = i == depth - 1 ? dim : hidden;
            boolean last = i == depth - 1;
            Initializer init = last ? (zeroOutput ? Initializer.zeros() : Initializer.xavierUniform(in, out)) : hiddenInit.weights(in);
            Initializer bias = last ? Initializer.zeros() : hiddenInit.bias(in);
            layers.add(new Linear(params, "mlp." + i, in, out, init, true, bias, Param.Role.MATRIX));
        }
    }

    /** The gain c = sqrt(D / 2) that balances the time inputs against z (see the class comment). */
    public static double balancedTimeGain(int dim) {
        return Math.sqrt(dim / 2.0);
    }

    public int dim() {
        return dim;
    }

    public double timeGain() {
        return timeGain;
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

    /** The network input [z, c t, c h]: [B, D + 2]; also its tangent, which is linear in (z', t', h'). */
    private INDArray input(INDArray z, double[] t, double[] h, Buffers buf) {
        int b = (int) z.size(0);
        INDArray in = buf.get(z.dataType(), b, dim + 2);
        in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dim)).assign(z);
        in.getColumn(dim).assign(Nd4j.create(t, new long[] {b}, z.dataType()).muli(timeGain));
        in.getColumn(dim + 1).assign(Nd4j.create(h, new long[] {b}, z.dataType()).muli(timeGain));
        return in;
    }

    /**
     * Adds every parameter's gradient of a loss with output gradient {@code dOut} into the ParamSet
     * and returns the gradient with respect to (z, t, h), as a [B, D + 2] array.
     */
    public INDArray backward(Trace trace, INDArray dOut, Buffers buf) {
        INDArray dy = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (i < layers.size() - 1) {
                dy = Relu.backward(trace.masks.get(i), dy, buf);
            }
            dy = layers.get(i).backward(trace.inputs.get(i), dy, buf);
        }
        // from the network input [z, c t, c h] back to (z, t, h)
        dy.get(NDArrayIndex.all(), NDArrayIndex.interval(dim, dim + 2)).muli(timeGain);
        return dy;
    }
}
