package org.pmf.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.data.PatchLayout;
import org.pmf.data.PixelRange;
import org.pmf.model.PmfNet;

/**
 * Class-conditional samples laid out one class per row, as the generate command and the
 * per-checkpoint previews show them.
 *
 * @param labels   the class of every sample, row-major
 * @param pixels   the samples as uint8 patches [B, L, p*p*3]
 * @param layout   the patch layout of the network
 * @param perClass samples per row
 */
public record ClassGrid(int[] labels, INDArray pixels, PatchLayout layout, int perClass) {

    /** {@code perClass} samples of each of {@code classes}, from noise seeded by {@code seed}. */
    public static ClassGrid generate(PmfNet net, Sampler sampler, int[] classes, int perClass, long seed) {
        int[] labels = new int[classes.length * perClass];
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < perClass; i++) {
                labels[c * perClass + i] = classes[c];
            }
        }
        INDArray images = sampler.generate(net, labels, new SplittableRandom(seed));
        return new ClassGrid(labels, PixelRange.toUint8(images),
            PatchLayout.rgb(net.config().imageSize(), net.config().patchSize()), perClass);
    }

    /** {@code count} classes spread evenly over {@code 0 .. numClasses - 1} (all of them if fewer). */
    public static int[] spreadClasses(int numClasses, int count) {
        int n = Math.min(numClasses, count);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) ((long) i * numClasses / n);
        }
        return out;
    }

    /** The labelled grid, samples scaled by {@code scale}. */
    public ImageGrid grid(int scale) {
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < labels.length / perClass; r++) {
            rowLabels.add(String.valueOf(labels[r * perClass]));
        }
        return ImageGrid.ofPatches(pixels, layout).columns(perClass).rowLabels(rowLabels).scale(scale);
    }
}
