package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The tests' adapter between the official port's NCHW images and the project's patch layout. */
final class OfficialLayout {

    private OfficialLayout() {
    }

    /** [B, 3, S, S] NCHW to [B, (S/p)^2, p*p*3] with patches row-major and (i, j, c) inside a patch. */
    static INDArray imagesToPatches(INDArray images, int p) {
        long b = images.size(0);
        long g = images.size(2) / p;
        // (n, c, gh, i, gw, j) -> (n, gh, gw, i, j, c)
        return images.reshape('c', b, 3, g, p, g, p).permute(0, 2, 4, 3, 5, 1).dup('c').reshape('c', b, g * g, (long) p * p * 3);
    }

    /** The inverse of {@link #imagesToPatches}. */
    static INDArray patchesToImages(INDArray patches, int p, int size) {
        long b = patches.size(0);
        long g = size / p;
        // (n, gh, gw, i, j, c) -> (n, c, gh, i, gw, j)
        return patches.reshape('c', b, g, g, p, p, 3).permute(0, 5, 1, 3, 2, 4).dup('c').reshape('c', b, 3, size, size);
    }

    static int[] labels(INDArray y) {
        long[] v = y.toLongVector();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }
}
