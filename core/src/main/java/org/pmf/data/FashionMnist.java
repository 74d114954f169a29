package org.pmf.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST (Zalando, MIT licence) as installed by the Debian package
 * {@code dataset-fashion-mnist}: 60,000 training and 10,000 test images, 28x28 grey, 10 classes.
 *
 * <p>The project's demo trains on them as 32x32 RGB images ({@link #rgb32()}): each image is padded
 * by 2 background pixels (0, black, the dataset's own background) on every side and its grey value
 * copied to all three channels, so the demo exercises exactly the pipeline used for ImageNet.
 */
public final class FashionMnist {

    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Class names by label index, as the dataset's README lists them. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int SIZE = 28;
    public static final int RGB_SIZE = 32;
    private static final int PAD = (RGB_SIZE - SIZE) / 2;

    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private final INDArray images;
    private final int[] labels;

    private FashionMnist(INDArray images, int[] labels) {
        this.images = images;
        this.labels = labels;
    }

    /** Reads a whole split. */
    public static FashionMnist read(Path dir, Split split) throws IOException {
        return read(dir, split, Integer.MAX_VALUE);
    }

    /** Reads the first {@code limit} examples of a split (or all, if it has fewer). */
    public static FashionMnist read(Path dir, Split split, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        Path imageFile = locate(dir, split.prefix + "-images-idx3-ubyte");
        Path labelFile = locate(dir, split.prefix + "-labels-idx1-ubyte");
        IdxReader.Idx img = IdxReader.read(imageFile, 3, limit);
        IdxReader.Idx lab = IdxReader.read(labelFile, 1, limit);
        if (img.dims()[1] != SIZE || img.dims()[2] != SIZE) {
            throw new IOException(imageFile + ": images are " + img.dims()[1] + "x" + img.dims()[2]
                    + ", expected " + SIZE + "x" + SIZE);
        }
        if (img.dims()[0] != lab.dims()[0]) {
            throw new IOException(imageFile + " holds " + img.dims()[0] + " images but " + labelFile + " holds "
                    + lab.dims()[0] + " labels");
        }
        int n = img.dims()[0];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lab.data()[i] & 0xFF;
            if (labels[i] >= CLASS_NAMES.size()) {
                throw new IOException(labelFile + ": label " + labels[i] + " of example " + i + " is not in 0..9");
            }
        }
        INDArray images = Nd4j.create(DataType.UBYTE, new long[] {n, SIZE, SIZE}, 'c');
        if (n > 0) {
            images.data().asNio().put(0, img.data());
        }
        return new FashionMnist(images, labels);
    }

    private static Path locate(Path dir, String name) throws IOException {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("Fashion-MNIST file " + name + "[.gz] not found in " + dir
                + "; install the dataset with: apt-get install dataset-fashion-mnist");
    }

    public int size() {
        return labels.length;
    }

    /** The grey images, uint8 {@code [N, 28, 28]}. */
    public INDArray images() {
        return images;
    }

    /** Class index (0..9) of each image. */
    public int[] labels() {
        return labels.clone();
    }

    /** The images as uint8 {@code [N, 32, 32, 3]} HWC: 2 pixels of black padding, grey copied to R, G and B. */
    public INDArray rgb32() {
        int n = size();
        byte[] grey = new byte[n * SIZE * SIZE];
        if (n > 0) {
            images.data().asNio().get(0, grey);
        }
        byte[] rgb = new byte[n * RGB_SIZE * RGB_SIZE * 3];
        for (int k = 0; k < n; k++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    byte v = grey[(k * SIZE + y) * SIZE + x];
                    int o = ((k * RGB_SIZE + y + PAD) * RGB_SIZE + x + PAD) * 3;
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                }
            }
        }
        INDArray out = Nd4j.create(DataType.UBYTE, new long[] {n, RGB_SIZE, RGB_SIZE, 3}, 'c');
        if (n > 0) {
            ByteBuffer dst = out.data().asNio();
            dst.put(0, rgb);
        }
        return out;
    }

    /** The 32x32 RGB images in the project's patch layout, uint8 {@code [N, L, p*p*3]}. */
    public INDArray patches(int patchSize) {
        return PatchLayout.rgb(RGB_SIZE, patchSize).patchify(rgb32());
    }
}
