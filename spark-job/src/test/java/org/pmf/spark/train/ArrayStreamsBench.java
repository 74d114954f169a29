package org.pmf.spark.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * bench/array-streams.sh: Java-serialises a float32 array of N million elements (default 7.5: the
 * `small` preset's parameters and optimizer state are about that) once through ND4J's own
 * serialisation and once through {@link ArrayStreams}, and prints write and read times, best of 5.
 */
public final class ArrayStreamsBench {

    private ArrayStreamsBench() {
    }

    public static void main(String[] args) throws Exception {
        long n = (long) (Double.parseDouble(args.length > 0 ? args[0] : "7.5") * 1e6);
        INDArray x = Nd4j.rand(DataType.FLOAT, n);
        double[] nd4j = best(() -> serialise(x), 5);
        double[] bulk = best(() -> serialise(Map.of("x", x)), 5);
        System.out.printf("%d float32 (%.1f MB): ND4J serialisation write %.0f ms read %.0f ms; ArrayStreams write %.0f ms read %.0f ms;"
            + " %.1fx faster overall%n", n, n * 4 / 1e6, nd4j[0], nd4j[1], bulk[0], bulk[1], (nd4j[0] + nd4j[1]) / (bulk[0] + bulk[1]));
    }

    private interface Trial {
        double[] run() throws Exception;
    }

    private static double[] best(Trial t, int times) throws Exception {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int i = 0; i < times; i++) {
            double[] r = t.run();
            best[0] = Math.min(best[0], r[0]);
            best[1] = Math.min(best[1], r[1]);
        }
        return best;
    }

    /** Write and read milliseconds; a map goes through ArrayStreams, an INDArray through ND4J. */
    @SuppressWarnings("unchecked")
    private static double[] serialise(Object value) throws IOException, ClassNotFoundException {
        long t0 = System.nanoTime();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            if (value instanceof Map<?, ?> m) {
                ArrayStreams.write(out, (Map<String, INDArray>) m);
            } else {
                out.writeObject(value);
            }
        }
        long t1 = System.nanoTime();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Object back = value instanceof Map<?, ?> ? ArrayStreams.read(in) : in.readObject();
            if (back == null) {
                throw new IllegalStateException("nothing read");
            }
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
    }
}
