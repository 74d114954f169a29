package org.pmf.dataprep.image;

import java.awt.image.Raster;

/**
 * CMYK JPEG samples to RGB as libjpeg + PIL do. libjpeg turns YCCK (Adobe transform 2) into CMYK
 * with its fixed-point YCbCr tables; PIL reads Adobe files as inverted CMYK ("CMYK;I") and then
 * converts with r = 255 - k' - c'(255 - k')/255 in integer arithmetic (Convert.c).
 */
final class CmykToRgb {

    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private CmykToRgb() {
    }

    private static int fix(double v) {
        return (int) (v * (1 << SCALE_BITS) + 0.5);
    }

    static RgbImage convert(Raster raster, int adobeTransform) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] px = raster.getPixels(raster.getMinX(), raster.getMinY(), w, h, (int[]) null);
        byte[] out = new byte[w * h * 3];
        int[] cmyk = new int[4];
        for (int i = 0, o = 0; o < out.length; i += 4) {
            if (adobeTransform == 2) {
                int y = px[i];
                int cb = px[i + 1];
                int cr = px[i + 2];
                cmyk[0] = 255 - clamp(y + CR_R[cr]);
                cmyk[1] = 255 - clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
                cmyk[2] = 255 - clamp(y + CB_B[cb]);
            } else {
                cmyk[0] = px[i];
                cmyk[1] = px[i + 1];
                cmyk[2] = px[i + 2];
            }
            cmyk[3] = px[i + 3];
            boolean inverted = adobeTransform >= 0;
            int k = inverted ? 255 - cmyk[3] : cmyk[3];
            int nk = 255 - k;
            for (int c = 0; c < 3; c++) {
                int v = inverted ? 255 - cmyk[c] : cmyk[c];
                out[o++] = (byte) clamp(nk - mulDiv255(v, nk));
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
