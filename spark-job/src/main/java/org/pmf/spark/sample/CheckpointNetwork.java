package org.pmf.spark.sample;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.config.ConfigSection;
import org.pmf.io.ParamTensors;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.sample.Sampler;

/**
 * The network of a checkpoint, built with the shape, noise scale and prediction kind it was trained
 * with (read from the checkpoint's own config, not today's settings) and holding one set of its
 * weights: the raw parameters or one EMA.
 *
 * @param net       the network, weights loaded
 * @param objective the objective the run trained with (noise scale, x- or u-prediction)
 */
public record CheckpointNetwork(PmfNet net, ObjectiveOptions objective) {

    /**
     * @param configText the checkpoint's config.conf
     * @param weights    parameters by name (weights.safetensors or an ema-*.safetensors)
     * @param what       names the weights in errors, e.g. "step 1000 EMA 500"
     */
    public static CheckpointNetwork of(String configText, Map<String, INDArray> weights, String what) {
        ConfigSection trained = ConfigSection.of(ConfigFactory.parseString(configText)
            .withFallback(ConfigFactory.defaultReference()).resolve(), "pmf");
        PmfNetConfig netConfig = PmfNetConfig.fromConfig(trained.section("model"));
        ObjectiveOptions objective = ObjectiveOptions.fromConfig(trained.section("objective"));
        PmfNet net = PmfNet.create(netConfig, DataType.FLOAT, true, 0);
        Map<String, INDArray> targets = ParamTensors.views(net.params(), net.params().values());
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null) {
                throw new IllegalArgumentException(what + " lacks tensor " + e.getKey());
            }
            e.getValue().assign(w);
        }
        return new CheckpointNetwork(net, objective);
    }

    public PmfNetConfig config() {
        return net.config();
    }

    /** A sampler for this network: guidance {@code omega} on [tMin, tMax], {@code steps} network passes. */
    public Sampler sampler(double omega, double tMin, double tMax, int steps) {
        return new Sampler(omega, tMin, tMax, objective.noiseScale(), steps, objective.prediction());
    }
}
