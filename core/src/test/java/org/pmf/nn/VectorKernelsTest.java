package org.pmf.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 vector kernels against the float64 path of the same layers (ND4J's ops, which the
 * finite-difference tests check): forward, tangent and backward of SwiGLU, RoPE and attention,
 * on sizes that leave partial vectors and partial blocks, and the kernels' edge values.
 */
class VectorKernelsTest {

    /** Float32 against float64: a few units in the last place of float, summed over a layer. */
    private static final double TOLERANCE = 2e-5;

    @Test
    void theTestJvmRunsTheVectorKernels() {
        assertTrue(VectorSupport.enabled(), "surefire's argLine must pass --add-modules=jdk.incubator.vector");
        assertTrue(VectorSupport.appliesTo(Nd4j.create(DataType.FLOAT, 3, 5)));
        INDArray x = Nd4j.create(DataType.FLOAT, 4, 6);
        assertTrue(!VectorSupport.appliesTo(x.transpose()), "a transposed view is not c-contiguous");
        assertTrue(!VectorSupport.appliesTo(Nd4j.create(DataType.DOUBLE, 3)), "float64 takes ND4J's ops");
        assertTrue(VectorSupport.appliesTo(x.getRow(2)), "a row of a c-order matrix is contiguous");
    }

    @Test
    void swiGluMatchesTheFloat64PathInForwardTangentAndBackward() {
        // 37 rows x 45 hidden = 1665 gate values: more than one block, not a whole number of vectors
        Layers f = new Layers(DataType.FLOAT);
        Layers d = new Layers(DataType.DOUBLE);
        Random rng = new Random(3);
        INDArray x = TestArrays.normal(rng, 1.5, 37, 12);
        INDArray xDot = TestArrays.normal(rng, 1, 37, 12);
        INDArray dy = TestArrays.normal(rng, 1, 37, 12);
        SwiGlu.Trace tf = f.mlp.forward(x.castTo(DataType.FLOAT), new Buffers());
        SwiGlu.Trace td = d.mlp.forward(x, new Buffers());
        assertClose(td.output, tf.output, "forward");
        assertClose(d.mlp.tangent(td, xDot, new Buffers()), f.mlp.tangent(tf, xDot.castTo(DataType.FLOAT), new Buffers()), "tangent");
        assertClose(d.mlp.backward(td, dy, new Buffers()), f.mlp.backward(tf, dy.castTo(DataType.FLOAT), new Buffers()), "backward");
        assertClose(d.params.grads(), f.params.grads(), "parameter gradients");
    }

    @Test
    void ropeMatchesTheFloat64PathIncludingARowTailShorterThanAVector() {
        // 1 prefix + 2x2 patches, one head of 4 channels: rows of 20 values, 20 = 2 vectors of 8 + 4
        for (int[] shape : new int[][] {{1, 2, 1, 4}, {3, 4, 2, 8}}) {
            Rope2d rf = new Rope2d(shape[0], shape[1], shape[2], shape[3], 10000, DataType.FLOAT);
            Rope2d rd = new Rope2d(shape[0], shape[1], shape[2], shape[3], 10000, DataType.DOUBLE);
            INDArray x = TestArrays.normal(new Random(4), 1, 3, rd.rowLength());
            String where = "rope " + java.util.Arrays.toString(shape);
            assertClose(rd.rotate(x, new Buffers()), rf.rotate(x.castTo(DataType.FLOAT), new Buffers()), where + " rotate");
            assertClose(rd.rotateBack(x, new Buffers()), rf.rotateBack(x.castTo(DataType.FLOAT), new Buffers()), where + " rotateBack");
        }
    }

    @Test
    void attentionMatchesTheFloat64PathInForwardTangentAndBackward() {
        // 3 + 3x3 = 12 tokens: softmax rows of 12, one vector of 8 and a tail of 4
        Layers f = new Layers(DataType.FLOAT);
        Layers d = new Layers(DataType.DOUBLE);
        Random rng = new Random(5);
        int rows = 2 * 12;
        INDArray x = TestArrays.normal(rng, 1, rows, 16);
        INDArray xDot = TestArrays.normal(rng, 1, rows, 16);
        INDArray dy = TestArrays.normal(rng, 1, rows, 16);
        Attention.Trace tf = f.attention.forward(x.castTo(DataType.FLOAT), new Buffers());
        Attention.Trace td = d.attention.forward(x, new Buffers());
        assertClose(td.output, tf.output, "forward");
        assertClose(d.attention.tangent(td, xDot, new Buffers()), f.attention.tangent(tf, xDot.castTo(DataType.FLOAT), new Buffers()), "tangent");
        assertClose(d.attention.backward(td, dy, new Buffers()), f.attention.backward(tf, dy.castTo(DataType.FLOAT), new Buffers()), "backward");
        assertClose(d.params.grads(), f.params.grads(), "parameter gradients");
    }

    @Test
    void rmsNormMatchesTheFloat64PathInForwardTangentAndBackward() {
        // rows of 12: one vector of 8 and a tail of 4
        RmsNorm[] norms = new RmsNorm[2];
        ParamSet[] params = new ParamSet[2];
        DataType[] types = {DataType.FLOAT, DataType.DOUBLE};
        for (int i = 0; i < 2; i++) {
            ParamSet.Builder b = new ParamSet.Builder(types[i]);
            norms[i] = new RmsNorm(b, "norm", 12, 1e-6);
            params[i] = b.build(0);
            TestArrays.randomize(params[i], 8);
            params[i].grads().assign(0.25); // the backward adds to what is there
        }
        Random rng = new Random(9);
        INDArray x = TestArrays.normal(rng, 2, 7, 12);
        INDArray xDot = TestArrays.normal(rng, 1, 7, 12);
        INDArray dy = TestArrays.normal(rng, 1, 7, 12);
        RmsNorm.Trace tf = norms[0].forward(x.castTo(DataType.FLOAT), new Buffers());
        RmsNorm.Trace td = norms[1].forward(x, new Buffers());
        assertClose(td.output, tf.output, "forward");
        assertClose(norms[1].tangent(td, xDot, new Buffers()), norms[0].tangent(tf, xDot.castTo(DataType.FLOAT), new Buffers()), "tangent");
        assertClose(norms[1].backward(td, dy, new Buffers()), norms[0].backward(tf, dy.castTo(DataType.FLOAT), new Buffers()), "backward");
        assertClose(params[1].grads(), params[0].grads(), "weight gradient");
    }

    @Test
    void rowReductionsIgnoreWhatAnEarlierKernelLeftInTheScratchPadding() {
        // The gate leaves up's values 12..15 (NaN and inf) in the thread's second scratch array; the
        // softmax pullback then reads rows of 12 through that array, padded to 16.
        float[] up = new float[16];
        java.util.Arrays.fill(up, 12, 16, Float.NaN);
        up[13] = Float.POSITIVE_INFINITY;
        INDArray sink = Nd4j.create(DataType.FLOAT, 16);
        VectorKernels.swiGluGate(VectorSupport.floats(Nd4j.create(DataType.FLOAT, 16)), VectorSupport.floats(Nd4j.createFromArray(up)),
            VectorSupport.floats(sink), VectorSupport.floats(sink), VectorSupport.floats(sink), 16);
        INDArray p = Nd4j.ones(DataType.FLOAT, 12).divi(12);
        float[] ramp = new float[12];
        for (int i = 0; i < 12; i++) {
            ramp[i] = i + 1;
        }
        INDArray d = Nd4j.createFromArray(ramp);
        INDArray out = Nd4j.create(DataType.FLOAT, 12);
        VectorKernels.softmaxPullback(VectorSupport.floats(p), VectorSupport.floats(d), VectorSupport.floats(out), 1, 12, 1f);
        for (int i = 0; i < 12; i++) {
            assertEquals((i + 1 - 6.5) / 12, out.getDouble(i), 1e-6, "value " + i);
        }
    }

    @Test
    void theKernelsGiveTheSameBitsInterpretedAsCompiled() throws Exception {
        // The JDK's own vector exp and sum reductions gave other last bits once compiled, so a
        // training step's result changed as the JIT warmed up (found by PmfTrainingStepTest).
        for (int i = 0; i < 3000; i++) {
            VectorKernelBits.hash();
        }
        long compiled = VectorKernelBits.hash();
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xint", "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
            VectorKernelBits.class.getName()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        String[] lines = output.strip().split("\\R");
        assertEquals(compiled, Long.parseLong(lines[lines.length - 1]), "interpreted (-Xint) vs compiled: " + output);
    }

    @Test
    void theGateSaturatesWithoutOverflowAndKeepsNaN() {
        float[] a = {-100f, -20f, -1e-3f, 0f, 1e-3f, 20f, 100f, Float.NaN, 3f};
        float[] up = {2f, 2f, 2f, 2f, 2f, 2f, 2f, 2f, -1f};
        INDArray act = Nd4j.create(DataType.FLOAT, a.length);
        INDArray slope = Nd4j.create(DataType.FLOAT, a.length);
        INDArray hidden = Nd4j.create(DataType.FLOAT, a.length);
        VectorKernels.swiGluGate(VectorSupport.floats(Nd4j.createFromArray(a)), VectorSupport.floats(Nd4j.createFromArray(up)),
            VectorSupport.floats(act), VectorSupport.floats(slope), VectorSupport.floats(hidden), a.length);
        for (int i = 0; i < a.length - 2; i++) {
            double s = 1 / (1 + Math.exp(-a[i]));
            assertEquals(a[i] * s, act.getDouble(i), 1e-6 * Math.max(1, Math.abs(a[i])), "silu(" + a[i] + ")");
            assertEquals(s * (1 + a[i] * (1 - s)), slope.getDouble(i), 1e-6, "silu'(" + a[i] + ")");
            assertEquals(a[i] * s * up[i], hidden.getDouble(i), 2e-6 * Math.max(1, Math.abs(a[i])), "hidden(" + a[i] + ")");
        }
        assertTrue(Double.isNaN(act.getDouble(7)) && Double.isNaN(slope.getDouble(7)) && Double.isNaN(hidden.getDouble(7)), "NaN stays NaN");
    }

    @Test
    void softmaxOfLargeLogitsIsFiniteAndSumsToOne() {
        float[] logits = {1000f, 999f, 998f, -1000f, 1000f, 0f, 0f, 0f, 0f, 0f, 0f};
        INDArray out = Nd4j.create(DataType.FLOAT, logits.length);
        VectorKernels.softmaxRows(VectorSupport.floats(Nd4j.createFromArray(logits)), VectorSupport.floats(out), 1, logits.length);
        double z = 2 + Math.exp(-1) + Math.exp(-2) + 6 * Math.exp(-1000) + Math.exp(-2000);
        assertEquals(1 / z, out.getDouble(0), 1e-6);
        assertEquals(Math.exp(-1) / z, out.getDouble(1), 1e-6);
        assertEquals(0, out.getDouble(3), 1e-37, "e^-2000 saturates at the smallest normal float's order");
        assertEquals(1, out.sumNumber().doubleValue(), 1e-6);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double error = TestArrays.relativeError(expected, actual.castTo(DataType.DOUBLE));
        assertTrue(error < TOLERANCE, what + ": float32 kernels differ from float64 by " + error);
    }

    /** One SwiGLU and one attention layer (with RoPE) in the given precision, parameters as in every other precision. */
    private static final class Layers {
        final ParamSet params;
        final SwiGlu mlp;
        final Attention attention;

        Layers(DataType type) {
            ParamSet.Builder b = new ParamSet.Builder(type);
            mlp = new SwiGlu(b, "mlp", 12, 45, Initializer.zeros(), Initializer.zeros());
            Rope2d rope = new Rope2d(3, 3, 2, 8, 10000, type);
            attention = new Attention(b, "attn", 16, 2, 12, rope, Initializer.zeros(), 1e-6);
            params = b.build(0);
            TestArrays.randomize(params, 7);
            params.zeroGrads();
        }
    }
}
