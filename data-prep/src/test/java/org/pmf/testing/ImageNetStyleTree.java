package org.pmf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small ImageNet-style {@code train/<wnid>/*.JPEG} tree made of the PIL parity fixture images
 * (RGB, grey, CMYK, PNG-named-.JPEG, tiny and odd sizes) spread over three classes, plus one
 * planted file of each bad-input kind. {@link #plantedBadInputs()} maps each planted file to the
 * kind data-prep must report.
 */
public final class ImageNetStyleTree {

    public static final List<String> CLASSES = List.of("n01440764", "n01443537", "n01484850");
    private static final String[] IMAGES = {
        "rgb_landscape_q90.JPEG", "rgb_portrait_q90.JPEG", "rgb_square_q75.JPEG", "rgb_wide_q95.JPEG",
        "rgb_tall_odd.JPEG", "rgb_444.JPEG", "rgb_422.JPEG", "rgb_progressive.JPEG", "rgb_optimized.JPEG",
        "rgb_exact_2x.JPEG", "rgb_smaller_than_target.JPEG", "rgb_equal_short_side.JPEG", "rgb_tiny.JPEG",
        "grey_q90.JPEG", "grey_odd.JPEG", "cmyk_adobe.JPEG", "cmyk_odd.JPEG", "png_rgb_named.JPEG",
        "png_palette_named.JPEG",
    };

    private final Path root;
    private final Map<String, String> planted = new TreeMap<>();
    private int goodImages;

    private ImageNetStyleTree(Path root) {
        this.root = root;
    }

    /** Writes the tree under {@code root} (which becomes the train/ directory). */
    public static ImageNetStyleTree create(Path root) throws IOException {
        ImageNetStyleTree t = new ImageNetStyleTree(root);
        t.write(true);
        return t;
    }

    /**
     * The same tree without the unreadable file (a link, which a tar archive would store as a link
     * rather than as a member), for comparing folder and archive inputs.
     */
    public static ImageNetStyleTree createArchivable(Path root) throws IOException {
        ImageNetStyleTree t = new ImageNetStyleTree(root);
        t.write(false);
        return t;
    }

    public Path root() {
        return root;
    }

    public int goodImages() {
        return goodImages;
    }

    /** Absolute file path -> bad-input kind ("empty file (0 bytes)", "not an image", ...). */
    public Map<String, String> plantedBadInputs() {
        return planted;
    }

    public static byte[] fixture(String name) throws IOException {
        try (InputStream in = ImageNetStyleTree.class.getResourceAsStream("/pil-parity/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource pil-parity/" + name);
            }
            return in.readAllBytes();
        }
    }

    private void write(boolean plantUnreadable) throws IOException {
        for (String c : CLASSES) {
            Files.createDirectories(root.resolve(c));
        }
        for (int i = 0; i < IMAGES.length; i++) {
            String wnid = CLASSES.get(i % CLASSES.size());
            Files.write(root.resolve(wnid).resolve(wnid + "_" + (1000 + i) + ".JPEG"), fixture(IMAGES[i]));
            goodImages++;
        }
        byte[] jpeg = fixture("rgb_landscape_q90.JPEG");
        plant(CLASSES.get(0), "n01440764_9001.JPEG", new byte[0], "empty file (0 bytes)");
        plant(CLASSES.get(1), "n01443537_9002.JPEG", Arrays.copyOf(jpeg, jpeg.length / 2), "corrupt or truncated");
        plant(CLASSES.get(2), "n01484850_9003.JPEG", "<html>not found</html>".getBytes(StandardCharsets.US_ASCII), "not an image");
        byte[] corrupt = jpeg.clone();
        for (int i = 400; i < corrupt.length - 2; i++) {
            corrupt[i] = (byte) (i * 31);
        }
        plant(CLASSES.get(0), "n01440764_9004.JPEG", corrupt, "corrupt or truncated");
        if (plantUnreadable) {
            // Listed as a regular file, but every read fails with EIO (offset 0 of a process's
            // memory is unmapped): an unreadable input even for root, who ignores permissions.
            Path unreadable = root.resolve(CLASSES.get(1)).resolve("n01443537_9005.JPEG");
            Files.createSymbolicLink(unreadable, Path.of("/proc/self/mem"));
            planted.put(unreadable.toString(), "unreadable");
        }
    }

    private void plant(String wnid, String name, byte[] content, String kind) throws IOException {
        Path p = root.resolve(wnid).resolve(name);
        Files.write(p, content);
        planted.put(p.toString(), kind);
    }

    /** The files of {@code dir}, name -> bytes, for byte-identity checks between runs. */
    public static Map<String, byte[]> filesOf(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".crc")) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    /** Packs the tree as ILSVRC2012_img_train.tar does (a tar of per-class tars), using tar(1). */
    public Path packAsTrainArchive(Path workDir) throws IOException, InterruptedException {
        Path classTars = Files.createDirectories(workDir.resolve("class-tars"));
        List<String> names = new ArrayList<>();
        for (String c : CLASSES) {
            run(root.resolve(c), "tar", "--sort=name", "-cf", classTars.resolve(c + ".tar").toString(), ".");
            names.add(c + ".tar");
        }
        Path archive = workDir.resolve("ILSVRC2012_img_train.tar");
        List<String> cmd = new ArrayList<>(List.of("tar", "-cf", archive.toString()));
        java.util.Collections.reverse(names); // the reader must sort classes itself
        cmd.addAll(names);
        run(classTars, cmd.toArray(String[]::new));
        return archive;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
