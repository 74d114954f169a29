package org.pmf.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Silu;

/**
 * Embeds one scalar per example (h, 1 - 1/omega, t_min or t_max): the 256-wide sinusoid
 * [cos(s f_k) | sin(s f_k)], f_k = 10000^(-k/128), applied to the raw value (no x1000 scaling),
 * then Linear(256, D), SiLU, Linear(D, D).
 */
public final class ScalarEmbedder {

    static final int FREQUENCIES = 256;
    private static final double MAX_PERIOD = 10000.0;

    /** Primal values one call keeps for its tangent and backward. */
    public static final class Trace {
        public final INDArray output;
        final double[] scalars;
        final INDArray sinusoid;
        final INDArray pre;
        final INDArray sigmoid;
        final INDArray act;

        Trace(INDArray output, double[] scalars, INDArray sinusoid, INDArray pre, INDArray sigmoid, INDArray act) {
            this.output = output;
            this.scalars = scalars;
            this.sinusoid = sinusoid;
            this.pre = pre;
            this.sigmoid = sigmoid;
            this.act = act;
        }
    }

    private final Linear first;
    private final Linear second;

    ScalarEmbedder(ParamSet.Builder params, String name, int hidden) {
        this.first = new Linear(params, name + ".mlp.0", FREQUENCIES, hidden,
            Initializer.normal(0, 1 / Math.sqrt(FREQUENCIES)), true);
        this.second = new Linear(params, name + ".mlp.2", hidden, hidden,
            Initializer.normal(0, 1 / Math.sqrt(hidden)), true);
    }

    Trace forward(double[] s, DataType dataType) {
        INDArray sinusoid = sinusoid(s, dataType, false);
        INDArray pre = first.forward(sinusoid);
        INDArray sig = Silu.sigmoid(pre);
        INDArray act = Silu.value(pre, sig);
        return new Trace(second.forward(act), s.clone(), sinusoid, pre, sig, act);
    }

    /** Tangent of the embedding along per-example scalar tangents sDot. */
    INDArray tangent(Trace tr, double[] sDot) {
        INDArray d = sinusoid(tr.scalars, tr.sinusoid.dataType(), true);
        d.muliColumnVector(Nd4j.create(sDot, new long[] {sDot.length, 1}, d.dataType()));
        INDArray preDot = first.tangent(d);
        return second.tangent(Silu.derivative(tr.pre, tr.sigmoid).muli(preDot));
    }

    void backward(Trace tr, INDArray dy) {
        INDArray dAct = second.backward(tr.act, dy);
        first.backward(tr.sinusoid, Silu.derivative(tr.pre, tr.sigmoid).muli(dAct));
    }

    /** The sinusoid of each scalar, or (derivative = true) its derivative with respect to the scalar. */
    static INDArray sinusoid(double[] s, DataType dataType, boolean derivative) {
        int half = FREQUENCIES / 2;
        double[] out = new double[s.length * FREQUENCIES];
        for (int b = 0; b < s.length; b++) {
            for (int k = 0; k < half; k++) {
                double f = Math.exp(-Math.log(MAX_PERIOD) * k / half);
                double a = s[b] * f;
                out[b * FREQUENCIES + k] = derivative ? -f * Math.sin(a) : Math.cos(a);
                out[b * FREQUENCIES + half + k] = derivative ? f * Math.cos(a) : Math.sin(a);
            }
        }
        return Nd4j.create(out, new long[] {s.length, FREQUENCIES}, dataType);
    }
}
