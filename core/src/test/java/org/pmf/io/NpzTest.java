package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpzTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheOfficialInputsFixtureWithItsDocumentedShapesAndValues() throws IOException {
        NpzArchive in = Npz.read(OfficialFixtures.file("inputs.npz"));
        assertEquals(List.of("z", "t", "r", "h", "omega", "t_min", "t_max", "y"), List.copyOf(in.arrays().keySet()));
        INDArray z = in.get("z");
        assertEquals(DataType.FLOAT, z.dataType());
        assertArrayEquals(new long[] {4, 3, 32, 32}, z.shape());
        // Values printed by NumPy 1.24 from the same file.
        assertEquals(0.41f, z.getFloat(0, 0, 0, 0));
        assertEquals(1.0877872f, z.getFloat(0, 0, 0, 1));
        assertEquals(-38.36510636098683, z.castTo(DataType.DOUBLE).sumNumber().doubleValue(), 1e-9);
        assertArrayEquals(new long[] {3, 7, 10, 0}, in.longs("y"));
        assertArrayEquals(new int[] {3, 7, 10, 0}, in.ints("y"));
        assertEquals(DataType.LONG, in.get("y").dataType());
        assertArrayEquals(new float[] {0.97f, 0.62f, 0.35f, 0.03f}, in.get("t").toFloatVector());
    }

    @Test
    void readsTheOfficialWeightsAndDoublePrecisionFixtures() throws IOException {
        NpzArchive w = Npz.read(OfficialFixtures.file("weights.npz"));
        assertEquals(111, w.arrays().size());
        INDArray proj1 = w.get("x_embedder.proj1.weight");
        assertArrayEquals(new long[] {128, 3, 4, 4}, proj1.shape());
        assertEquals(-0.0053203516f, proj1.getFloat(1, 2, 3, 0));

        NpzArchive in64 = Npz.read(OfficialFixtures.file("inputs64.npz"));
        assertEquals(DataType.DOUBLE, in64.get("z").dataType());
        assertEquals(0.41, in64.get("z").getDouble(0, 0, 0, 0), 1e-7);
        assertEquals(DataType.LONG, in64.get("y").dataType());
    }

    @Test
    void readsFromAStreamTheSameArraysAsFromAFile() throws IOException {
        Path file = OfficialFixtures.file("inputs.npz");
        NpzArchive fromFile = Npz.read(file);
        try (InputStream s = new BufferedInputStream(Files.newInputStream(file))) {
            NpzArchive fromStream = Npz.read(s, "stream:inputs.npz");
            assertEquals(fromFile.arrays(), fromStream.arrays());
        }
    }

    @Test
    void readsNumpySavezCompressedWithEveryDtype() throws IOException {
        NpzArchive a = Npz.read(NpyTest.resource("dtypes.npz"));
        assertEquals(DataType.FLOAT, a.get("f4").dataType());
        assertEquals(Npy.read(NpyTest.resource("f4.npy")), a.get("f4"));
        assertArrayEquals(new long[] {-(1L << 62), 5, 7, 1L << 40}, a.longs("i8"));
        assertArrayEquals(new int[] {0, 1, 127, 128, 254, 255}, a.ints("u1"));
        assertEquals(DataType.BOOL, a.get("b1").dataType());
        assertEquals(2.5, a.get("scalar_f8").getDouble(0));
        assertArrayEquals(new long[] {0, 3}, a.get("empty_f4").shape());
        // NumPy writes a transposed array in C order of its logical shape.
        assertArrayEquals(new long[] {3, 2}, a.get("transposed_i4").shape());
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, a.ints("transposed_i4"));

        try (InputStream s = Files.newInputStream(NpyTest.resource("dtypes.npz"))) {
            assertEquals(a.arrays(), Npz.read(s, "dtypes.npz").arrays());
        }
    }

    @Test
    void storedAndDeflatedArchivesRoundTripExactlyAndDeterministically() throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w", Nd4j.rand(DataType.FLOAT, 3, 5));
        arrays.put("d", Nd4j.randn(DataType.DOUBLE, 2, 2, 2));
        arrays.put("labels", Nd4j.createFromArray(9L, 0L, 3L));
        arrays.put("ids", Nd4j.createFromArray(1, -2, 3));
        arrays.put("mask", Nd4j.createFromArray(true, false));
        for (boolean compress : new boolean[] {false, true}) {
            Path f = tmp.resolve("a" + compress + ".npz");
            Npz.write(f, arrays, compress);
            NpzArchive back = Npz.read(f);
            assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.arrays().keySet()));
            for (String k : arrays.keySet()) {
                assertEquals(arrays.get(k), back.get(k), k);
                assertEquals(arrays.get(k).dataType(), back.get(k).dataType(), k);
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            Npz.write(again, arrays, compress, "again");
            assertArrayEquals(Files.readAllBytes(f), again.toByteArray());
            assertEquals(back.arrays(), Npz.read(new ByteArrayInputStream(again.toByteArray()), "again").arrays());
        }
    }

    @Test
    void missingArrayAndNonIntegerAccessFailNamingArchiveAndArray() throws IOException {
        NpzArchive in = Npz.read(OfficialFixtures.file("inputs.npz"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> in.get("labels"));
        assertTrue(missing.getMessage().contains("inputs.npz") && missing.getMessage().contains("'labels'")
                && missing.getMessage().contains("y"), missing.getMessage());
        IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class, () -> in.longs("t"));
        assertTrue(notInt.getMessage().contains("'t'"), notInt.getMessage());
    }

    @Test
    void intAccessorRejectsValuesOutsideIntRange() throws IOException {
        NpzArchive a = Npz.read(NpyTest.resource("dtypes.npz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.ints("i8"));
        assertTrue(e.getMessage().contains("'i8'"), e.getMessage());
    }

    @Test
    void truncatedArchiveFailsNamingFileAndEntry() throws IOException {
        byte[] whole = Files.readAllBytes(OfficialFixtures.file("inputs.npz"));
        byte[] cut = Arrays.copyOf(whole, 20_000);
        IOException s = assertThrows(IOException.class, () -> Npz.read(new ByteArrayInputStream(cut), "cut.npz"));
        assertTrue(s.getMessage().contains("cut.npz") && s.getMessage().contains("z.npy"), s.getMessage());

        Path f = tmp.resolve("cut.npz");
        Files.write(f, cut);
        IOException fe = assertThrows(IOException.class, () -> Npz.read(f));
        assertTrue(fe.getMessage().contains(f.toString()), fe.getMessage());
    }
}
