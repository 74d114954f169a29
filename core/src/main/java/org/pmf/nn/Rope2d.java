package org.pmf.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Two-dimensional rotary position embedding on the patch tokens of a sequence whose first
 * {@code prefix} tokens (the condition tokens) are left unrotated, as the official pMF port does.
 *
 * <p>Within each head vector, channels (2m, 2m+1) form pair m. For the patch at grid row r and
 * column c, the first headDim/4 pairs turn by r * g_m, the rest by c * g_(m - headDim/4), with
 * g_m = theta^(-4m / headDim). The rotation is written as x * cos + swap(x) * signedSin, where swap
 * exchanges the two channels of each pair, so it is two broadcast multiplies over per-position tables.
 * It is linear: its tangent is itself and its backward is the inverse rotation.
 */
public final class Rope2d {

    private final long tokens;
    private final long width;
    private final INDArray cos;
    private final INDArray signedSin;
    /** The tables again for {@link VectorKernels#rotatePairs}, which reads them from the heap. */
    private final float[] cosFloats;
    private final float[] signedSinFloats;

    /**
     * @param prefix  unrotated leading tokens
     * @param grid    patches per side; the patch tokens are grid*grid, in row-major order
     * @param heads   attention heads (the table repeats per head)
     * @param headDim channels per head, divisible by 4
     */
    public Rope2d(int prefix, int grid, int heads, int headDim, double theta, DataType dataType) {
        if (headDim % 4 != 0) {
            throw new IllegalArgumentException("2-D RoPE needs a head dimension divisible by 4, got " + headDim);
        }
        this.tokens = prefix + (long) grid * grid;
        this.width = (long) heads * headDim;
        int pairsPerAxis = headDim / 4;
        double[] c = new double[Math.toIntExact(tokens * width)];
        double[] s = new double[c.length];
        for (int tok = 0; tok < tokens; tok++) {
            for (int h = 0; h < heads; h++) {
                for (int m = 0; m < headDim / 2; m++) {
                    double angle = 0;
                    if (tok >= prefix) {
                        int patch = tok - prefix;
                        int axisIndex = m < pairsPerAxis ? patch / grid : patch % grid;
                        int k = m % pairsPerAxis;
                        angle = axisIndex * Math.pow(theta, -2.0 * k / (headDim / 2.0));
                    }
                    int even = Math.toIntExact(tok * width + (long) h * headDim + 2L * m);
                    c[even] = Math.cos(angle);
                    c[even + 1] = Math.cos(angle);
                    s[even] = -Math.sin(angle);
                    s[even + 1] = Math.sin(angle);
                }
            }
        }
        this.cos = Nd4j.create(c, new long[] {c.length}, dataType);
        this.signedSin = Nd4j.create(s, new long[] {s.length}, dataType);
        this.cosFloats = toFloats(c);
        this.signedSinFloats = toFloats(s);
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /** Rotates x, given as [B, tokens * heads * headDim] (token, head, channel order), into a buffer. */
    public INDArray rotate(INDArray x, Buffers buf) {
        return turn(x, buf, true);
    }

    /** The inverse (= transposed) rotation, the backward of {@link #rotate}. */
    public INDArray rotateBack(INDArray x, Buffers buf) {
        return turn(x, buf, false);
    }

    private INDArray turn(INDArray x, Buffers buf, boolean forward) {
        INDArray out = buf.like(x);
        if (VectorSupport.appliesTo(x, out)) {
            VectorKernels.rotatePairs(VectorSupport.floats(x), cosFloats, signedSinFloats, forward ? 1f : -1f,
                VectorSupport.floats(out), Math.toIntExact(x.size(0)), Math.toIntExact(rowLength()));
            return out;
        }
        INDArray swapped = swapPairs(x, buf.like(x)).muliRowVector(signedSin);
        Elementwise.mulRow(x, cos, out);
        return forward ? out.addi(swapped) : out.subi(swapped);
    }

    public long rowLength() {
        return tokens * width;
    }

    private static INDArray swapPairs(INDArray x, INDArray out) {
        INDArray pairs = x.reshape('c', x.length() / 2, 2);
        INDArray swapped = out.reshape('c', x.length() / 2, 2);
        swapped.getColumn(0).assign(pairs.getColumn(1));
        swapped.getColumn(1).assign(pairs.getColumn(0));
        return out;
    }
}
