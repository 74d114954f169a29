package org.pmf.spark.train;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything the driver broadcasts at the start of a round: the averaged arrays (parameters and
 * optimizer buffers) and the counters that place the round in the run.
 *
 * @param arrays   named arrays, in the replica's order
 * @param round    rounds completed so far
 * @param step     local steps completed by each task so far (round * K once K is fixed)
 * @param examples examples consumed by all tasks so far
 */
public record TrainerState(Map<String, INDArray> arrays, long round, long step, long examples)
        implements Serializable {

    public TrainerState {
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }
}
