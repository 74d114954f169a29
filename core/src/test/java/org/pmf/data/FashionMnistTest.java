package org.pmf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reads the installed Debian package; expected numbers were printed by NumPy from the same files. */
class FashionMnistTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheTestSplitWithItsLabelsAndPixels() throws IOException {
        FashionMnist test = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertArrayEquals(new long[] {10_000, 28, 28}, test.images().shape());
        assertEquals(DataType.UBYTE, test.images().dataType());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.labels(), 10));
        int[] counts = new int[10];
        for (int y : test.labels()) {
            counts[y]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts);
        assertEquals(33456L, test.images().get(NDArrayIndex.point(0)).castTo(DataType.LONG).sumNumber().longValue());
        assertEquals(5854180L, test.images().get(NDArrayIndex.interval(0, 100)).castTo(DataType.LONG)
                .sumNumber().longValue());
        assertArrayEquals(new int[] {0, 0, 98, 136, 110, 109}, rowSlice(test.images(), 0, 14, 10, 16));
    }

    private static int[] rowSlice(INDArray images, int n, int y, int x0, int x1) {
        int[] out = new int[x1 - x0];
        for (int x = x0; x < x1; x++) {
            out[x - x0] = images.getInt(n, y, x);
        }
        return out;
    }

    @Test
    void limitReadsOnlyTheFirstExamples() throws IOException {
        FashionMnist first = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN, 10);
        assertEquals(10, first.size());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, first.labels());
    }

    @Test
    void rgb32PadsTwoBlackPixelsAndCopiesGreyToEveryChannel() throws IOException {
        FashionMnist d = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, 3);
        INDArray rgb = d.rgb32();
        assertArrayEquals(new long[] {3, 32, 32, 3}, rgb.shape());
        for (int n = 0; n < 3; n++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    int want = inside ? d.images().getInt(n, y - 2, x - 2) : 0;
                    for (int c = 0; c < 3; c++) {
                        assertEquals(want, rgb.getInt(n, y, x, c));
                    }
                }
            }
        }
    }

    @Test
    void patchesUseTheProjectLayout() throws IOException {
        FashionMnist d = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, 4);
        INDArray p = d.patches(4);
        assertArrayEquals(new long[] {4, 64, 48}, p.shape());
        assertEquals(DataType.UBYTE, p.dataType());
        assertEquals(d.rgb32(), PatchLayout.rgb(32, 4).unpatchify(p));
    }

    @Test
    void readsUncompressedFilesToo() throws IOException {
        for (String name : new String[] {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            try (GZIPInputStream in = new GZIPInputStream(
                    Files.newInputStream(FashionMnist.DEFAULT_DIR.resolve(name + ".gz")));
                    OutputStream out = Files.newOutputStream(tmp.resolve(name))) {
                in.transferTo(out);
            }
        }
        FashionMnist plain = FashionMnist.read(tmp, FashionMnist.Split.TEST, 50);
        FashionMnist gz = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST, 50);
        assertEquals(gz.images(), plain.images());
        assertArrayEquals(gz.labels(), plain.labels());
    }

    @Test
    void missingFilesSayHowToInstallThem() {
        IOException e = assertThrows(IOException.class,
                () -> FashionMnist.read(tmp.resolve("nowhere"), FashionMnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist")
                && e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void truncatedFileFailsNamingIt() throws IOException {
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1});
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5});
        IOException e = assertThrows(IOException.class, () -> FashionMnist.read(tmp, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte") && e.getMessage().contains("truncated"),
                e.getMessage());
    }
}
