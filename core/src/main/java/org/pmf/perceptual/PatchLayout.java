package org.pmf.perceptual;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Converts between the project's patch layout and NCHW images. Patches [B, L, p*p*3]: L = (S/p)^2
 * patches in raster order, each patch vector ordered (row, column, channel) with channel fastest
 * (architecture.md decision 4).
 */
public final class PatchLayout {

    private PatchLayout() {
    }

    /** Patches [B, L, p*p*3] to images [B, 3, S, S]. */
    public static INDArray toImages(INDArray patches, int patch) {
        long b = patches.size(0);
        int n = sideInPatches(patches, patch);
        return patches.dup('c').reshape(b, n, n, patch, patch, 3).permute(0, 5, 1, 3, 2, 4).dup('c')
            .reshape(b, 3, (long) n * patch, (long) n * patch);
    }

    /** Images [B, 3, S, S] to patches [B, (S/p)^2, p*p*3]. */
    public static INDArray toPatches(INDArray images, int patch) {
        long b = images.size(0);
        long s = images.size(2);
        if (images.rank() != 4 || images.size(1) != 3 || images.size(3) != s || s % patch != 0) {
            throw new IllegalArgumentException("images must be [B, 3, S, S] with S a multiple of the patch size " + patch
                + ", got " + java.util.Arrays.toString(images.shape()));
        }
        long n = s / patch;
        return images.dup('c').reshape(b, 3, n, patch, n, patch).permute(0, 2, 4, 3, 5, 1).dup('c')
            .reshape(b, n * n, (long) patch * patch * 3);
    }

    private static int sideInPatches(INDArray patches, int patch) {
        long l = patches.size(1);
        int n = (int) Math.round(Math.sqrt(l));
        if (patches.rank() != 3 || (long) n * n != l || patches.size(2) != 3L * patch * patch) {
            throw new IllegalArgumentException("patches must be [B, L, " + (3 * patch * patch) + "] with L a square, got "
                + java.util.Arrays.toString(patches.shape()));
        }
        return n;
    }
}
