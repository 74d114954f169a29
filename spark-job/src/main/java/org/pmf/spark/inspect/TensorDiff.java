package org.pmf.spark.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How far one parameter tensor moved between two weight sets (two checkpoints, or raw weights and
 * an EMA): ||a - b|| / ||a||, with both norms.
 *
 * @param name     the parameter's name
 * @param normA    L2 norm in the first set
 * @param normB    L2 norm in the second set
 * @param relative ||a - b|| / ||a|| (the absolute difference when ||a|| is 0)
 */
public record TensorDiff(String name, double normA, double normB, double relative) {

    /** One entry per tensor of {@code a}; a tensor missing from {@code b} or of another shape is an error naming it. */
    public static List<TensorDiff> between(Map<String, INDArray> a, Map<String, INDArray> b) {
        List<TensorDiff> out = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : a.entrySet()) {
            INDArray other = b.get(e.getKey());
            if (other == null) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " is missing from the second set");
            }
            if (!java.util.Arrays.equals(e.getValue().shape(), other.shape())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has shapes " + java.util.Arrays.toString(e.getValue().shape())
                    + " and " + java.util.Arrays.toString(other.shape()));
            }
            INDArray x = e.getValue().castTo(DataType.DOUBLE);
            INDArray y = other.castTo(DataType.DOUBLE);
            double normA = x.norm2Number().doubleValue();
            double diff = x.sub(y).norm2Number().doubleValue();
            out.add(new TensorDiff(e.getKey(), normA, y.norm2Number().doubleValue(), normA > 0 ? diff / normA : diff));
        }
        return out;
    }
}
