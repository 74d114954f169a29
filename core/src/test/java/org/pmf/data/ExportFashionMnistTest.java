package org.pmf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ExportFashionMnistTest {

    @TempDir
    Path tmp;

    private static ExportFashionMnist.Options options(Path out) {
        return ExportFashionMnist.parse(new String[] {"--out", out.toString(), "--train-limit", "30", "--val-limit", "12"});
    }

    @Test
    void classFoldersSortIntoLabelOrder() {
        List<String> folders = ExportFashionMnist.classFolders();
        assertEquals("0_t-shirt-top", folders.get(0));
        assertEquals("9_ankle-boot", folders.get(9));
        assertEquals(folders.stream().sorted().toList(), folders);
    }

    @Test
    void writesImageNetStyleFoldersWhosePngsDecodeToTheRgbImages() throws IOException {
        Path out = tmp.resolve("fm");
        assertArrayEquals(new int[] {30, 12}, ExportFashionMnist.export(options(out)));
        FashionMnist val = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, 12);
        INDArray rgb = val.rgb32();
        int[] labels = val.labels();
        for (int k = 0; k < 12; k++) {
            Path f = out.resolve("val").resolve(ExportFashionMnist.classFolders().get(labels[k]))
                    .resolve(String.format("%05d.png", k));
            BufferedImage img = ImageIO.read(f.toFile());
            assertEquals(32, img.getWidth());
            assertEquals(32, img.getHeight());
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int want = rgb.getInt(k, y, x, 0) << 16 | rgb.getInt(k, y, x, 1) << 8 | rgb.getInt(k, y, x, 2);
                    assertEquals(want, img.getRGB(x, y) & 0xFFFFFF, f + " (" + x + "," + y + ")");
                }
            }
        }
        assertEquals(30, countPngs(out.resolve("train")));
        assertEquals(12, countPngs(out.resolve("val")));
        List<String> classes = Files.readAllLines(out.resolve("classes.txt"));
        assertEquals("9\t9_ankle-boot\tAnkle boot", classes.get(9));
    }

    @Test
    void exportIsByteForByteReproducible() throws IOException {
        ExportFashionMnist.export(options(tmp.resolve("a")));
        ExportFashionMnist.export(options(tmp.resolve("b")));
        try (Stream<Path> files = Files.walk(tmp.resolve("a"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path twin = tmp.resolve("b").resolve(tmp.resolve("a").relativize(f));
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(twin), f.toString());
            }
        }
    }

    @Test
    void refusesToMixWithAnEarlierExport() throws IOException {
        Path out = tmp.resolve("fm");
        ExportFashionMnist.export(options(out));
        IOException e = assertThrows(IOException.class, () -> ExportFashionMnist.export(options(out)));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void badArgumentsAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportFashionMnist.parse(new String[] {"--out", "x", "--train-limit", "-3"}));
        assertTrue(e.getMessage().contains("--train-limit") && e.getMessage().contains("-3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExportFashionMnist.parse(new String[] {"--train-limit", "3"}));
        assertThrows(IllegalArgumentException.class, () -> ExportFashionMnist.parse(new String[] {"--out"}));
        assertThrows(IllegalArgumentException.class, () -> ExportFashionMnist.parse(new String[] {"--bogus", "1"}));
    }

    private static long countPngs(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).count();
        }
    }
}
