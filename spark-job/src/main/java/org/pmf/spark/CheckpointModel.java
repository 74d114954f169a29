package org.pmf.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.config.ConfigSection;
import org.pmf.config.RunConfig;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointStore;
import org.pmf.io.ParamTensors;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;

/**
 * The generator of one checkpoint, as the generate and evaluate commands use it: the network shape
 * and noise scale it was trained with (from the checkpoint's own config, not today's), and either
 * its raw weights or one of its EMAs. Serializable, so a task can rebuild the network on an executor.
 *
 * @param runDir     the run folder
 * @param step       the checkpoint's step
 * @param emaLabel   the EMA's label (half-life in kimg), or "raw"
 * @param net        the network configuration the checkpoint was trained with
 * @param objective  the objective the checkpoint was trained with (noise scale, x- or u-prediction)
 * @param weights    tensors by name
 */
public record CheckpointModel(String runDir, long step, String emaLabel, PmfNetConfig net, ObjectiveOptions objective,
                              Map<String, INDArray> weights) implements Serializable {

    /**
     * Loads a committed checkpoint of the run that {@code pmf.run} names.
     *
     * @param step the step, or empty for the newest committed checkpoint
     * @param ema  the EMA half-life label (e.g. "500"), or empty for the raw weights
     */
    public static CheckpointModel load(Config config, Optional<Long> step, Optional<String> ema, Configuration hadoop)
            throws IOException {
        RunConfig run = RunConfig.fromConfig(ConfigSection.of(config, "pmf").section("run"));
        String runDir = new Path(new Path(run.output()), run.name()).toString();
        CheckpointStore store = CheckpointStore.open(runDir, hadoop);
        Checkpoint checkpoint = step.isPresent()
            ? store.load(step.get())
            : store.loadLatest().orElseThrow(() -> new IllegalStateException(runDir + " has no committed checkpoint"));
        Map<String, INDArray> weights = checkpoint.weights();
        if (ema.isPresent()) {
            weights = checkpoint.emas().get(ema.get());
            if (weights == null) {
                throw new IllegalArgumentException("checkpoint step " + checkpoint.step() + " of " + runDir + " has no EMA '"
                    + ema.get() + "'; it has " + checkpoint.emas().keySet());
            }
        }
        return of(runDir, checkpoint.step(), ema.orElse("raw"), checkpoint.config(), weights);
    }

    /**
     * One set of a checkpoint's weights with the network shape and objective it was trained with,
     * read from the checkpoint's own config text (not today's settings).
     */
    public static CheckpointModel of(String runDir, long step, String emaLabel, String configText, Map<String, INDArray> weights) {
        ConfigSection trained = ConfigSection.of(ConfigFactory.parseString(configText)
            .withFallback(ConfigFactory.defaultReference()).resolve(), "pmf");
        return new CheckpointModel(runDir, step, emaLabel, PmfNetConfig.fromConfig(trained.section("model")),
            ObjectiveOptions.fromConfig(trained.section("objective")), new LinkedHashMap<>(weights));
    }

    /** A sampler for this checkpoint: guidance {@code omega} on [tMin, tMax], {@code steps} network passes. */
    public org.pmf.sample.Sampler sampler(double omega, double tMin, double tMax, int steps) {
        return new org.pmf.sample.Sampler(omega, tMin, tMax, objective.noiseScale(), steps, objective.prediction());
    }

    /** A float32 inference network holding these weights (with the v-head, whose tensors checkpoints also hold). */
    public PmfNet network() {
        PmfNet net = PmfNet.create(this.net, DataType.FLOAT, true, 0);
        for (Map.Entry<String, INDArray> e : ParamTensors.views(net.params(), net.params().values()).entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null) {
                throw new IllegalArgumentException("checkpoint step " + step + " of " + runDir + " (weights " + emaLabel + ") lacks tensor " + e.getKey());
            }
            e.getValue().assign(w);
        }
        return net;
    }
}
