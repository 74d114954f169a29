package org.pmf.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All parameters of a model in one flat vector (and one flat gradient vector), each {@link Param}
 * a contiguous view into it. One flat vector makes parameter averaging, EMA, optimizer state and
 * checkpoints single array operations, independent of the architecture.
 *
 * <p>Modules declare parameters on a {@link Builder} in their constructors; {@link Builder#build}
 * then allocates the buffers, binds the views in declaration order and runs each initializer.
 */
public final class ParamSet {

    private final DataType dataType;
    private final INDArray values;
    private final INDArray grads;
    private final Map<String, Param> byName;

    private ParamSet(DataType dataType, INDArray values, INDArray grads, Map<String, Param> byName) {
        this.dataType = dataType;
        this.values = values;
        this.grads = grads;
        this.byName = byName;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Every parameter value, concatenated in declaration order: a live view, not a copy. */
    public INDArray values() {
        return values;
    }

    /** Every gradient, in the same layout as {@link #values()}. */
    public INDArray grads() {
        return grads;
    }

    public long size() {
        return values.length();
    }

    public List<Param> params() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    public Param get(String name) {
        Param p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return p;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public void zeroGrads() {
        grads.assign(0);
    }

    /** Declares parameters, then allocates them all at once. */
    public static final class Builder {
        private final DataType dataType;
        private final Map<String, Param> declared = new LinkedHashMap<>();
        private boolean built;

        public Builder(DataType dataType) {
            if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
                throw new IllegalArgumentException("parameters are float32 or float64, not " + dataType);
            }
            this.dataType = dataType;
        }

        public DataType dataType() {
            return dataType;
        }

        public Param add(String name, long[] shape, Param.Role role, Initializer init) {
            if (built) {
                throw new IllegalStateException("ParamSet already built; cannot add " + name);
            }
            if (declared.containsKey(name)) {
                throw new IllegalArgumentException("parameter declared twice: " + name);
            }
            Param p = new Param(name, shape, role, init);
            declared.put(name, p);
            return p;
        }

        /** Allocates the flat buffers and initializes every parameter from {@code seed}. */
        public ParamSet build(long seed) {
            ParamSet set = bind(Nd4j.create(dataType, totalLength()));
            SplittableRandom rng = new SplittableRandom(seed);
            for (Param p : declared.values()) {
                p.init().fill(p.value(), rng);
            }
            return set;
        }

        /**
         * Binds the declared parameters to the values of {@code shared}, an identically declared set,
         * with gradients of their own: a replica that reads the same weights (every update of
         * {@code shared} is seen at once) and accumulates its own gradient.
         */
        public ParamSet buildSharing(ParamSet shared) {
            List<Param> theirs = shared.params();
            List<Param> ours = new ArrayList<>(declared.values());
            boolean same = shared.dataType() == dataType && theirs.size() == ours.size();
            for (int i = 0; same && i < ours.size(); i++) {
                same = ours.get(i).name().equals(theirs.get(i).name())
                    && java.util.Arrays.equals(ours.get(i).shape(), theirs.get(i).shape());
            }
            if (!same) {
                throw new IllegalArgumentException("a replica must declare the same parameters (names, shapes, order, "
                    + "data type) as the set whose values it shares");
            }
            return bind(shared.values());
        }

        private long totalLength() {
            long total = 0;
            for (Param p : declared.values()) {
                total += p.length();
            }
            return total;
        }

        private ParamSet bind(INDArray values) {
            built = true;
            INDArray grads = Nd4j.create(dataType, totalLength());
            long offset = 0;
            for (Param p : declared.values()) {
                long n = p.length();
                INDArray v = values.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
                INDArray g = grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
                p.bind(v, g);
                offset += n;
            }
            return new ParamSet(dataType, values, grads, new LinkedHashMap<>(declared));
        }
    }
}
