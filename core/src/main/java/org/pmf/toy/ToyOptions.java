package org.pmf.toy;

import java.util.List;
import org.pmf.config.ConfigSection;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.TimeSampler;

/**
 * Settings of the 2-D toy (the {@code pmf.toy} section). The paper gives the data, D, the network
 * size and the loss; the optimizer, steps, batch, time sampler, conditioning and loss weighting of
 * its toy are not given, so these are this project's (bench/toy.md says why each is what it is).
 *
 * @param dims        lift dimensions D, one figure row each
 * @param steps       optimizer steps per network
 * @param seed        seed of initialisation, data, times, lifts and evaluation
 * @param evalSamples one-step samples (and fresh data points) per distance
 * @param outputDir   folder of the figure toy.png
 * @param train       how each network is built and trained
 * @param parallelCells table cells trained at once, each on one core (ToyCells)
 */
public record ToyOptions(List<Integer> dims, int steps, long seed, int evalSamples, String outputDir, ToyTrainer.Settings train,
                         int parallelCells) {

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
        if (steps < 1 || evalSamples < 2 || parallelCells < 1) {
            throw new IllegalArgumentException("pmf.toy needs steps >= 1, eval-samples >= 2 and parallel-cells >= 1");
        }
    }

    /** How the network sees (t, h). */
    public enum TimeInputs {
        /** (t, h) as they are: the toy before bench/toy.md's investigation. */
        RAW,
        /** (c t, c h) with c = sqrt(D / 2) (ToyMlp). */
        BALANCED
    }

    /** How the output layer starts. */
    public enum OutputInit {
        /** At zero, as the official model's final layer. */
        ZERO,
        /** Xavier-uniform: the toy before bench/toy.md's investigation. */
        XAVIER
    }

    /**
     * Reads {@code pmf.toy}. The toy's loss weighting is its own ({@code pmf.toy.loss}), so
     * {@code objective} is not read; the two-section form stays for existing callers.
     */
    public static ToyOptions fromConfig(ConfigSection toy, ConfigSection objective) {
        return fromConfig(toy);
    }

    /** Reads {@code pmf.toy}. */
    public static ToyOptions fromConfig(ConfigSection toy) {
        double lr = toy.getDouble("learning-rate", 0, 1);
        if (lr == 0 || lr == 1) {
            throw toy.invalid("learning-rate", lr, "must be in (0, 1)");
        }
        double ema = toy.getDouble("ema-decay", 0, 1);
        if (ema == 1) {
            throw toy.invalid("ema-decay", ema, "must be in [0, 1)");
        }
        ToyTrainer.Settings train = new ToyTrainer.Settings(toy.getInt("hidden", 1, 1 << 16), toy.getInt("depth", 2, 100),
            toy.getEnum("time-inputs", TimeInputs.class) == TimeInputs.BALANCED, toy.getEnum("output-init", OutputInit.class) == OutputInit.ZERO,
            toy.getEnum("tangent", ToyTrainer.Tangent.class), TimeSampler.Options.fromConfig(toy.section("time")),
            AdaptiveLoss.Options.fromConfig(toy.section("loss")), lr, ema, toy.getInt("batch", 1, 1 << 20),
            toy.getEnum("hidden-init", HiddenInit.class));
        return new ToyOptions(toy.getIntList("dims", 2, 4096), toy.getInt("steps", 1, 10_000_000),
            toy.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE), toy.getInt("eval-samples", 2, 1 << 20), toy.getString("output-dir"), train,
            toy.getInt("parallel-cells", 1, 1024));
    }

    public ToyOptions withDims(List<Integer> d) {
        return new ToyOptions(d, steps, seed, evalSamples, outputDir, train, parallelCells);
    }

    public ToyOptions withSteps(int s) {
        return new ToyOptions(dims, s, seed, evalSamples, outputDir, train, parallelCells);
    }

    public ToyOptions withBatch(int b) {
        return withTrain(train.withBatch(b));
    }

    public ToyOptions withSeed(long s) {
        return new ToyOptions(dims, steps, s, evalSamples, outputDir, train, parallelCells);
    }

    public ToyOptions withEvalSamples(int n) {
        return new ToyOptions(dims, steps, seed, n, outputDir, train, parallelCells);
    }

    public ToyOptions withOutputDir(String o) {
        return new ToyOptions(dims, steps, seed, evalSamples, o, train, parallelCells);
    }

    public ToyOptions withParallelCells(int n) {
        return new ToyOptions(dims, steps, seed, evalSamples, outputDir, train, n);
    }

    public ToyOptions withTrain(ToyTrainer.Settings t) {
        return new ToyOptions(dims, steps, seed, evalSamples, outputDir, t, parallelCells);
    }
}
