package org.pmf.eval;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.NativeBytes;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;

/**
 * A 3x3 convolution with zero padding 1 and stride 1 or 2 on NHWC activations, as im2col plus the
 * project's {@link Linear}: for every output pixel the nine input pixels under the kernel (zeros
 * outside the image) are laid side by side in one row of a [B*Ho*Wo, 9*C] matrix, which one matrix
 * product maps to the output channels; the backward adds each row's gradient back to its pixels
 * (col2im). The gathering and scattering are Java loops reading and writing the native buffers: measured on
 * this CPU, ND4J's strided-view copies, its gather / segment-sum ops and libnd4j's own conv2d
 * (forward and backward) were each several times slower than the matrix product itself.
 */
final class Conv3x3 {

    private final Linear linear;
    private final int channelsIn;
    private final int stride;
    private float[] scratch = new float[0];
    private int[] sourceCache = new int[0];
    private long sourceKey = -1;

    /** Forward values the backward needs. */
    static final class Trace {
        final INDArray columns;
        final INDArray output;

        Trace(INDArray columns, INDArray output) {
            this.columns = columns;
            this.output = output;
        }
    }

    Conv3x3(ParamSet.Builder params, String name, int channelsIn, int channelsOut, int stride) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride must be 1 or 2, got " + stride);
        }
        long fanIn = 9L * channelsIn;
        // He-normal for ReLU networks; the classifier is trained with Adam, so this is not a Muon matrix.
        this.linear = new Linear(params, name, fanIn, channelsOut, Initializer.normal(0, Math.sqrt(2.0 / fanIn)), true,
            Initializer.zeros(), Param.Role.OTHER);
        this.channelsIn = channelsIn;
        this.stride = stride;
    }

    /** Output side for an input side. */
    int outSide(int side) {
        return (side + stride - 1) / stride;
    }

    /** x [B, S, S, C] to the pre-activation [B, So, So, out]. */
    Trace forward(INDArray x, Buffers buf) {
        int b = (int) x.size(0);
        int side = (int) x.size(1);
        int out = outSide(side);
        int[] source = sourcePixels(b, side, out);
        INDArray columns = buf.get(x.dataType(), (long) b * out * out, 9L * channelsIn);
        gather(bytes(NativeBytes.isDenseC(x) ? x : x.dup('c')), bytes(columns), source, channelsIn * x.dataType().width());
        INDArray y = linear.forward(columns, buf).reshape('c', b, out, out, linear.out());
        return new Trace(columns, y);
    }

    /** Adds the parameter gradients; returns dL/dx [B, S, S, C], or null when {@code needInput} is false. */
    INDArray backward(Trace tr, INDArray dy, int side, boolean needInput, Buffers buf) {
        int b = (int) dy.size(0);
        int out = (int) dy.size(1);
        INDArray dyRows = dy.reshape('c', (long) b * out * out, linear.out());
        INDArray dColumns = buf.like(tr.columns);
        linear.backwardInto(tr.columns, dyRows, dColumns, false);
        if (!needInput) {
            return null;
        }
        int[] source = sourcePixels(b, side, out);
        INDArray dx = buf.get(dy.dataType(), b, side, side, channelsIn);
        int pixels = b * side * side * channelsIn;
        if (dy.dataType() == DataType.DOUBLE) {
            double[] sum = new double[pixels];
            DoubleBuffer cols = bytes(dColumns).asDoubleBuffer();
            int c = channelsIn;
            for (int j = 0; j < source.length; j++) {
                for (int i = 0, to = source[j] * c, from = j * c; to >= 0 && i < c; i++) {
                    sum[to + i] += cols.get(from + i);
                }
            }
            bytes(dx).asDoubleBuffer().put(0, sum);
        } else {
            float[] sum = floatScratch(pixels);
            FloatBuffer cols = bytes(dColumns).asFloatBuffer();
            int c = channelsIn;
            for (int j = 0; j < source.length; j++) {
                for (int i = 0, to = source[j] * c, from = j * c; to >= 0 && i < c; i++) {
                    sum[to + i] += cols.get(from + i);
                }
            }
            bytes(dx).asFloatBuffer().put(0, sum, 0, pixels);
        }
        return dx;
    }

    /** A zeroed float array of at least n elements, reused between calls. */
    private float[] floatScratch(int n) {
        if (scratch.length < n) {
            scratch = new float[n];
        } else {
            java.util.Arrays.fill(scratch, 0, n, 0f);
        }
        return scratch;
    }

    /** The native buffer of a dense c-order array, in the platform's byte order. */
    private static ByteBuffer bytes(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder());
    }

    /** im2col: the pixel of each (output pixel, tap) copied to its place in the columns, zeros for padding. */
    private static void gather(ByteBuffer in, ByteBuffer cols, int[] source, int pixelBytes) {
        if (pixelBytes == Integer.BYTES || pixelBytes == Long.BYTES) {
            // one value per pixel (the grey input): a primitive copy beats a bulk copy of 4 or 8 bytes
            boolean four = pixelBytes == Integer.BYTES;
            for (int j = 0; j < source.length; j++) {
                int s = source[j];
                if (four) {
                    cols.putInt(j * pixelBytes, s >= 0 ? in.getInt(s * pixelBytes) : 0);
                } else {
                    cols.putLong(j * pixelBytes, s >= 0 ? in.getLong(s * pixelBytes) : 0L);
                }
            }
            return;
        }
        byte[] zeros = new byte[pixelBytes];
        for (int j = 0; j < source.length; j++) {
            if (source[j] >= 0) {
                cols.put(j * pixelBytes, in, source[j] * pixelBytes, pixelBytes);
            } else {
                cols.put(j * pixelBytes, zeros);
            }
        }
    }

    /**
     * For every (output pixel, kernel tap) in row-major order, the input pixel it reads, as an index
     * into the [B*S*S] pixels, or -1 where the tap falls on the zero padding.
     */
    private int[] sourcePixels(int b, int side, int out) {
        long key = (long) b << 32 | side;
        if (key == sourceKey) {
            return sourceCache;
        }
        int[] source = new int[b * out * out * 9];
        int j = 0;
        for (int n = 0; n < b; n++) {
            for (int oy = 0; oy < out; oy++) {
                for (int ox = 0; ox < out; ox++) {
                    for (int k = 0; k < 9; k++) {
                        int iy = oy * stride + k / 3 - 1;
                        int ix = ox * stride + k % 3 - 1;
                        source[j++] = iy < 0 || iy >= side || ix < 0 || ix >= side ? -1 : (n * side + iy) * side + ix;
                    }
                }
            }
        }
        sourceKey = key;
        sourceCache = source;
        return source;
    }
}
