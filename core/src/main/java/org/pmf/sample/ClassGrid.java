package org.pmf.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

    /** {@code perClass} samples of each of {@code classes}, from noise seeded by {@code seed} only. */
    public static ClassGrid generate(PmfNet net, Sampler sampler, int[] classes, int perClass, long seed) {
        int numClasses = net.config().numClasses();
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class " + c + " is out of range: the network has classes 0.." + (numClasses - 1));
            }
        }
        if (perClass < 1) {
            throw new IllegalArgumentException("samples per class must be at least 1, not " + perClass);
        }
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

    /** The labelled grid, pixels doubled for legibility. */
    public ImageGrid grid() {
        return grid(2);
    }

    /** {@link #grid()} as PNG bytes (what notebooks display). */
    public byte[] png() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            grid().writePng(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot encode the sample grid as PNG", e);
        }
        return out.toByteArray();
    }

    /** The samples as [B, 3, S, S] uint8 values, the evaluator's layout. */
    public INDArray nchw() {
        return layout.unpatchify(pixels).permute(0, 3, 1, 2).dup('c');
    }

    /** The labelled grid, samples scaled by {@code scale}. */
    public ImageGrid grid(int scale) {
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < labels.length / perClass; r++) {
            rowLabels.add(String.valueOf(labels[r * perClass]));
        }
        return ImageGrid.ofPatches(pixels, layout).columns(perClass).rowLabels(rowLabels).scale(scale);
    }

    /**
     * The first {@code perClass} images of each class in {@code names} order.
     *
     * @param images uint8 [N, S, S, 3]
     * @param labels class of each image; every class needs at least {@code perClass} images
     */
    public static ImageGrid firstOfEachClass(INDArray images, int[] labels, List<String> names, int perClass) {
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            int found = 0;
            for (int i = 0; i < labels.length && found < perClass; i++) {
                if (labels[i] == c) {
                    chosen.add(i);
                    found++;
                }
            }
            if (found < perClass) {
                throw new IllegalArgumentException("class " + c + " (" + names.get(c) + ") has " + found + " images, the grid needs " + perClass);
            }
        }
        long[] shape = images.shape();
        INDArray flat = images.reshape('c', shape[0], shape[1] * shape[2] * shape[3]);
        INDArray rows = Nd4j.pullRows(flat, 1, chosen.stream().mapToInt(Integer::intValue).toArray());
        return ImageGrid.ofImages(rows.reshape('c', chosen.size(), shape[1], shape[2], shape[3]))
            .columns(perClass).scale(2).rowLabels(names);
    }
}
