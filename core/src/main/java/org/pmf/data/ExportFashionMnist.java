package org.pmf.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.Png;

/**
 * Exports Fashion-MNIST as an ImageNet-style folder tree, so the demo runs the same data-prep as
 * ImageNet:
 * <pre>
 *   OUT/train/&lt;class&gt;/NNNNN.png   from the 60,000 training images
 *   OUT/val/&lt;class&gt;/NNNNN.png     from the 10,000 test images
 *   OUT/classes.txt                 one line per class: index, folder, name (written last)
 * </pre>
 * Images are the 32x32 RGB versions of {@link FashionMnist#rgb32()}; {@code NNNNN} is the example's
 * index in its split. Class folders are named {@code <label>_<name>} (e.g. {@code 9_ankle-boot}),
 * so sorting them, as ImageNet loaders do, gives back the dataset's own label order. PNG encoding
 * is deterministic: the same options always give the same bytes.
 *
 * <pre>
 * java -cp &lt;core classpath&gt; org.pmf.data.ExportFashionMnist --out DIR
 *      [--source /usr/share/datasets/fashion-mnist] [--train-limit N] [--val-limit N]
 * </pre>
 */
public final class ExportFashionMnist {

    static final String USAGE = "usage: ExportFashionMnist --out DIR [--source DIR] [--train-limit N] [--val-limit N]";

    /** Options of one export. */
    public record Options(Path out, Path source, int trainLimit, int valLimit) {
    }

    private ExportFashionMnist() {
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        int[] counts = export(options);
        System.out.printf(Locale.ROOT, "exported %d train and %d val images to %s in %.1f s%n",
                counts[0], counts[1], options.out(), (System.nanoTime() - start) / 1e9);
    }

    static Options parse(String[] args) {
        Path out = null;
        Path source = FashionMnist.DEFAULT_DIR;
        int trainLimit = Integer.MAX_VALUE;
        int valLimit = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--source" -> source = Path.of(value);
                case "--train-limit" -> trainLimit = count(args[i], value);
                case "--val-limit" -> valLimit = count(args[i], value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        return new Options(out, source, trainLimit, valLimit);
    }

    private static int count(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a non-negative integer, got '" + value + "'");
    }

    /** The folder name of each class, in label order (which is also their sorted order). */
    public static List<String> classFolders() {
        List<String> folders = new ArrayList<>();
        for (int k = 0; k < FashionMnist.CLASS_NAMES.size(); k++) {
            String slug = FashionMnist.CLASS_NAMES.get(k).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            folders.add(k + "_" + slug);
        }
        return folders;
    }

    /** Runs the export; returns the number of train and val images written. */
    public static int[] export(Options options) throws IOException {
        for (String split : new String[] {"train", "val"}) {
            Path dir = options.out().resolve(split);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IOException(dir + " already exists and is not empty; remove it or choose another --out");
                    }
                }
            }
        }
        int train = exportSplit(FashionMnist.read(options.source(), FashionMnist.Split.TRAIN, options.trainLimit()),
                options.out().resolve("train"));
        int val = exportSplit(FashionMnist.read(options.source(), FashionMnist.Split.TEST, options.valLimit()),
                options.out().resolve("val"));
        StringBuilder classes = new StringBuilder();
        List<String> folders = classFolders();
        for (int k = 0; k < folders.size(); k++) {
            classes.append(k).append('\t').append(folders.get(k)).append('\t')
                    .append(FashionMnist.CLASS_NAMES.get(k)).append('\n');
        }
        Files.writeString(options.out().resolve("classes.txt"), classes, StandardCharsets.UTF_8);
        return new int[] {train, val};
    }

    private static int exportSplit(FashionMnist data, Path dir) throws IOException {
        List<String> folders = classFolders();
        for (String f : folders) {
            Files.createDirectories(dir.resolve(f));
        }
        INDArray rgb = data.rgb32();
        byte[] pixels = new byte[(int) rgb.length()];
        if (pixels.length > 0) {
            rgb.data().asNio().get(0, pixels);
        }
        int size = FashionMnist.RGB_SIZE;
        int[] labels = data.labels();
        for (int k = 0; k < data.size(); k++) {
            Path file = dir.resolve(folders.get(labels[k])).resolve(String.format(Locale.ROOT, "%05d.png", k));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                Png.write(Png.rgbImage(pixels, k * size * size * 3, size, size), out);
            }
        }
        return data.size();
    }
}
