package org.pmf.nn;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tangent and backward rules of each building block equal central finite differences in float64. */
class ComponentDerivativeTest {

    private final Random rng = new Random(11);

    @Test
    void rmsNormTangentAndGradientsMatchFiniteDifferences() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        RmsNorm norm = new RmsNorm(b, "n", 6, 1e-6);
        ParamSet ps = b.build(0);
        TestArrays.randomize(ps, 1);
        DerivativeCheck.check("RMSNorm", new DerivativeCheck.Module<RmsNorm.Trace>() {
            public RmsNorm.Trace forward(INDArray x) { return norm.forward(x, new Buffers()); }
            public INDArray output(RmsNorm.Trace t) { return t.output; }
            public INDArray tangent(RmsNorm.Trace t, INDArray v) { return norm.tangent(t, v, new Buffers()); }
            public INDArray backward(RmsNorm.Trace t, INDArray dy) { return norm.backward(t, dy, new Buffers()); }
        }, ps, TestArrays.normal(rng, 1, 5, 6), rng, 4);
    }

    @Test
    void swiGluTangentAndGradientsMatchFiniteDifferences() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        SwiGlu mlp = new SwiGlu(b, "m", 6, 10, Initializer.normal(0, 0.5), Initializer.normal(0, 0.5));
        ParamSet ps = b.build(0);
        DerivativeCheck.check("SwiGLU", new DerivativeCheck.Module<SwiGlu.Trace>() {
            public SwiGlu.Trace forward(INDArray x) { return mlp.forward(x, new Buffers()); }
            public INDArray output(SwiGlu.Trace t) { return t.output; }
            public INDArray tangent(SwiGlu.Trace t, INDArray v) { return mlp.tangent(t, v, new Buffers()); }
            public INDArray backward(SwiGlu.Trace t, INDArray dy) { return mlp.backward(t, dy, new Buffers()); }
        }, ps, TestArrays.normal(rng, 1, 5, 6), rng, 4);
    }

    @Test
    void attentionTangentAndGradientsMatchFiniteDifferences() {
        int tokens = 2 + 9;
        Rope2d rope = new Rope2d(2, 3, 2, 8, 10000, DataType.DOUBLE);
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        Attention attn = new Attention(b, "a", 16, 2, tokens, rope, Initializer.normal(0, 0.3), 1e-6);
        ParamSet ps = b.build(0);
        TestArrays.randomize(ps, 2);
        DerivativeCheck.check("Attention", new DerivativeCheck.Module<Attention.Trace>() {
            public Attention.Trace forward(INDArray x) { return attn.forward(x, new Buffers()); }
            public INDArray output(Attention.Trace t) { return t.output; }
            public INDArray tangent(Attention.Trace t, INDArray v) { return attn.tangent(t, v, new Buffers()); }
            public INDArray backward(Attention.Trace t, INDArray dy) { return attn.backward(t, dy, new Buffers()); }
        }, ps, TestArrays.normal(rng, 1, 2 * tokens, 16), rng, 6);
    }

    @Test
    void linearTangentAndGradientsMatchFiniteDifferences() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        Linear lin = new Linear(b, "l", 4, 3, Initializer.normal(0, 1), true, Initializer.normal(0, 1), Param.Role.MATRIX);
        ParamSet ps = b.build(0);
        DerivativeCheck.check("Linear", new DerivativeCheck.Module<INDArray[]>() {
            public INDArray[] forward(INDArray x) { return new INDArray[] {x, lin.forward(x)}; }
            public INDArray output(INDArray[] t) { return t[1]; }
            public INDArray tangent(INDArray[] t, INDArray v) { return lin.tangent(v); }
            public INDArray backward(INDArray[] t, INDArray dy) { return lin.backward(t[0], dy); }
        }, ps, TestArrays.normal(rng, 1, 5, 4), rng, 4);
    }
}
