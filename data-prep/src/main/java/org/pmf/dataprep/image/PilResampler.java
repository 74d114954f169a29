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
    /** Rounding: PIL starts every sum at one half. */
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private PilResampler() {
    }

    public static RgbImage resize(RgbImage in, int width, int height, Filter filter) {
        return resizeAndCrop(in, width, height, filter, 0, 0, width, height);
    }

    /**
     * The {@code cropWidth x cropHeight} window at (cropX, cropY) of {@code resize(in, width, height, filter)},
     * computing only that window. Each output pixel depends only on its own column's and row's
     * weights, so the values are those of PIL's full resize followed by a crop; ADM's center crop
     * keeps 256 of 341 columns (or rows), and the horizontal pass only needs the input rows under
     * the kept output rows.
     */
    public static RgbImage resizeAndCrop(RgbImage in, int width, int height, Filter filter,
                                         int cropX, int cropY, int cropWidth, int cropHeight) {
        if (cropX < 0 || cropY < 0 || cropWidth <= 0 || cropHeight <= 0 || cropX + cropWidth > width || cropY + cropHeight > height) {
            throw new IllegalArgumentException("crop " + cropWidth + "x" + cropHeight + " at " + cropX + "," + cropY
                    + " is not inside " + width + "x" + height);
        }
        boolean horizontal = width != in.width();
        boolean vertical = height != in.height();
        // Input rows the kept output rows read (all of them when there is no vertical pass).
        Window rows = vertical
                ? Window.of(in.height(), height, filter, cropY, cropHeight)
                : Window.identity(cropY, cropHeight);
        byte[] src = in.rgb();
        int srcStride = in.width() * 3;
        int srcStart = rows.first * srcStride + cropX * 3;
        if (horizontal) {
            Window columns = Window.of(in.width(), width, filter, cropX, cropWidth);
            src = horizontalPass(src, srcStride, rows.first, rows.last - rows.first, columns);
            srcStride = cropWidth * 3;
            srcStart = 0;
        }
        if (vertical) {
            return new RgbImage(cropWidth, cropHeight, verticalPass(src, srcStart, srcStride, cropWidth * 3, rows));
        }
        if (horizontal) {
            return new RgbImage(cropWidth, cropHeight, src);
        }
        return in.crop(cropX, cropY, cropWidth, cropHeight);
    }

    /** Rows {@code first .. first + count} of the input, resampled to the window's output columns. */
    private static byte[] horizontalPass(byte[] src, int srcStride, int first, int count, Window c) {
        int outWidth = c.start.length;
        byte[] out = new byte[count * outWidth * 3];
        int[] start = c.start;
        int[] taps = c.taps;
        int[] weights = c.weights;
        int size = c.size;
        int o = 0;
        for (int y = 0; y < count; y++) {
            int row = (first + y) * srcStride;
            for (int x = 0, k = 0; x < outWidth; x++, k += size) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                int p = row + start[x] * 3;
                for (int i = 0, n = taps[x]; i < n; i++, p += 3) {
                    int w = weights[k + i];
                    r += (src[p] & 0xff) * w;
                    g += (src[p + 1] & 0xff) * w;
                    b += (src[p + 2] & 0xff) * w;
                }
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
                o += 3;
            }
        }
        return out;
    }

    /**
     * The window's output rows from the source rows that start at {@code srcStart}, row i of the
     * source being input row {@code c.first + i}. Accumulates whole rows (the same sums as PIL's
     * per-pixel loops, in an order that streams through memory).
     */
    private static byte[] verticalPass(byte[] src, int srcStart, int srcStride, int rowBytes, Window c) {
        int outHeight = c.start.length;
        byte[] out = new byte[outHeight * rowBytes];
        int[] acc = new int[rowBytes];
        for (int y = 0, k = 0; y < outHeight; y++, k += c.size) {
            java.util.Arrays.fill(acc, HALF);
            int row = srcStart + (c.start[y] - c.first) * srcStride;
            for (int i = 0, n = c.taps[y]; i < n; i++, row += srcStride) {
                int w = c.weights[k + i];
                for (int x = 0; x < rowBytes; x++) {
                    acc[x] += (src[row + x] & 0xff) * w;
                }
            }
            int o = y * rowBytes;
            for (int x = 0; x < rowBytes; x++) {
                out[o + x] = clip8(acc[x]);
            }
        }
        return out;
    }

    private static byte clip8(int fixed) {
        int v = fixed >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /**
     * PIL's weights for the output positions {@code from .. from + count} of an {@code inSize ->
     * outSize} resampling: per position the first input index, the number of taps and the fixed-point
     * weights ({@code size} slots each); plus the range of input indices they read, [first, last).
     */
    private static final class Window {
        final int size;
        final int[] start;
        final int[] taps;
        final int[] weights;
        final int first;
        final int last;

        private Window(int size, int[] start, int[] taps, int[] weights) {
            this.size = size;
            this.start = start;
            this.taps = taps;
            this.weights = weights;
            int lo = Integer.MAX_VALUE;
            int hi = 0;
            for (int i = 0; i < start.length; i++) {
                lo = Math.min(lo, start[i]);
                hi = Math.max(hi, start[i] + taps[i]);
            }
            this.first = lo;
            this.last = hi;
        }

        /** Output position i reads input i alone: no resampling along this axis. */
        static Window identity(int from, int count) {
            int[] start = new int[count];
            int[] taps = new int[count];
            int[] weights = new int[count];
            for (int i = 0; i < count; i++) {
                start[i] = from + i;
                taps[i] = 1;
                weights[i] = 1 << PRECISION_BITS;
            }
            return new Window(1, start, taps, weights);
        }

        /** As Pillow's precompute_coeffs and normalize_coeffs_8bpc (libImaging/Resample.c). */
        static Window of(int inSize, int outSize, Filter filter, int from, int count) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[count];
            int[] taps = new int[count];
            int[] weights = new int[count * size];
            double[] w = new double[size];
            double ss = 1.0 / filterScale;
            for (int j = 0; j < count; j++) {
                int xx = from + j;
                double center = (xx + 0.5) * scale;
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
                    weights[j * size + x] = (int) (normalised < 0 ? -0.5 + scaled : 0.5 + scaled);
                }
                start[j] = min;
                taps[j] = max;
            }
            return new Window(size, start, taps, weights);
        }
    }
}
