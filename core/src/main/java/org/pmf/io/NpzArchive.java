package org.pmf.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The arrays of one {@code .npz} archive, by name (entry name without {@code .npy}), in archive order. */
public final class NpzArchive {

    private final String source;
    private final Map<String, INDArray> arrays;

    NpzArchive(String source, LinkedHashMap<String, INDArray> arrays) {
        this.source = source;
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** The file (or stream description) the archive was read from. */
    public String source() {
        return source;
    }

    public Map<String, INDArray> arrays() {
        return arrays;
    }

    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /** The named array; fails naming the archive and the names it does hold. */
    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException(source + ": no array '" + name + "'; it holds " + arrays.keySet());
        }
        return a;
    }

    /** An integer array's elements in C order (for int64 labels and the like). */
    public long[] longs(String name) {
        INDArray a = requireInteger(name);
        return a.data().asLong();
    }

    /** An integer array's elements in C order; fails if a value does not fit in an int. */
    public int[] ints(String name) {
        long[] values = longs(name);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new IllegalArgumentException(source + ": array '" + name + "' element " + i
                        + " = " + values[i] + " does not fit in an int");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private INDArray requireInteger(String name) {
        INDArray a = get(name);
        DataType t = a.dataType();
        if (t != DataType.INT && t != DataType.LONG && t != DataType.UBYTE) {
            throw new IllegalArgumentException(source + ": array '" + name + "' has type " + t
                    + ", not an integer type");
        }
        return a;
    }
}
