package org.pmf.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;
import org.pmf.data.PatchLayout;
import org.pmf.data.PixelRange;
import org.pmf.model.PmfNet;
import org.pmf.objective.Prediction;
import org.pmf.sample.Sampler;

/**
 * Scores a class-conditional pMF network on Fashion-MNIST at several guidance scales: for each
 * omega, one-step samples with labels cycling over the classes (the same noise at every omega, so
 * the scales are compared on equal draws), then class accuracy, FD-FMNIST and precision / recall
 * from the {@link SampleEvaluator}. The best scale is the one with the highest class accuracy
 * (ties: lower FD), the goal metric.
 */
public final class GuidanceSweep {

    /** Samples generated per network pass: bounds the activations a pass keeps (~0.2 GB for `small`). */
    private static final int CHUNK = 50;

    /**
     * @param samples  one-step samples per guidance scale (labels cycle 0..9)
     * @param omegas   guidance scales to try
     * @param tMin     start of the guidance interval given to the network
     * @param tMax     end of the guidance interval
     * @param seed     seed of the sampling noise
     */
    public record Options(int samples, List<Double> omegas, double tMin, double tMax, long seed) {

        public Options {
            omegas = List.copyOf(omegas);
            if (samples < 10) {
                throw new ConfigError("pmf.local.eval.samples", "= " + samples + " is out of range; allowed: >= 10");
            }
            if (omegas.isEmpty() || omegas.stream().anyMatch(w -> !(w >= 1))) {
                throw new ConfigError("pmf.local.eval.omegas", "= " + omegas + " is not allowed: one or more scales, each >= 1");
            }
            if (!(tMin >= 0 && tMin <= tMax && tMax <= 1)) {
                throw new ConfigError("pmf.local.eval.t-min", "= " + tMin + " with t-max = " + tMax + " is not allowed: need 0 <= t-min <= t-max <= 1");
            }
        }

        /** Reads a {@code pmf.local.eval} section. */
        public static Options fromConfig(ConfigSection s) {
            return new Options(s.getInt("samples", 10, 1_000_000), s.getDoubleList("omegas", 1, 100),
                s.getDouble("t-min", 0, 1), s.getDouble("t-max", 0, 1), s.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    /** The metrics at one guidance scale. */
    public record AtScale(double omega, SampleEvaluator.Metrics metrics) {
    }

    /**
     * @param scales every scale tried, in the order given
     * @param best   the scale with the highest class accuracy
     * @param images the samples at the best scale, uint8 [N, S, S, 3]
     * @param labels their intended classes
     */
    public record Result(List<AtScale> scales, AtScale best, INDArray images, int[] labels) {
    }

    private final Options options;
    private final SampleEvaluator evaluator;

    public GuidanceSweep(Options options, SampleEvaluator evaluator) {
        this.options = options;
        this.evaluator = evaluator;
    }

    /** Samples and scores {@code net} at every scale; {@code log} gets one line per scale. */
    public Result run(PmfNet net, Prediction prediction, double noiseScale, Consumer<String> log) {
        int n = options.samples();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % FashionMnist.CLASSES;
        }
        PatchLayout layout = PatchLayout.rgb(net.config().imageSize(), net.config().patchSize());
        List<AtScale> scales = new ArrayList<>();
        AtScale best = null;
        INDArray bestImages = null;
        for (double omega : options.omegas()) {
            Sampler sampler = new Sampler(omega, options.tMin(), options.tMax(), noiseScale, 1, prediction);
            INDArray images = layout.unpatchify(PixelRange.toUint8(generate(net, sampler, labels)));
            SampleEvaluator.Metrics m = evaluator.evaluate(images.permute(0, 3, 1, 2).dup('c'), labels);
            AtScale at = new AtScale(omega, m);
            log.accept(String.format("omega %-5s %s", omega, m));
            scales.add(at);
            if (best == null || better(at, best)) {
                best = at;
                bestImages = images;
            }
        }
        return new Result(scales, best, bestImages, labels);
    }

    private static boolean better(AtScale a, AtScale b) {
        double da = a.metrics().classAccuracy();
        double db = b.metrics().classAccuracy();
        return da > db || da == db && a.metrics().fd() < b.metrics().fd();
    }

    /** One-step samples in chunks; chunk c draws its noise from (seed, c) whatever the scale. */
    private INDArray generate(PmfNet net, Sampler sampler, int[] labels) {
        List<INDArray> parts = new ArrayList<>();
        for (int from = 0, c = 0; from < labels.length; from += CHUNK, c++) {
            int[] chunk = java.util.Arrays.copyOfRange(labels, from, Math.min(labels.length, from + CHUNK));
            parts.add(sampler.generate(net, chunk, new SplittableRandom(options.seed() * 31 + c)));
        }
        return Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
