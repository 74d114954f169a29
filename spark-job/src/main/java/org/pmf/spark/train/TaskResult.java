package org.pmf.spark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one task returns from a round, and also the running sum of several tasks' results:
 * {@link #plus} adds arrays and metric sums in place, so a tree reduction averages without
 * materialising every task's copy on the driver at once.
 */
public final class TaskResult implements Serializable {

    private static final long serialVersionUID = 1L;

    // written by writeObject in bulk (ArrayStreams), not by ND4J's per-element serialization
    private transient LinkedHashMap<String, INDArray> state;
    private final LinkedHashMap<String, Double> metricSums;
    private int tasks;
    private long steps;
    private long examples;
    private long computeNanos;
    private long ioNanos;
    private final ArrayList<String> nonFinite;

    TaskResult(Map<String, INDArray> state, Map<String, Double> metricSums, long steps, long examples,
               long computeNanos, long ioNanos, List<String> nonFinite) {
        this.state = new LinkedHashMap<>(state);
        this.metricSums = new LinkedHashMap<>(metricSums);
        this.tasks = 1;
        this.steps = steps;
        this.examples = examples;
        this.computeNanos = computeNanos;
        this.ioNanos = ioNanos;
        this.nonFinite = new ArrayList<>(nonFinite);
    }

    /** Adds {@code other} into this result and returns this. */
    TaskResult plus(TaskResult other) {
        if (!state.keySet().equals(other.state.keySet())) {
            throw new IllegalStateException("replicas disagree on their state arrays: " + state.keySet()
                + " vs " + other.state.keySet());
        }
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            e.getValue().addi(other.state.get(e.getKey()));
        }
        other.metricSums.forEach((k, v) -> metricSums.merge(k, v, Double::sum));
        tasks += other.tasks;
        steps += other.steps;
        examples += other.examples;
        computeNanos += other.computeNanos;
        ioNanos += other.ioNanos;
        nonFinite.addAll(other.nonFinite);
        return this;
    }

    /** The element-wise mean of every state array over the tasks summed into this result. */
    Map<String, INDArray> averagedState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.divi(tasks)));
        return out;
    }

    /** Each metric's mean over all local steps of all tasks. */
    Map<String, Double> meanMetrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        metricSums.forEach((k, v) -> out.put(k, v / steps));
        return out;
    }

    int tasks() {
        return tasks;
    }

    long examples() {
        return examples;
    }

    /** Summed time of the tasks' local steps, excluding waits for data (not wall time). */
    long computeNanos() {
        return computeNanos;
    }

    /** Summed time the tasks waited for their next batch. */
    long ioNanos() {
        return ioNanos;
    }

    /** "partition P, step S: metric = value" for every non-finite metric seen. */
    List<String> nonFinite() {
        return nonFinite;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        ArrayStreams.write(out, state);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        state = new LinkedHashMap<>(ArrayStreams.read(in));
    }
}
