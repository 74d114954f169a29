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

/**
 * The network of a checkpoint, built with the shape and noise scale it was trained with (read from
 * the checkpoint's own config, not today's settings) and holding one set of its weights: the raw
 * parameters or one EMA.
 *
 * @param net        the network, weights loaded
 * @param noiseScale s of z_1 = s e the run trained with
 */
public record CheckpointNetwork(PmfNet net, double noiseScale) {

    /**
     * @param configText the checkpoint's config.conf
     * @param weights    parameters by name (weights.safetensors or an ema-*.safetensors)
     * @param what       names the weights in errors, e.g. "step 1000 EMA 500"
     */
    public static CheckpointNetwork of(String configText, Map<String, INDArray> weights, String what) {
        ConfigSection trained = ConfigSection.of(ConfigFactory.parseString(configText)
            .withFallback(ConfigFactory.defaultReference()).resolve(), "pmf");
        PmfNetConfig netConfig = PmfNetConfig.fromConfig(trained.section("model"));
        double noiseScale = ObjectiveOptions.fromConfig(trained.section("objective")).noiseScale();
        PmfNet net = PmfNet.create(netConfig, DataType.FLOAT, true, 0);
        Map<String, INDArray> targets = ParamTensors.views(net.params(), net.params().values());
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null) {
                throw new IllegalArgumentException(what + " lacks tensor " + e.getKey());
            }
            e.getValue().assign(w);
        }
        return new CheckpointNetwork(net, noiseScale);
    }

    public PmfNetConfig config() {
        return net.config();
    }
}
