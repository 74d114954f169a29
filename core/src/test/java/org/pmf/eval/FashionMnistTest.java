package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class FashionMnistTest {

    @Test
    void greyImageBecomesPaddedRgbInMinusOneToOne() {
        byte[] pixels = new byte[28 * 28];
        pixels[0] = (byte) 255;
        pixels[28 * 28 - 1] = (byte) 51;
        INDArray x = new FashionMnist.Images(pixels, new int[] {3}).networkInput(0, 1);
        assertEquals(4, x.rank());
        assertEquals(32, x.size(3));
        for (int c = 0; c < 3; c++) {
            assertEquals(-1.0, x.getDouble(0, c, 0, 0), 0.0, "padding");
            assertEquals(-1.0, x.getDouble(0, c, 1, 31), 0.0, "padding");
            assertEquals(1.0, x.getDouble(0, c, 2, 2), 0.0, "pixel (0, 0) = 255 lands at (2, 2)");
            assertEquals(51 / 127.5 - 1, x.getDouble(0, c, 29, 29), 1e-6, "pixel (27, 27) lands at (29, 29)");
            assertEquals(-1.0, x.getDouble(0, c, 10, 10), 0.0, "black pixel");
        }
    }

    @Test
    void readsGzippedIdxFiles(@TempDir Path dir) throws IOException {
        FashionMnist.Images src = SyntheticImages.of(7, 1);
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x803, new int[] {7, 28, 28}, src.pixels());
        byte[] labels = new byte[7];
        for (int i = 0; i < 7; i++) {
            labels[i] = (byte) src.labels()[i];
        }
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, new int[] {7}, labels);
        FashionMnist.Images read = FashionMnist.read(dir, FashionMnist.Split.TEST);
        assertEquals(7, read.count());
        assertTrue(java.util.Arrays.equals(src.pixels(), read.pixels()));
        assertTrue(java.util.Arrays.equals(src.labels(), read.labels()));
    }

    @Test
    void aFileThatIsNotIdxIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 0x801, new int[] {1, 28, 28}, new byte[28 * 28]);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), 0x801, new int[] {1}, new byte[1]);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.read(dir, FashionMnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void aMissingDatasetSaysHowToInstallIt(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.read(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    @EnabledIf("debianDatasetInstalled")
    void debianTestSplitHasTenThousandLabelledImages() throws IOException {
        FashionMnist.Images test = FashionMnist.read(FashionMnist.DEBIAN_DIR, FashionMnist.Split.TEST);
        assertEquals(10_000, test.count());
        int[] perClass = new int[10];
        for (int y : test.labels()) {
            perClass[y]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "class " + c);
        }
    }

    static boolean debianDatasetInstalled() {
        return Files.isDirectory(FashionMnist.DEBIAN_DIR);
    }

    private static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
