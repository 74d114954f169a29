package org.pmf.io;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;

/**
 * Names the pieces of a flat vector laid out like a {@link ParamSet} (its values, an EMA, ...) with
 * the parameters' names and shapes, so checkpoints hold one tensor per parameter that Python tools
 * can read by name, while training keeps flat vectors.
 */
public final class ParamTensors {

    private ParamTensors() {
    }

    /** Live views of {@code flat}, one per parameter, in declaration order. */
    public static Map<String, INDArray> views(ParamSet layout, INDArray flat) {
        if (flat.length() != layout.size()) {
            throw new IllegalArgumentException("a vector of " + flat.length() + " values does not match the "
                    + layout.size() + " parameters of the model");
        }
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long offset = 0;
        for (Param p : layout.params()) {
            long n = p.length();
            m.put(p.name(), vector.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape()));
            offset += n;
        }
        return m;
    }
}
