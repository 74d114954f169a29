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

    // Records ignore writeObject; a proxy carries the arrays in bulk (ArrayStreams) instead of through
    // ND4J's per-element serialization.
    private Object writeReplace() {
        return new Serialized(this);
    }

    private static final class Serialized implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient TrainerState state;

        Serialized(TrainerState state) {
            this.state = state;
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.writeLong(state.round());
            out.writeLong(state.step());
            out.writeLong(state.examples());
            ArrayStreams.write(out, state.arrays());
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
            long round = in.readLong();
            long step = in.readLong();
            long examples = in.readLong();
            state = new TrainerState(ArrayStreams.read(in), round, step, examples);
        }

        private Object readResolve() {
            return state;
        }
    }
}
