package org.pmf.toy;

import java.util.List;
import org.pmf.config.ConfigSection;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.TimeSampler;

/**
 * Settings of the 2-D toy (the {@code pmf.toy} section; the loss weighting comes from
 * {@code pmf.objective.loss}). The paper gives the data, D, the network size and the loss; the
 * optimizer, steps, batch and time sampler of its toy are not given, so these are this project's.
 *
 * @param dims         lift dimensions D, one figure row each
 * @param steps        optimizer steps per network
 * @param batch        examples per step
 * @param hidden       MLP width
 * @param depth        MLP linear layers
 * @param learningRate Adam learning rate, cosine-decayed to 10% over the steps
 * @param seed         seed of initialisation, data, times, lifts and evaluation
 * @param evalSamples  one-step samples (and fresh data points) per distance
 * @param outputDir    folder of the figure toy.png
 * @param time         the (r, t) sampler of the toy
 * @param loss         the adaptive loss weighting
 */
public record ToyOptions(List<Integer> dims, int steps, int batch, int hidden, int depth, double learningRate,
                         long seed, int evalSamples, String outputDir, TimeSampler.Options time,
                         AdaptiveLoss.Options loss) {

    public ToyOptions {
        if (dims == null || dims.isEmpty()) {
            throw new IllegalArgumentException("pmf.toy.dims must list at least one dimension");
        }
        for (int d : dims) {
            if (d < 2 || d > 4096) {
                throw new IllegalArgumentException("pmf.toy.dims contains " + d + "; allowed: [2, 4096]");
            }
        }
        dims = List.copyOf(dims);
        if (steps < 1 || batch < 1 || hidden < 1 || depth < 2 || evalSamples < 2) {
            throw new IllegalArgumentException("pmf.toy needs steps, batch, hidden >= 1, depth >= 2 and eval-samples >= 2");
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("pmf.toy.learning-rate = " + learningRate + "; allowed: (0, 1)");
        }
    }

    /** Reads {@code pmf.toy}, with the loss weighting from {@code pmf.objective.loss}. */
    public static ToyOptions fromConfig(ConfigSection toy, ConfigSection objective) {
        double lr = toy.getDouble("learning-rate", 0, 1);
        if (lr == 0 || lr == 1) {
            throw toy.invalid("learning-rate", lr, "must be in (0, 1)");
        }
        return new ToyOptions(toy.getIntList("dims", 2, 4096), toy.getInt("steps", 1, 10_000_000),
            toy.getInt("batch", 1, 1 << 20), toy.getInt("hidden", 1, 1 << 16), toy.getInt("depth", 2, 100), lr,
            toy.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE), toy.getInt("eval-samples", 2, 1 << 20),
            toy.getString("output-dir"), TimeSampler.Options.fromConfig(toy.section("time")),
            AdaptiveLoss.Options.fromConfig(objective.section("loss")));
    }

    public ToyOptions withDims(List<Integer> d) {
        return new ToyOptions(d, steps, batch, hidden, depth, learningRate, seed, evalSamples, outputDir, time, loss);
    }

    public ToyOptions withSteps(int s) {
        return new ToyOptions(dims, s, batch, hidden, depth, learningRate, seed, evalSamples, outputDir, time, loss);
    }

    public ToyOptions withBatch(int b) {
        return new ToyOptions(dims, steps, b, hidden, depth, learningRate, seed, evalSamples, outputDir, time, loss);
    }

    public ToyOptions withSeed(long s) {
        return new ToyOptions(dims, steps, batch, hidden, depth, learningRate, s, evalSamples, outputDir, time, loss);
    }

    public ToyOptions withOutputDir(String o) {
        return new ToyOptions(dims, steps, batch, hidden, depth, learningRate, seed, evalSamples, o, time, loss);
    }
}
