package org.pmf.dataprep.image;

/**
 * Resizes exactly as Pillow's {@code Image.resize} does for 8-bit RGB (libImaging/Resample.c):
 * separable filter weights computed in double precision, normalised, rounded to fixed point with
 * 22 fractional bits, a horizontal pass over the needed rows then a vertical pass, each rounding
 * and clipping to 0..255. Matching that arithmetic (not just the filter shape) is what makes the
 * output identical to PIL's, value for value.
 */
public final class PilResampler {

    /** Pillow's resampling filters used by ADM's center crop. */
    public enum Filter {
        BOX(0.5) {
            @Override
            double weight(double x) {
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            }
        },
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResampler() {
    }

    public static RgbImage resize(RgbImage in, int width, int height, Filter filter) {
        if (width == in.width() && height == in.height()) {
            return in;
        }
        Coefficients horizontal = Coefficients.of(in.width(), width, filter);
        Coefficients vertical = Coefficients.of(in.height(), height, filter);
        RgbImage image = in;
        int[] rowBounds = vertical.bounds.clone();
        if (width != in.width()) {
            int firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[2 * height - 2] + vertical.bounds[2 * height - 1];
            for (int i = 0; i < height; i++) {
                rowBounds[2 * i] -= firstRow;
            }
            image = horizontalPass(in, firstRow, lastRow - firstRow, width, horizontal);
        }
        if (height != in.height()) {
            image = verticalPass(image, height, rowBounds, vertical);
        }
        return image;
    }

    private static RgbImage horizontalPass(RgbImage in, int firstRow, int rows, int width, Coefficients c) {
        byte[] src = in.rgb();
        byte[] out = new byte[rows * width * 3];
        int inStride = in.width() * 3;
        for (int y = 0; y < rows; y++) {
            int rowStart = (y + firstRow) * inStride;
            for (int x = 0; x < width; x++) {
                int min = c.bounds[2 * x];
                int count = c.bounds[2 * x + 1];
                int k0 = x * c.size;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                int p = rowStart + min * 3;
                for (int i = 0; i < count; i++, p += 3) {
                    int k = c.fixed[k0 + i];
                    r += (src[p] & 0xff) * k;
                    g += (src[p + 1] & 0xff) * k;
                    b += (src[p + 2] & 0xff) * k;
                }
                int o = (y * width + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(width, rows, out);
    }

    private static RgbImage verticalPass(RgbImage in, int height, int[] bounds, Coefficients c) {
        byte[] src = in.rgb();
        int width = in.width();
        int stride = width * 3;
        byte[] out = new byte[height * stride];
        int[] acc = new int[stride];
        for (int y = 0; y < height; y++) {
            int min = bounds[2 * y];
            int count = bounds[2 * y + 1];
            int k0 = y * c.size;
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            // Row by row (same sums as PIL's column loops, in an order that streams through memory).
            for (int i = 0; i < count; i++) {
                int k = c.fixed[k0 + i];
                int row = (min + i) * stride;
                for (int x = 0; x < stride; x++) {
                    acc[x] += (src[row + x] & 0xff) * k;
                }
            }
            int o = y * stride;
            for (int x = 0; x < stride; x++) {
                out[o + x] = clip8(acc[x]);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static byte clip8(int fixed) {
        int v = fixed >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Per output position: first input index, number of inputs, and fixed-point weights. */
    private static final class Coefficients {
        final int size;
        final int[] bounds;
        final int[] fixed;

        private Coefficients(int size, int[] bounds, int[] fixed) {
            this.size = size;
            this.bounds = bounds;
            this.fixed = fixed;
        }

        static Coefficients of(int inSize, int outSize, Filter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] fixed = new int[outSize * size];
            double[] w = new double[size];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0.0;
                for (int x = 0; x < max; x++) {
                    w[x] = filter.weight((x + min - center + 0.5) * ss);
                    total += w[x];
                }
                for (int x = 0; x < max; x++) {
                    double normalised = total != 0.0 ? w[x] / total : w[x];
                    double scaled = normalised * (1 << PRECISION_BITS);
                    fixed[xx * size + x] = (int) (normalised < 0 ? -0.5 + scaled : 0.5 + scaled);
                }
                bounds[2 * xx] = min;
                bounds[2 * xx + 1] = max;
            }
            return new Coefficients(size, bounds, fixed);
        }
    }
}
