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
        byte[] out = new byte[size * size * 3];
        for (int row = 0; row < size; row++) {
            System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * size * 3, size * 3);
        }
        return new RgbImage(size, size, out);
    }
}
