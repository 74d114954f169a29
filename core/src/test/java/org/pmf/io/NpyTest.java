package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {

    static Path resource(String name) {
        try {
            return Path.of(NpyTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    private static byte[] written(INDArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a, "test");
        return out.toByteArray();
    }

    @Test
    void writesExactlyTheBytesNumpySaveWritesForEverySupportedDtype() throws IOException {
        for (String name : new String[] {"f4", "f8", "i4", "i8", "u1", "b1"}) {
            byte[] numpy = Files.readAllBytes(resource(name + ".npy"));
            INDArray a = Npy.read(resource(name + ".npy"));
            assertArrayEquals(numpy, written(a), name + ".npy");
        }
    }

    @Test
    void readsValuesNumpyWrote() throws IOException {
        INDArray u1 = Npy.read(resource("u1.npy"));
        assertEquals(DataType.UBYTE, u1.dataType());
        assertArrayEquals(new long[] {2, 3}, u1.shape());
        assertArrayEquals(new int[] {0, 1, 127, 128, 254, 255}, u1.data().asInt());

        INDArray i4 = Npy.read(resource("i4.npy"));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, i4.data().asInt());

        INDArray f8 = Npy.read(resource("f8.npy"));
        assertEquals(Math.PI, f8.getDouble(0, 0));
        assertEquals(1e300, f8.getDouble(1, 1));

        INDArray b1 = Npy.read(resource("b1.npy"));
        assertEquals(DataType.BOOL, b1.dataType());
        assertTrue(b1.getDouble(0) == 1 && b1.getDouble(1) == 0 && b1.getDouble(2) == 1);
    }

    @Test
    void readsFormatVersion2() throws IOException {
        INDArray v2 = Npy.read(resource("v2.npy"));
        INDArray v1 = Npy.read(resource("f4.npy"));
        assertEquals(v1, v2);
        assertArrayEquals(new long[] {2, 3, 4}, v2.shape());
        assertEquals((0 - 7.25f) / 3, v2.getFloat(0, 0, 0));
    }

    @Test
    void roundTripsViewsAndFortranOrderedArraysInCOrder() throws IOException {
        INDArray base = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape('c', 3, 4);
        INDArray transposed = base.transpose();
        INDArray back = Npy.read(new ByteArrayInputStream(written(transposed)), "test");
        assertEquals(transposed, back);
        assertEquals('c', back.ordering());

        INDArray row = base.getRow(1);
        assertEquals(row, Npy.read(new ByteArrayInputStream(written(row)), "test"));

        INDArray f = Nd4j.create(DataType.FLOAT, new long[] {2, 3}, 'f').assign(Nd4j.rand(DataType.FLOAT, 2, 3));
        assertEquals(f, Npy.read(new ByteArrayInputStream(written(f)), "test"));
    }

    @Test
    void writesPermutedArraysInTheirLogicalCOrder() throws IOException {
        // ND4J M2.1 reports this NCHW -> NHWC permutation as C-ordered and not a view (checked);
        // the writer must not trust that.
        INDArray base = Nd4j.rand(DataType.DOUBLE, 4, 3, 32, 32);
        INDArray nhwc = base.permute(0, 2, 3, 1);
        INDArray back = Npy.read(new ByteArrayInputStream(written(nhwc)), "test");
        assertArrayEquals(new long[] {4, 32, 32, 3}, back.shape());
        double[] flat = back.data().asDouble();
        int k = 0;
        for (int n = 0; n < 4; n++) {
            for (int h = 0; h < 32; h++) {
                for (int w = 0; w < 32; w++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(base.getDouble(n, c, h, w), flat[k++]);
                    }
                }
            }
        }
        assertTrue(NativeBytes.isDenseC(back));
        assertTrue(!NativeBytes.isDenseC(nhwc));
    }

    @Test
    void roundTripsScalarsAndEmptyArrays() throws IOException {
        INDArray scalar = Nd4j.scalar(DataType.LONG, -5L);
        INDArray back = Npy.read(new ByteArrayInputStream(written(scalar)), "test");
        assertEquals(0, back.rank());
        assertEquals(-5L, back.getLong(0));

        INDArray empty = Nd4j.create(DataType.FLOAT, new long[] {0, 3}, 'c');
        INDArray emptyBack = Npy.read(new ByteArrayInputStream(written(empty)), "test");
        assertArrayEquals(new long[] {0, 3}, emptyBack.shape());
    }

    @Test
    void headerIsPaddedTo64BytesAndEndsWithNewline() throws IOException {
        byte[] b = written(Nd4j.zeros(DataType.FLOAT, 7, 5));
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals('\n', b[10 + headerLen - 1]);
        assertEquals(10 + headerLen + 7 * 5 * 4, b.length);
    }

    @Test
    void truncatedDataFailsNamingTheSource() throws IOException {
        byte[] whole = Files.readAllBytes(resource("f8.npy"));
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);
        IOException e = assertThrows(IOException.class,
                () -> Npy.read(new ByteArrayInputStream(cut), "weights/f8.npy"));
        assertTrue(e.getMessage().contains("weights/f8.npy") && e.getMessage().contains("truncated"),
                e.getMessage());

        byte[] headerCut = Arrays.copyOf(whole, 40);
        IOException h = assertThrows(IOException.class,
                () -> Npy.read(new ByteArrayInputStream(headerCut), "weights/f8.npy"));
        assertTrue(h.getMessage().contains("weights/f8.npy") && h.getMessage().contains("header"), h.getMessage());
    }

    @Test
    void readsFortranOrderFilesIntoCOrder() throws IOException {
        byte[] file = fileWithHeader("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }");
        int data = file.length - 64;
        for (int k = 0; k < 6; k++) {
            file[data + 4 * k] = (byte) k; // column-major: element (i, j) holds i + 2 j
        }
        INDArray a = Npy.read(new ByteArrayInputStream(file), "f.npy");
        assertEquals('c', a.ordering());
        assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, a.data().asInt());
    }

    @Test
    void rejectsWrongMagicBigEndianAndUnknownDtypes() {
        assertMessage(fileWithHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }"), "big-endian");
        assertMessage(fileWithHeader("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }"), "'<c16'");
        assertMessage(fileWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }"), "shape");
        assertMessage(fileWithHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
                "structured");
        assertMessage("PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1), "magic");
    }

    private static byte[] fileWithHeader(String dict) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[10 + text.length + 64];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, 0};
        System.arraycopy(magic, 0, b, 0, 10);
        System.arraycopy(text, 0, b, 10, text.length);
        return b;
    }

    private static void assertMessage(byte[] file, String expected) {
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(file), "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: ") && e.getMessage().contains(expected), e.getMessage());
    }
}
