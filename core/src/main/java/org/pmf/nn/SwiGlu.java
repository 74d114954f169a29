package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** SwiGLU MLP without biases: y = w2( silu(x w1) * (x w3) ), on [N, dim] rows. */
public final class SwiGlu {

    /** Primal values one call keeps for its tangent and backward. */
    public static final class Trace {
        public final INDArray output;
        final INDArray input;
        final INDArray gateAct;
        final INDArray gateSlope;
        final INDArray up;
        final INDArray hidden;

        Trace(INDArray output, INDArray input, INDArray gateAct, INDArray gateSlope, INDArray up, INDArray hidden) {
            this.output = output;
            this.input = input;
            this.gateAct = gateAct;
            this.gateSlope = gateSlope;
            this.up = up;
            this.hidden = hidden;
        }
    }

    private final Linear w1;
    private final Linear w3;
    private final Linear w2;

    public SwiGlu(ParamSet.Builder params, String name, long dim, long hiddenDim, Initializer inInit, Initializer outInit) {
        this.w1 = new Linear(params, name + ".w1", dim, hiddenDim, inInit, false);
        this.w3 = new Linear(params, name + ".w3", dim, hiddenDim, inInit, false);
        this.w2 = new Linear(params, name + ".w2", hiddenDim, dim, outInit, false);
    }

    public Linear w1() {
        return w1;
    }

    public Linear w2() {
        return w2;
    }

    public Linear w3() {
        return w3;
    }

    /** Also keeps silu'(x w1) = s (1 + a (1 - s)), which both the tangent and the backward use. */
    public Trace forward(INDArray x, Buffers buf) {
        INDArray a = w1.forward(x, buf);
        INDArray up = w3.forward(x, buf);
        INDArray act = buf.like(a);
        INDArray slope = buf.like(a);
        INDArray hidden = buf.like(a);
        gate(a, up, act, slope, hidden, buf);
        return new Trace(w2.forward(hidden, buf), x, act, slope, up, hidden);
    }

    /** act = silu(a) = a s, slope = silu'(a) = s (1 + a (1 - s)), hidden = act up, with s = sigmoid(a). */
    private static void gate(INDArray a, INDArray up, INDArray act, INDArray slope, INDArray hidden, Buffers buf) {
        if (VectorSupport.appliesTo(a, up, act, slope, hidden)) {
            VectorKernels.swiGluGate(VectorSupport.floats(a), VectorSupport.floats(up), VectorSupport.floats(act),
                VectorSupport.floats(slope), VectorSupport.floats(hidden), Math.toIntExact(a.length()));
            return;
        }
        INDArray s = Elementwise.sigmoid(a, buf.like(a));
        Elementwise.mul(a, s, act);
        // s (1 + a (1 - s)) = s + act - act s: three passes instead of five
        Elementwise.mul(act, s, slope).rsubi(act).addi(s);
        Elementwise.mul(act, up, hidden);
    }

    public INDArray tangent(Trace tr, INDArray xDot, Buffers buf) {
        INDArray hiddenDot = w1.tangent(xDot, buf).muli(tr.gateSlope).muli(tr.up);
        hiddenDot.addi(w3.tangent(xDot, buf).muli(tr.gateAct));
        return w2.tangent(hiddenDot, buf);
    }

    public INDArray backward(Trace tr, INDArray dy, Buffers buf) {
        INDArray dHidden = w2.backward(tr.hidden, dy, buf);
        INDArray dGate = Elementwise.mul(dHidden, tr.gateSlope, buf.like(dHidden)).muli(tr.up);
        INDArray dUp = dHidden.muli(tr.gateAct);
        INDArray dx = w1.backward(tr.input, dGate, buf);
        w3.backwardInto(tr.input, dUp, dx, true);
        return dx;
    }
}
