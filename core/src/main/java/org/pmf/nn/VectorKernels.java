package org.pmf.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 kernels on the CPU's vector unit, through the JDK's incubating Vector API, for the
 * operations ND4J's CPU build does slowly: its exp is scalar libm (sigmoid and softmax cost 6-7 ns
 * per value) and its RoPE, RMSNorm and softmax pullback take four to eight passes each
 * (bench/train-step.md). Only {@link VectorSupport} calls in here, and only when the module is in
 * the JVM, so that no other class links against it. Every kernel gives the same bits whether the
 * JIT has compiled it or not (see {@link #exp}), so runs stay reproducible.
 *
 * <p>The data are copied block by block (or row by row) into heap scratch arrays whose length is a
 * whole number of vectors, so every vector operation is a full one. The padding lanes are computed
 * and dropped, except in row reductions (max, sum, dot products), where every input's padding is
 * first set to a value that leaves the reduction alone: the scratch arrays are shared by all
 * kernels of a thread and may hold anything there.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Values per block of the flat kernels: whole vectors, well inside the L1 cache. */
    private static final int BLOCK = 1024;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
    /** 1.5 * 2^23: adding it to a float of magnitude below 2^22 rounds it to an integer kept in the low mantissa bits. */
    private static final FloatVector ROUNDER = FloatVector.broadcast(SPECIES, 12582912f);
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(12582912f);
    private static final FloatVector LOG2E = FloatVector.broadcast(SPECIES, 1.44269504088896341f);
    /** -ln 2 split in two (Cephes' C1 and C2, negated) so that n ln 2 is subtracted almost exactly. */
    private static final FloatVector MINUS_LN2_HIGH = FloatVector.broadcast(SPECIES, -0.693359375f);
    private static final FloatVector MINUS_LN2_LOW = FloatVector.broadcast(SPECIES, 2.12194440e-4f);

    private VectorKernels() {
    }

    /** The SwiGLU gate: act = a s, slope = s (1 + a (1 - s)) = s + act - act s, hidden = act up, with s = sigmoid(a). */
    static void swiGluGate(FloatBuffer a, FloatBuffer up, FloatBuffer act, FloatBuffer slope, FloatBuffer hidden, int n) {
        float[][] s = SCRATCH.get().arrays(5, BLOCK);
        float[] av = s[0];
        float[] uv = s[1];
        float[] actv = s[2];
        float[] slopev = s[3];
        float[] hv = s[4];
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            a.get(start, av, 0, len);
            up.get(start, uv, 0, len);
            for (int i = 0; i < len; i += LANES) {
                FloatVector x = FloatVector.fromArray(SPECIES, av, i);
                FloatVector sig = ONE.div(exp(x.neg()).add(ONE));
                FloatVector ac = x.mul(sig);
                ac.intoArray(actv, i);
                ac.sub(ac.mul(sig)).add(sig).intoArray(slopev, i);
                ac.mul(FloatVector.fromArray(SPECIES, uv, i)).intoArray(hv, i);
            }
            act.put(start, actv, 0, len);
            slope.put(start, slopev, 0, len);
            hidden.put(start, hv, 0, len);
        }
    }

    /** Softmax of each of {@code rows} contiguous rows of {@code cols} values, with the row max subtracted first. */
    static void softmaxRows(FloatBuffer in, FloatBuffer out, int rows, int cols) {
        int padded = wholeVectors(cols);
        float[][] s = SCRATCH.get().arrays(2, padded);
        float[] lanes = SCRATCH.get().lanes;
        float[] row = s[0];
        float[] e = s[1];
        // exp(-inf - max) = 0: the padding adds nothing to the sum and never wins the max.
        Arrays.fill(row, cols, padded, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            in.get(r * cols, row, 0, cols);
            FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < padded; i += LANES) {
                max = max.max(FloatVector.fromArray(SPECIES, row, i));
            }
            float m = max.reduceLanes(VectorOperators.MAX);
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector v = exp(FloatVector.fromArray(SPECIES, row, i).sub(m));
                v.intoArray(e, i);
                sum = sum.add(v);
            }
            float inv = 1f / sum(sum, lanes);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector.fromArray(SPECIES, e, i).mul(inv).intoArray(e, i);
            }
            out.put(r * cols, e, 0, cols);
        }
    }

    /**
     * The pullback (and tangent) of a row softmax P: out = scale * P * (d - rowsum(P * d)), per row
     * of {@code cols} values.
     */
    static void softmaxPullback(FloatBuffer p, FloatBuffer d, FloatBuffer out, int rows, int cols, float scale) {
        int padded = wholeVectors(cols);
        float[][] s = SCRATCH.get().arrays(2, padded);
        float[] lanes = SCRATCH.get().lanes;
        float[] pv = s[0];
        float[] dv = s[1];
        // Zero padding keeps the padding lanes out of the row's dot product (the scratch may hold
        // anything there, inf included, from another kernel, and 0 * inf would poison the sum).
        Arrays.fill(pv, cols, padded, 0f);
        Arrays.fill(dv, cols, padded, 0f);
        for (int r = 0; r < rows; r++) {
            p.get(r * cols, pv, 0, cols);
            d.get(r * cols, dv, 0, cols);
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int i = 0; i < padded; i += LANES) {
                dot = FloatVector.fromArray(SPECIES, pv, i).fma(FloatVector.fromArray(SPECIES, dv, i), dot);
            }
            float rowDot = sum(dot, lanes);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector pi = FloatVector.fromArray(SPECIES, pv, i);
                pi.mul(scale).mul(FloatVector.fromArray(SPECIES, dv, i).sub(rowDot)).intoArray(dv, i);
            }
            out.put(r * cols, dv, 0, cols);
        }
    }

    /**
     * out = x cos + sign * swap(x) signedSin on each of {@code rows} rows of {@code rowLength}
     * values, where swap exchanges the two values of each pair (2m, 2m + 1) and the tables hold one
     * row each. rowLength is even, and blocks start at even offsets, so pairs never straddle a block.
     */
    static void rotatePairs(FloatBuffer x, float[] cos, float[] signedSin, float sign, FloatBuffer out, int rows, int rowLength) {
        float[][] s = SCRATCH.get().arrays(2, BLOCK);
        float[] xv = s[0];
        float[] ov = s[1];
        for (int r = 0; r < rows; r++) {
            int base = r * rowLength;
            for (int start = 0; start < rowLength; start += BLOCK) {
                int len = Math.min(BLOCK, rowLength - start);
                x.get(base + start, xv, 0, len);
                int full = len - len % LANES;
                for (int i = 0; i < full; i += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, xv, i);
                    FloatVector c = FloatVector.fromArray(SPECIES, cos, start + i);
                    FloatVector sn = FloatVector.fromArray(SPECIES, signedSin, start + i).mul(sign);
                    v.mul(c).add(v.rearrange(SWAP_PAIRS).mul(sn)).intoArray(ov, i);
                }
                // A row tail shorter than a vector (the tables are not padded): pairs, one by one.
                for (int i = full; i < len; i += 2) {
                    int t = start + i;
                    ov[i] = xv[i] * cos[t] + sign * xv[i + 1] * signedSin[t];
                    ov[i + 1] = xv[i + 1] * cos[t + 1] + sign * xv[i] * signedSin[t + 1];
                }
                out.put(base + start, ov, 0, len);
            }
        }
    }

    /**
     * RMSNorm of each of {@code rows} rows of {@code dim} values: rstd = 1 / sqrt(mean(x^2) + eps),
     * normalized = x rstd, output = normalized w.
     */
    static void rmsNormForward(FloatBuffer x, FloatBuffer w, FloatBuffer normalized, FloatBuffer output, FloatBuffer rstd,
                               int rows, int dim, double eps) {
        int padded = wholeVectors(dim);
        float[][] s = SCRATCH.get().arrays(4, padded);
        float[] lanes = SCRATCH.get().lanes;
        float[] xv = s[0];
        float[] wv = s[1];
        float[] nv = s[2];
        float[] ov = s[3];
        // Zero padding adds nothing to the sum of squares.
        Arrays.fill(xv, dim, padded, 0f);
        w.get(0, wv, 0, dim);
        for (int r = 0; r < rows; r++) {
            x.get(r * dim, xv, 0, dim);
            FloatVector squares = FloatVector.zero(SPECIES);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, xv, i);
                squares = v.fma(v, squares);
            }
            float rs = (float) (1 / Math.sqrt(sum(squares, lanes) / dim + eps));
            rstd.put(r, rs);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector n = FloatVector.fromArray(SPECIES, xv, i).mul(rs);
                n.intoArray(nv, i);
                n.mul(FloatVector.fromArray(SPECIES, wv, i)).intoArray(ov, i);
            }
            normalized.put(r * dim, nv, 0, dim);
            output.put(r * dim, ov, 0, dim);
        }
    }

    /**
     * The RMSNorm tangent along xDot: rstd (xDot - n mean(n xDot)) w per row, n being the normalized
     * input. (The backward is the same projection of dy w, see {@link #rmsNormBackward}.)
     */
    static void rmsNormTangent(FloatBuffer normalized, FloatBuffer xDot, FloatBuffer rstd, FloatBuffer w, FloatBuffer out,
                               int rows, int dim) {
        rmsNormProjection(normalized, xDot, rstd, w, out, null, rows, dim);
    }

    /**
     * The RMSNorm backward: adds sum over rows of dy n to {@code weightGrad} and writes
     * dL/dx = rstd (v - n mean(n v)) with v = dy w, per row.
     */
    static void rmsNormBackward(FloatBuffer normalized, FloatBuffer dy, FloatBuffer rstd, FloatBuffer w, FloatBuffer out,
                                FloatBuffer weightGrad, int rows, int dim) {
        rmsNormProjection(normalized, dy, rstd, w, out, weightGrad, rows, dim);
    }

    /** Tangent when weightGrad is null (w after the projection), backward otherwise (w before it). */
    private static void rmsNormProjection(FloatBuffer normalized, FloatBuffer g, FloatBuffer rstd, FloatBuffer w, FloatBuffer out,
                                          FloatBuffer weightGrad, int rows, int dim) {
        int padded = wholeVectors(dim);
        float[][] s = SCRATCH.get().arrays(5, padded);
        float[] lanes = SCRATCH.get().lanes;
        float[] nv = s[0];
        float[] gv = s[1];
        float[] wv = s[2];
        float[] ov = s[3];
        float[] gradW = s[4];
        // Zero padding keeps the padding lanes out of the row's dot product (see softmaxPullback).
        Arrays.fill(nv, dim, padded, 0f);
        Arrays.fill(gv, dim, padded, 0f);
        Arrays.fill(wv, dim, padded, 0f);
        Arrays.fill(gradW, 0, padded, 0f);
        w.get(0, wv, 0, dim);
        boolean backward = weightGrad != null;
        for (int r = 0; r < rows; r++) {
            normalized.get(r * dim, nv, 0, dim);
            g.get(r * dim, gv, 0, dim);
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector n = FloatVector.fromArray(SPECIES, nv, i);
                FloatVector v = FloatVector.fromArray(SPECIES, gv, i);
                if (backward) {
                    n.fma(v, FloatVector.fromArray(SPECIES, gradW, i)).intoArray(gradW, i);
                    v = v.mul(FloatVector.fromArray(SPECIES, wv, i));
                    v.intoArray(gv, i);
                }
                dot = n.fma(v, dot);
            }
            float mean = sum(dot, lanes) / dim;
            float rs = rstd.get(r);
            for (int i = 0; i < padded; i += LANES) {
                FloatVector n = FloatVector.fromArray(SPECIES, nv, i);
                FloatVector o = FloatVector.fromArray(SPECIES, gv, i).sub(n.mul(mean)).mul(rs);
                (backward ? o : o.mul(FloatVector.fromArray(SPECIES, wv, i))).intoArray(ov, i);
            }
            out.put(r * dim, ov, 0, dim);
        }
        if (backward) {
            for (int i = 0; i < dim; i++) {
                weightGrad.put(i, weightGrad.get(i) + gradW[i]);
            }
        }
    }

    /**
     * e^x lane by lane (Cephes' expf polynomial: relative error below 2e-7), from IEEE basic operations only,
     * so that interpreted and compiled code give the same bits: the API's own EXP is the SVML
     * intrinsic once compiled but scalar Math.exp before, and their last bits differ, which made a
     * step's result depend on the JIT's progress. Arguments are clamped to [-87.3, 88], where
     * 2^n stays a normal float: e^x saturates at 1.2e-38 and 1.7e38 instead of 0 and infinity.
     * NaN stays NaN.
     */
    private static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(-87.3f).min(88f);
        // n = round(c log2 e) by the 1.5 * 2^23 trick: adding it leaves n in the low mantissa bits,
        // with plain float arithmetic (JDK 17 compiles float-int conversions poorly).
        FloatVector shifted = c.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(MINUS_LN2_HIGH, c).add(n.mul(MINUS_LN2_LOW));
        FloatVector p = FloatVector.broadcast(SPECIES, 1.9875691500e-4f)
            .fma(r, FloatVector.broadcast(SPECIES, 1.3981999507e-3f))
            .fma(r, FloatVector.broadcast(SPECIES, 8.3334519073e-3f))
            .fma(r, FloatVector.broadcast(SPECIES, 4.1665795894e-2f))
            .fma(r, FloatVector.broadcast(SPECIES, 1.6666665459e-1f))
            .fma(r, FloatVector.broadcast(SPECIES, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(ONE);
        // 2^n: n + 127 into the exponent field
        FloatVector twoToN = shifted.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
            .reinterpretAsFloats();
        return y.mul(twoToN);
    }

    /** The lanes' sum in lane order: the API's ADD reduction may add in any order, which would change the last bits. */
    private static float sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0;
        for (int i = 0; i < LANES; i++) {
            s += lanes[i];
        }
        return s;
    }

    private static int wholeVectors(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** Per-thread scratch arrays, grown on demand; ND4J's buffers are never touched by two kernels at once per thread. */
    private static final class Scratch {
        private final float[] lanes = new float[LANES];
        private float[][] arrays = new float[0][];

        float[][] arrays(int count, int length) {
            int need = wholeVectors(length);
            if (arrays.length < count || arrays[0].length < need) {
                arrays = new float[Math.max(count, arrays.length)][Math.max(need, arrays.length == 0 ? 0 : arrays[0].length)];
            }
            return arrays;
        }
    }
}
