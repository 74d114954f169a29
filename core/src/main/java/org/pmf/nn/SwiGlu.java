package org.pmf.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** SwiGLU MLP without biases: y = w2( silu(x w1) * (x w3) ), on [N, dim] rows. */
public final class SwiGlu {

    /** Primal values one call keeps for its tangent and backward. */
    public static final class Trace {
        public final INDArray output;
        final INDArray input;
        final INDArray gatePre;
        final INDArray gateSigmoid;
        final INDArray gateAct;
        final INDArray up;
        final INDArray hidden;

        Trace(INDArray output, INDArray input, INDArray gatePre, INDArray gateSigmoid, INDArray gateAct,
              INDArray up, INDArray hidden) {
            this.output = output;
            this.input = input;
            this.gatePre = gatePre;
            this.gateSigmoid = gateSigmoid;
            this.gateAct = gateAct;
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

    public Trace forward(INDArray x) {
        INDArray a = w1.forward(x);
        INDArray s = Silu.sigmoid(a);
        INDArray act = Silu.value(a, s);
        INDArray up = w3.forward(x);
        INDArray hidden = act.mul(up);
        return new Trace(w2.forward(hidden), x, a, s, act, up, hidden);
    }

    public INDArray tangent(Trace tr, INDArray xDot) {
        INDArray aDot = w1.tangent(xDot);
        INDArray upDot = w3.tangent(xDot);
        INDArray hiddenDot = Silu.derivative(tr.gatePre, tr.gateSigmoid).muli(aDot).muli(tr.up).addi(upDot.muli(tr.gateAct));
        return w2.tangent(hiddenDot);
    }

    public INDArray backward(Trace tr, INDArray dy) {
        INDArray dHidden = w2.backward(tr.hidden, dy);
        INDArray dA = Silu.derivative(tr.gatePre, tr.gateSigmoid).muli(dHidden).muli(tr.up);
        INDArray dUp = dHidden.mul(tr.gateAct);
        INDArray dx = w1.backward(tr.input, dA);
        return dx.addi(w3.backward(tr.input, dUp));
    }
}
