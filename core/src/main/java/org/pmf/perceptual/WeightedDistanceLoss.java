package org.pmf.perceptual;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.data.PatchLayout;

/**
 * {@link PerceptualLoss} as the official code computes it: for examples with t < maxT, one paired
 * random-resized crop of prediction and target, antialiased bicubic resize to {@code resolution},
 * then for each term lambda * d / sg(d + c) (adaptive weighting, p = 1). The gradient goes back
 * through the networks (SameDiff), the per-example weight lambda / (d + c), the resize and the crop
 * (transposed resampling matrices) into the patch layout.
 */
public final class WeightedDistanceLoss implements PerceptualLoss {

    /** One term: a distance network and its weight lambda. */
    public record Term(PerceptualDistance distance, double weight) {
    }

    private final List<Term> terms;
    private final PatchLayout layout;
    private final double maxT;
    private final int resolution;
    private final RandomResizedCrop crop;
    private final double adaptiveEps;
    private final DataType type;

    public WeightedDistanceLoss(List<Term> terms, PatchLayout layout, double maxT, int resolution, RandomResizedCrop crop,
                                double adaptiveEps, DataType type) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a perceptual loss needs at least one term");
        }
        this.terms = List.copyOf(terms);
        if (layout.channels() != 3) {
            throw new IllegalArgumentException("perceptual networks take RGB images, got " + layout.channels() + " channels");
        }
        this.layout = layout;
        this.maxT = maxT;
        this.resolution = resolution;
        this.crop = crop;
        this.adaptiveEps = adaptiveEps;
        this.type = type;
    }

    @Override
    public Result evaluate(INDArray predPatches, INDArray targetPatches, double[] t, RandomGenerator rng) {
        return run(predPatches, targetPatches, t, rng, true);
    }

    /** As {@link #evaluate} without the backward pass: the result's gradient is null. */
    public Result forward(INDArray predPatches, INDArray targetPatches, double[] t, RandomGenerator rng) {
        return run(predPatches, targetPatches, t, rng, false);
    }

    private Result run(INDArray predPatches, INDArray targetPatches, double[] t, RandomGenerator rng, boolean backward) {
        INDArray pred = toNchw(predPatches);
        INDArray target = toNchw(targetPatches);
        int b = (int) pred.size(0);
        int side = (int) pred.size(2);
        if (t.length != b) {
            throw new IllegalArgumentException("perceptual loss: " + t.length + " times for a batch of " + b);
        }
        RandomResizedCrop.Window[] windows = new RandomResizedCrop.Window[b];
        for (int i = 0; i < b; i++) {
            windows[i] = crop.sample(side, side, rng);
        }
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            if (t[i] < maxT) {
                active.add(i);
            }
        }
        INDArray loss = Nd4j.zeros(type, b);
        INDArray gradImages = Nd4j.zeros(type, b, 3, side, side);
        Map<String, INDArray> distances = new LinkedHashMap<>();
        for (Term term : terms) {
            distances.put(term.distance().name(), Nd4j.zeros(type, b));
        }
        if (!active.isEmpty()) {
            int m = active.size();
            INDArray[] rows = new INDArray[m];
            INDArray[] cols = new INDArray[m];
            INDArray a = Nd4j.create(type, m, 3, resolution, resolution);
            INDArray bImg = Nd4j.create(type, m, 3, resolution, resolution);
            for (int k = 0; k < m; k++) {
                int i = active.get(k);
                RandomResizedCrop.Window w = windows[i];
                rows[k] = Resampler.cropAxis(side, w.top(), w.height(), resolution, Resampler.Kernel.BICUBIC_ANTIALIAS, type);
                cols[k] = Resampler.cropAxis(side, w.left(), w.width(), resolution, Resampler.Kernel.BICUBIC_ANTIALIAS, type);
                a.get(NDArrayIndex.point(k)).assign(Resampler.apply(example(pred, i), rows[k], cols[k]).get(NDArrayIndex.point(0)));
                bImg.get(NDArrayIndex.point(k)).assign(Resampler.apply(example(target, i), rows[k], cols[k]).get(NDArrayIndex.point(0)));
            }
            INDArray gradResized = Nd4j.zeros(type, m, 3, resolution, resolution);
            for (Term term : terms) {
                PerceptualDistance.DistanceGradient dg = backward ? term.distance().distanceAndGradient(a, bImg)
                    : new PerceptualDistance.DistanceGradient(term.distance().distance(a, bImg), null);
                INDArray raw = distances.get(term.distance().name());
                for (int k = 0; k < m; k++) {
                    int i = active.get(k);
                    double d = dg.distance().getDouble(k);
                    // adaptive weighting: value lambda d / sg(d + c), gradient lambda / (d + c) * grad d
                    loss.putScalar(i, loss.getDouble(i) + term.weight() * d / (d + adaptiveEps));
                    raw.putScalar(i, d);
                    if (backward) {
                        gradResized.get(NDArrayIndex.point(k)).addi(dg.gradient().get(NDArrayIndex.point(k)).mul(term.weight() / (d + adaptiveEps)));
                    }
                }
            }
            for (int k = 0; k < m && backward; k++) {
                INDArray g = Resampler.apply(gradResized.get(NDArrayIndex.point(k)).reshape(1, 3, resolution, resolution),
                    rows[k].transpose(), cols[k].transpose());
                gradImages.get(NDArrayIndex.point(active.get(k))).assign(g.get(NDArrayIndex.point(0)));
            }
        }
        INDArray gradient = backward
            ? layout.patchify(gradImages.permute(0, 2, 3, 1).dup('c')).castTo(predPatches.dataType()) : null;
        return new Result(loss, gradient, distances);
    }

    /** Patches [B, L, p*p*3] to NCHW images [B, 3, S, S] of the networks' data type. */
    private INDArray toNchw(INDArray patches) {
        return layout.unpatchify(patches).permute(0, 3, 1, 2).castTo(type).dup('c');
    }

    private static INDArray example(INDArray images, int i) {
        return images.get(NDArrayIndex.interval(i, i + 1)).dup();
    }
}
