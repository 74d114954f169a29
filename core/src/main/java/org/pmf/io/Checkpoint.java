package org.pmf.io;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything one checkpoint holds.
 *
 * @param weights   the model's parameters by name (e.g. {@link ParamTensors#views})
 * @param optimizer the optimizer state tensors ({@link org.pmf.optim.OptimizerState#toTensors()})
 * @param emas      each EMA's parameters by name, keyed by its label (e.g. "500" for a 500 kimg half-life)
 * @param state     counters of the run
 * @param config    the resolved configuration as HOCON text with secrets removed
 *                  ({@link org.pmf.config.ConfigLoader#renderWithoutSecrets}); the store refuses text
 *                  in which a secret-looking key still has a value
 */
public record Checkpoint(Map<String, INDArray> weights, Map<String, INDArray> optimizer,
                         Map<String, Map<String, INDArray>> emas, RunState state, String config) {

    public Checkpoint {
        weights = new LinkedHashMap<>(weights);
        optimizer = new LinkedHashMap<>(optimizer);
        emas = new LinkedHashMap<>(emas);
        for (String label : emas.keySet()) {
            if (!label.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("EMA label '" + label + "' must use letters, digits, '.', '_' and '-' only");
            }
        }
    }

    public long step() {
        return state.step();
    }
}
