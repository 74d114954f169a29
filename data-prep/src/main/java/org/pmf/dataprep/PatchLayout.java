package org.pmf.dataprep;

import org.pmf.dataprep.image.RgbImage;

/**
 * Core's {@link org.pmf.data.PatchLayout} (patches row-major over the grid, each patch flattened as
 * row in patch, column in patch, channel), applied to one image's bytes on the heap: executors cut
 * every image here without a native array per image. PatchLayoutAgreementTest pins the two together.
 */
public final class PatchLayout {

    private PatchLayout() {
    }

    /** [L, p*p*3] bytes of a square image, L = (size / p)^2. */
    public static byte[] patchify(RgbImage image, int patchSize) {
        int size = image.width();
        if (image.height() != size || size % patchSize != 0) {
            throw new IllegalArgumentException(image.width() + "x" + image.height() + " image is not square or not a multiple of patch " + patchSize);
        }
        int grid = size / patchSize;
        int rowBytes = patchSize * 3;
        byte[] src = image.rgb();
        byte[] out = new byte[src.length];
        int o = 0;
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                for (int r = 0; r < patchSize; r++) {
                    System.arraycopy(src, ((gy * patchSize + r) * size + gx * patchSize) * 3, out, o, rowBytes);
                    o += rowBytes;
                }
            }
        }
        return out;
    }
}
