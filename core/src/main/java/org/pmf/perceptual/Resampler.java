package org.pmf.perceptual;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Separable image resampling as matrices: along one axis, {@code out = M . in} with M [out, in].
 * Being linear, a resize's gradient is the transposed matrices, which is how the perceptual loss
 * sends gradients back through its crop and resize.
 *
 * <ul>
 * <li>{@link Kernel#BICUBIC_ANTIALIAS}: PyTorch's {@code interpolate(mode="bicubic", antialias=True,
 *   align_corners=False)} (Keys cubic, a = -0.5, stretched by the scale when shrinking, weights
 *   renormalised over the pixels inside the image). This is also the definition of
 *   {@code jax.image.scale_and_translate(method="cubic", antialias=True)} that the official pMF
 *   code uses (same kernel, same stretching, same renormalisation); tested against PyTorch only.</li>
 * <li>{@link Kernel#BILINEAR}: PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}
 *   without antialiasing, as pytorch-fid resizes images to 299 for Inception.</li>
 * </ul>
 */
public final class Resampler {

    public enum Kernel { BICUBIC_ANTIALIAS, BILINEAR }

    private static final double CUBIC_A = -0.5;

    private Resampler() {
    }

    /** The [out, in] matrix resampling an axis of {@code in} pixels to {@code out} pixels. */
    public static double[][] axis(int in, int out, Kernel kernel) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("resample sizes must be positive, got " + in + " -> " + out);
        }
        return kernel == Kernel.BILINEAR ? bilinear(in, out) : cubicAntialias(in, out);
    }

    /**
     * The [out, full] matrix resampling the window [start, start + length) of an axis of
     * {@code full} pixels to {@code out} pixels (zero weight outside the window): crop then resize.
     */
    public static INDArray cropAxis(int full, int start, int length, int out, Kernel kernel, DataType type) {
        if (start < 0 || length < 1 || start + length > full) {
            throw new IllegalArgumentException("crop window [" + start + ", " + (start + length) + ") is outside [0, " + full + ")");
        }
        double[][] m = axis(length, out, kernel);
        double[][] embedded = new double[out][full];
        for (int i = 0; i < out; i++) {
            System.arraycopy(m[i], 0, embedded[i], start, length);
        }
        return Nd4j.create(embedded).castTo(type);
    }

    /** Resizes NCHW images [B, C, H, W] to [B, C, outH, outW]. */
    public static INDArray resize(INDArray images, int outH, int outW, Kernel kernel) {
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        INDArray rows = cropAxis(h, 0, h, outH, kernel, images.dataType());
        INDArray cols = cropAxis(w, 0, w, outW, kernel, images.dataType());
        return apply(images, rows, cols);
    }

    /**
     * {@code out[b, c] = rows . images[b, c] . cols^T} for all b, c: rows [outH, H], cols [outW, W].
     * With rows, cols transposed this is also the backward pass of a resize.
     */
    public static INDArray apply(INDArray images, INDArray rows, INDArray cols) {
        long b = images.size(0);
        long c = images.size(1);
        long h = images.size(2);
        long w = images.size(3);
        long oh = rows.size(0);
        long ow = cols.size(0);
        INDArray alongW = images.dup('c').reshape(b * c * h, w).mmul(cols.transpose());       // [B*C*H, oW]
        INDArray hFirst = alongW.reshape(b * c, h, ow).permute(1, 0, 2).dup('c').reshape(h, b * c * ow);
        INDArray alongH = rows.mmul(hFirst);                                                  // [oH, B*C*oW]
        return alongH.reshape(oh, b * c, ow).permute(1, 0, 2).dup('c').reshape(b, c, oh, ow);
    }

    private static double[][] bilinear(int in, int out) {
        double scale = (double) in / out;
        double[][] m = new double[out][in];
        for (int i = 0; i < out; i++) {
            double src = Math.max(scale * (i + 0.5) - 0.5, 0.0);
            int i0 = (int) src;
            int i1 = i0 < in - 1 ? i0 + 1 : i0;
            double l1 = src - i0;
            m[i][i0] += 1.0 - l1;
            m[i][i1] += l1;
        }
        return m;
    }

    private static double[][] cubicAntialias(int in, int out) {
        double scale = (double) in / out;
        double stretch = Math.max(scale, 1.0);   // the kernel widens when shrinking (antialias)
        double support = 2.0 * stretch;
        double[][] m = new double[out][in];
        for (int i = 0; i < out; i++) {
            double center = scale * (i + 0.5);
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            for (int j = lo; j < hi; j++) {
                double wj = cubic((j + 0.5 - center) / stretch);
                m[i][j] = wj;
                total += wj;
            }
            for (int j = lo; j < hi; j++) {
                m[i][j] /= total;
            }
        }
        return m;
    }

    private static double cubic(double x) {
        double a = Math.abs(x);
        if (a < 1) {
            return ((CUBIC_A + 2) * a - (CUBIC_A + 3)) * a * a + 1;
        }
        if (a < 2) {
            return (((a - 5) * a + 8) * a - 4) * CUBIC_A;
        }
        return 0;
    }
}
