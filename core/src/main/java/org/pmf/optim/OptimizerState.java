package org.pmf.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything an optimizer carries between updates, as flat arrays aligned element for element with
 * {@link org.pmf.nn.ParamSet#values()}: parameter averaging averages {@link #firstMoment()} and
 * {@link #secondMoment()} like the parameters, and checkpoints store them as two tensors.
 *
 * <p>{@code firstMoment} is Muon's momentum on MATRIX entries and Adam's first moment elsewhere;
 * {@code secondMoment} is Adam's and stays 0 on entries Muon updates. {@code count} is the number of
 * updates applied, which drives bias correction and the learning-rate schedule; averaging workers
 * that ran the same number of local steps keeps it unchanged.
 */
public final class OptimizerState {

    /** Tensor names in {@link #toTensors()}. */
    public static final String FIRST_MOMENT = "optimizer.first_moment";
    public static final String SECOND_MOMENT = "optimizer.second_moment";
    public static final String COUNT = "optimizer.count";

    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private long count;

    private OptimizerState(INDArray firstMoment, INDArray secondMoment, long count) {
        this.firstMoment = firstMoment;
        this.secondMoment = secondMoment;
        this.count = count;
    }

    /** Zero moments for {@code size} parameters of the given type. */
    public static OptimizerState zeros(DataType dataType, long size) {
        return new OptimizerState(Nd4j.zeros(dataType, size), Nd4j.zeros(dataType, size), 0);
    }

    public INDArray firstMoment() {
        return firstMoment;
    }

    public INDArray secondMoment() {
        return secondMoment;
    }

    public long count() {
        return count;
    }

    void advance() {
        count++;
    }

    /** Independent copies of the state as named tensors (the count as a one-element int64). */
    public Map<String, INDArray> toTensors() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(FIRST_MOMENT, firstMoment.dup());
        m.put(SECOND_MOMENT, secondMoment.dup());
        m.put(COUNT, Nd4j.createFromArray(new long[] {count}));
        return m;
    }

    /**
     * Replaces this state with tensors from {@link #toTensors()} (e.g. a checkpoint or the averaged
     * state of a round). Everything is checked before anything is written; errors name the tensor.
     */
    public void load(Map<String, INDArray> tensors) {
        INDArray m = require(tensors, FIRST_MOMENT, firstMoment.length());
        INDArray v = require(tensors, SECOND_MOMENT, secondMoment.length());
        INDArray c = require(tensors, COUNT, 1);
        long newCount = c.getLong(0);
        if (newCount < 0) {
            throw new IllegalArgumentException("optimizer state tensor " + COUNT + " = " + newCount + " is negative");
        }
        firstMoment.assign(m.reshape(firstMoment.length()));
        secondMoment.assign(v.reshape(secondMoment.length()));
        count = newCount;
    }

    /** Sets the update count, e.g. after averaging the moments of workers that all ran the same steps. */
    public void setCount(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("optimizer update count must be >= 0, got " + count);
        }
        this.count = count;
    }

    private static INDArray require(Map<String, INDArray> tensors, String name, long length) {
        INDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("optimizer state tensor " + name + " is missing; found " + tensors.keySet());
        }
        if (t.length() != length) {
            throw new IllegalArgumentException("optimizer state tensor " + name + " has shape "
                    + Arrays.toString(t.shape()) + " (" + t.length() + " values), expected " + length
                    + " values (does the checkpoint belong to this model?)");
        }
        return t;
    }
}
