package org.pmf.eval;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST as the evaluator needs it: the IDX files of Debian's {@code dataset-fashion-mnist}
 * (gzipped or not) and the conversion of a 28 x 28 grey image to the 32 x 32 RGB network input in
 * [-1, 1] (2 black pixels of padding on each side, grey replicated to 3 channels, v / 127.5 - 1).
 * The data-preparation code has its own reader; this one is kept in one place so it can be swapped.
 */
public final class FashionMnist {

    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int CLASSES = 10;
    public static final int SOURCE_SIDE = 28;
    public static final int SIDE = 32;
    private static final int PAD = (SIDE - SOURCE_SIDE) / 2;
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

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

    /** Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} from {@code dir}. */
    public static Images read(Path dir, Split split) throws IOException {
        Path images = locate(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = locate(dir, split.prefix + "-labels-idx1-ubyte");
        byte[] pixels;
        int count;
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(images + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
            }
            count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != SOURCE_SIDE || cols != SOURCE_SIDE || count < 0) {
                throw new IOException(images + ": expected " + SOURCE_SIDE + " x " + SOURCE_SIDE + " images, header says " + count + " of " + rows + " x " + cols);
            }
            pixels = new byte[count * rows * cols];
            in.readFully(pixels);
        }
        int[] y;
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(labels + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ", expected 0x801)");
            }
            int n = in.readInt();
            if (n != count) {
                throw new IOException(labels + ": " + n + " labels for " + count + " images in " + images);
            }
            y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = in.readUnsignedByte();
                if (y[i] >= CLASSES) {
                    throw new IOException(labels + ": label " + i + " is " + y[i] + ", expected 0.." + (CLASSES - 1));
                }
            }
        }
        return new Images(pixels, y);
    }

    private static Path locate(Path dir, String name) throws IOException {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("Fashion-MNIST file " + name + "[.gz] not found in " + dir
            + " (on Debian: apt-get install dataset-fashion-mnist, which installs it to " + DEBIAN_DIR + ")");
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return new DataInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }
}
