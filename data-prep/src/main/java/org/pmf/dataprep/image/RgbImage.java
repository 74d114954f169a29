package org.pmf.dataprep.image;

/** An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B (as numpy's H x W x 3). */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException(width + "x" + height + " image needs " + width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    /** The {@code size x size} window whose top-left corner is (x, y). */
    public RgbImage crop(int x, int y, int size) {
        return crop(x, y, size, size);
    }

    /** The {@code w x h} window whose top-left corner is (x, y). */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x == 0 && y == 0 && w == width && h == height) {
            return this;
        }
        byte[] out = new byte[w * h * 3];
        for (int row = 0; row < h; row++) {
            System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }
}
