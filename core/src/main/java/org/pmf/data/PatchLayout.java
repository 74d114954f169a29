package org.pmf.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The project-wide patch layout, the single definition shared by data preparation, shards, the
 * network's patch embedding and output, and image writing (architecture.md decision 4).
 *
 * <p>An image of {@code S x S} pixels with {@code C} channels, stored HWC as {@code [N, S, S, C]},
 * becomes {@code [N, L, P]} with {@code L = (S/p)^2} patches and {@code P = p*p*C} values per
 * patch. Patch {@code k} is the one at grid row {@code k / (S/p)} and grid column
 * {@code k % (S/p)} (raster order, row-major over the grid). Inside a patch the values run over
 * (row-in-patch, column-in-patch, channel), channel fastest:
 * <pre>
 *   patches[n, gh*G + gw, (i*p + j)*C + c] = image[n, gh*p + i, gw*p + j, c],   G = S/p
 * </pre>
 * This equals the official code's output patch vectors ("channel-minor"); its input patch
 * embedding reads channel-major patches, which the network maps itself.
 *
 * <p>Works on any data type (uint8 shards, float model tensors); results are fresh C-ordered arrays.
 */
public record PatchLayout(int imageSize, int patchSize, int channels) {

    public PatchLayout {
        if (imageSize <= 0 || patchSize <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image size, patch size and channels must be positive, got "
                    + imageSize + ", " + patchSize + ", " + channels);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of patch size "
                    + patchSize);
        }
    }

    /** RGB images of the given size cut into square patches. */
    public static PatchLayout rgb(int imageSize, int patchSize) {
        return new PatchLayout(imageSize, patchSize, 3);
    }

    /** Patches per side, {@code S/p}. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** {@code L = (S/p)^2}. */
    public int numPatches() {
        return gridSize() * gridSize();
    }

    /** {@code P = p*p*C}. */
    public int patchDim() {
        return patchSize * patchSize * channels;
    }

    /** {@code [N, S, S, C]} images to {@code [N, L, P]} patches. */
    public INDArray patchify(INDArray images) {
        long n = requireShape(images, "images", imageSize, imageSize, channels);
        int g = gridSize();
        int p = patchSize;
        return images.dup('c')
                .reshape('c', n, g, p, g, p, channels)
                .permute(0, 1, 3, 2, 4, 5)
                .dup('c')
                .reshape('c', n, numPatches(), patchDim());
    }

    /** {@code [N, L, P]} patches back to {@code [N, S, S, C]} images. */
    public INDArray unpatchify(INDArray patches) {
        long n = requireShape(patches, "patches", numPatches(), patchDim());
        int g = gridSize();
        int p = patchSize;
        return patches.dup('c')
                .reshape('c', n, g, g, p, p, channels)
                .permute(0, 1, 3, 2, 4, 5)
                .dup('c')
                .reshape('c', n, imageSize, imageSize, channels);
    }

    private long requireShape(INDArray a, String what, long... trailing) {
        long[] s = a.shape();
        boolean ok = s.length == trailing.length + 1;
        for (int i = 0; ok && i < trailing.length; i++) {
            ok = s[i + 1] == trailing[i];
        }
        if (!ok) {
            StringBuilder want = new StringBuilder("[N");
            for (long t : trailing) {
                want.append(", ").append(t);
            }
            throw new IllegalArgumentException(what + " must have shape " + want + "] for " + this + ", got "
                    + java.util.Arrays.toString(s));
        }
        return s[0];
    }
}
