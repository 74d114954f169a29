package org.pmf.eval;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST as the evaluator needs it: the IDX files of Debian's {@code dataset-fashion-mnist}
 * (gzipped or not) and the conversion of a 28 x 28 grey image to the 32 x 32 RGB network input in
 * [-1, 1] (2 black pixels of padding on each side, grey replicated to 3 channels, v / 127.5 - 1).
 */
public final class FashionMnist {

    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int CLASSES = 10;
    public static final int SOURCE_SIDE = 28;
    public static final int SIDE = 32;
    private static final int PAD = (SIDE - SOURCE_SIDE) / 2;

    public enum Split { TRAIN, TEST }

    /** {@code count} grey images, row-major 28 x 28 bytes each, and their labels 0..9. */
    public record Images(byte[] pixels, int[] labels) {

        public int count() {
            return labels.length;
        }

        /** Images [from, to) as network input [n, 3, 32, 32], float in [-1, 1]. */
        public INDArray networkInput(int from, int to) {
            return networkInput(java.util.stream.IntStream.range(from, to).toArray());
        }

        /** The images at {@code indices}, in that order, as network input [n, 3, 32, 32], float in [-1, 1]. */
        public INDArray networkInput(int[] indices) {
            int n = indices.length;
            float[] out = new float[n * 3 * SIDE * SIDE];
            java.util.Arrays.fill(out, -1f);
            int plane = SIDE * SIDE;
            for (int i = 0; i < n; i++) {
                int src = indices[i] * SOURCE_SIDE * SOURCE_SIDE;
                for (int y = 0; y < SOURCE_SIDE; y++) {
                    for (int x = 0; x < SOURCE_SIDE; x++) {
                        float v = (pixels[src + y * SOURCE_SIDE + x] & 0xff) / 127.5f - 1f;
                        int dst = i * 3 * plane + (y + PAD) * SIDE + x + PAD;
                        out[dst] = v;
                        out[dst + plane] = v;
                        out[dst + 2 * plane] = v;
                    }
                }
            }
            return Nd4j.create(out, new long[] {n, 3, SIDE, SIDE}, DataType.FLOAT);
        }

        public int[] labels(int from, int to) {
            return java.util.Arrays.copyOfRange(labels, from, to);
        }
    }

    private FashionMnist() {
    }

    /**
     * Reads a split through {@link org.pmf.data.FashionMnist}, the project's one IDX reader (it names
     * the file on a bad header and says how to install the dataset when it is missing).
     */
    public static Images read(Path dir, Split split) throws IOException {
        org.pmf.data.FashionMnist data = org.pmf.data.FashionMnist.read(dir,
            split == Split.TRAIN ? org.pmf.data.FashionMnist.Split.TRAIN : org.pmf.data.FashionMnist.Split.TEST);
        return new Images(data.images().data().asBytes(), data.labels());
    }
}
