package org.pmf.dataprep.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Computing only a crop window gives the same values as resizing everything and then cropping. */
class PilResamplerTest {

    private static RgbImage noise(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    private static void windowEqualsCropOfFull(RgbImage in, int w, int h, PilResampler.Filter f, int x, int y, int cw, int ch) {
        RgbImage full = PilResampler.resize(in, w, h, f);
        RgbImage window = PilResampler.resizeAndCrop(in, w, h, f, x, y, cw, ch);
        assertArrayEquals(full.crop(x, y, cw, ch).rgb(), window.rgb(),
                in.width() + "x" + in.height() + " -> " + w + "x" + h + " " + f + " window " + cw + "x" + ch + " at " + x + "," + y);
    }

    @Test
    void windowOfBicubicAndBoxResizeEqualsCropOfTheFullResize() {
        int[][] cases = {
            // in w, in h, out w, out h
            {500, 375, 341, 256}, {375, 500, 256, 341}, {97, 61, 53, 32}, {40, 30, 43, 32}, // both axes, down and up
            {64, 50, 64, 32}, {50, 64, 32, 64}, // one axis only
            {33, 33, 33, 33}, // neither
        };
        long seed = 1;
        for (int[] c : cases) {
            RgbImage in = noise(c[0], c[1], seed++);
            for (PilResampler.Filter f : PilResampler.Filter.values()) {
                int s = Math.min(c[2], c[3]);
                windowEqualsCropOfFull(in, c[2], c[3], f, (c[2] - s) / 2, (c[3] - s) / 2, s, s);
                windowEqualsCropOfFull(in, c[2], c[3], f, 0, 0, c[2], c[3]);
                windowEqualsCropOfFull(in, c[2], c[3], f, c[2] - 1, c[3] - 1, 1, 1);
                windowEqualsCropOfFull(in, c[2], c[3], f, c[2] / 3, 1, c[2] / 2, c[3] - 2);
            }
        }
    }
}
