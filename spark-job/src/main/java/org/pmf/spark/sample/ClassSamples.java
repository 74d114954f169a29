package org.pmf.spark.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.data.PatchLayout;
import org.pmf.data.PixelRange;
import org.pmf.sample.ImageGrid;
import org.pmf.sample.Sampler;

/**
 * Samples of chosen classes, {@code perClass} of each, as uint8 pixels in the patch layout: what
 * the generate command writes and the notebooks show, one grid row per class.
 *
 * @param pixels   uint8 values [B, L, p*p*3], B = classes x perClass, class-major
 * @param labels   the class of each sample
 * @param classes  the classes in row order
 * @param perClass samples per class (grid columns)
 * @param layout   how to turn patches back into images
 */
public record ClassSamples(INDArray pixels, int[] labels, int[] classes, int perClass, PatchLayout layout) {

    /** Generates the samples; the noise comes from {@code seed} only, so a seed fixes the images. */
    public static ClassSamples generate(CheckpointNetwork model, Sampler sampler, int[] classes, int perClass, long seed) {
        int numClasses = model.config().numClasses();
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class " + c + " is out of range: the network has classes 0.." + (numClasses - 1));
            }
        }
        if (perClass < 1) {
            throw new IllegalArgumentException("samples per class must be at least 1, not " + perClass);
        }
        int[] labels = new int[classes.length * perClass];
        for (int r = 0; r < classes.length; r++) {
            for (int i = 0; i < perClass; i++) {
                labels[r * perClass + i] = classes[r];
            }
        }
        INDArray images = sampler.generate(model.net(), labels, new SplittableRandom(seed));
        PatchLayout layout = PatchLayout.rgb(model.config().imageSize(), model.config().patchSize());
        return new ClassSamples(PixelRange.toUint8(images), labels, classes.clone(), perClass, layout);
    }

    /** Every class of the network, in order. */
    public static int[] allClasses(CheckpointNetwork model) {
        return java.util.stream.IntStream.range(0, model.config().numClasses()).toArray();
    }

    /** One row per class, labelled with the class index, pixels doubled for legibility. */
    public ImageGrid grid() {
        List<String> rowLabels = new ArrayList<>();
        for (int c : classes) {
            rowLabels.add(String.valueOf(c));
        }
        return ImageGrid.ofPatches(pixels, layout).columns(perClass).rowLabels(rowLabels).scale(2);
    }

    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            grid().writePng(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the sample grid as PNG", e);
        }
        return out.toByteArray();
    }

    /** The samples as [B, 3, S, S] uint8 values, the evaluator's layout. */
    public INDArray nchw() {
        return layout.unpatchify(pixels).permute(0, 3, 1, 2).dup('c');
    }
}
