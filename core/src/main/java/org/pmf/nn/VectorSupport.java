package org.pmf.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether {@link VectorKernels} run, and hands them ND4J arrays as float buffers. They run
 * when the JVM was started with {@code --add-modules=jdk.incubator.vector} (every launcher of the
 * project passes it), ND4J's backend keeps its arrays in host memory (the CPU backend; with CUDA the
 * arrays live on the GPU and ND4J's own ops are the fast path), and the arrays are float32,
 * contiguous and in c order. Otherwise the layers use ND4J's ops for the same arithmetic, which is
 * also what double-precision runs (the finite-difference tests) use.
 *
 * <p>{@code -Dpmf.vector-kernels=false} turns them off, to compare the two paths.
 */
public final class VectorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
    static final String MODULE = "jdk.incubator.vector";
    private static final boolean ENABLED = decide();

    private VectorSupport() {
    }

    /** Whether the vector kernels are in use in this JVM. */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean decide() {
        if (!Boolean.parseBoolean(System.getProperty("pmf.vector-kernels", "true"))) {
            LOG.info("vector kernels off (-Dpmf.vector-kernels=false): ND4J's ops do the element-wise work");
            return false;
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            LOG.info("vector kernels off: start Java with --add-modules={} for a faster sigmoid, softmax and RoPE "
                + "(ND4J's ops do the work meanwhile)", MODULE);
            return false;
        }
        return Nd4j.getEnvironment().isCPU();
    }

    /** Whether the kernels can work on these arrays: all float32, contiguous, c-ordered, addressable by a buffer. */
    static boolean appliesTo(INDArray... arrays) {
        if (!ENABLED) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || !Shape.hasDefaultStridesForShape(a)
                || (a.offset() + a.length()) * Float.BYTES > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** The array's values as a float buffer whose index 0 is the array's first value. */
    static FloatBuffer floats(INDArray a) {
        ByteBuffer all = a.data().asNio();
        return all.position(Math.toIntExact(a.offset() * Float.BYTES)).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
