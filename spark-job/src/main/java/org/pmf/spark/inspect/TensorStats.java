package org.pmf.spark.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Summary statistics of one parameter tensor, computed in double precision: what moves when a
 * layer diverges, dies or stops training.
 *
 * @param name  the parameter's name in the checkpoint
 * @param shape its shape
 * @param count number of values
 * @param mean  mean of the values
 * @param std   population standard deviation
 * @param norm  L2 norm
 * @param min   smallest value
 * @param max   largest value
 */
public record TensorStats(String name, long[] shape, long count, double mean, double std, double norm, double min, double max) {

    public static TensorStats of(String name, INDArray tensor) {
        INDArray x = tensor.castTo(DataType.DOUBLE);
        long n = x.length();
        double mean = x.meanNumber().doubleValue();
        double norm = x.norm2Number().doubleValue();
        double variance = Math.max(0.0, norm * norm / n - mean * mean);
        return new TensorStats(name, tensor.shape().clone(), n, mean, Math.sqrt(variance), norm,
            x.minNumber().doubleValue(), x.maxNumber().doubleValue());
    }

    /** The statistics of every tensor, in the map's order. */
    public static List<TensorStats> ofAll(Map<String, INDArray> tensors) {
        List<TensorStats> out = new ArrayList<>();
        tensors.forEach((name, t) -> out.add(of(name, t)));
        return out;
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
