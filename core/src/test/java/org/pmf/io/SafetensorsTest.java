package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
import org.nd4j.linalg.indexing.NDArrayIndex;

class SafetensorsTest {

    @TempDir
    Path tmp;

    private static Map<String, INDArray> sample() {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("blocks.0.attn.q_proj.weight", Nd4j.randn(DataType.FLOAT, 5, 3));
        t.put("blocks.0.norm.scale", Nd4j.randn(DataType.DOUBLE, 7));
        t.put("step", Nd4j.scalar(DataType.LONG, 1L << 40));
        t.put("ids", Nd4j.createFromArray(new int[][] {{-1, 2}, {Integer.MAX_VALUE, Integer.MIN_VALUE}}));
        t.put("pixels", Nd4j.createFromArray(1, 200, 255).castTo(DataType.UBYTE));
        t.put("mask", Nd4j.createFromArray(true, false, true));
        t.put("half", Nd4j.createFromArray(0.5f, -2f).castTo(DataType.HALF));
        t.put("bf16", Nd4j.createFromArray(0.25f, 3f).castTo(DataType.BFLOAT16));
        t.put("empty", Nd4j.create(DataType.FLOAT, new long[] {0, 4}, 'c'));
        return t;
    }

    private static byte[] bytes(Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, metadata, "mem");
        return out.toByteArray();
    }

    private static byte[] raw(INDArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeBytes.writeFrom(a, out);
        return out.toByteArray();
    }

    @Test
    void saveThenLoadGivesSameNamesOrderTypesShapesAndBits() throws IOException {
        Map<String, INDArray> tensors = sample();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("config", "{\"depth\": 4}\nline two ✓");
        Path f = tmp.resolve("w.safetensors");
        Safetensors.write(f, tensors, meta);
        Safetensors.Contents back = Safetensors.read(f);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        assertEquals(meta, back.metadata());
        for (String k : tensors.keySet()) {
            INDArray want = tensors.get(k);
            INDArray got = back.tensors().get(k);
            assertEquals(want.dataType(), got.dataType(), k);
            assertArrayEquals(want.shape(), got.shape(), k);
            assertArrayEquals(raw(want), raw(got), k);
        }
        assertArrayEquals(Files.readAllBytes(f), bytes(back.tensors(), back.metadata()), "re-save is identical");
    }

    @Test
    void headerIsPaddedSoDataStartsOn8ByteBoundary() throws IOException {
        byte[] b = bytes(sample(), Map.of("a", "b"));
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"a\":\"b\"}"), header);
    }

    @Test
    void readsAFileWrittenByAnIndependentPythonImplementation() throws IOException {
        Safetensors.Contents st = Safetensors.read(NpyTest.resource("python.safetensors"));
        NpzArchive ref = Npz.read(NpyTest.resource("python.npz"));
        // The Python writer lists header keys in reverse data order: reading follows the data.
        assertEquals(List.copyOf(ref.arrays().keySet()), List.copyOf(st.tensors().keySet()));
        for (String k : ref.arrays().keySet()) {
            assertEquals(ref.get(k).dataType(), st.tensors().get(k).dataType(), k);
            assertArrayEquals(ref.get(k).shape(), st.tensors().get(k).shape(), k);
            assertArrayEquals(raw(ref.get(k)), raw(st.tensors().get(k)), k);
        }
        assertEquals("pt", st.metadata().get("format"));
        assertEquals("made by safetensors_fixture.py, \"quoted\" ✓", st.metadata().get("note"));
    }

    @Test
    void readsFromAStreamExactlyWhatWasWritten() throws IOException {
        Map<String, INDArray> tensors = sample();
        Safetensors.Contents back = Safetensors.read(new ByteArrayInputStream(bytes(tensors, Map.of())), "mem");
        assertEquals(Map.of(), back.metadata());
        assertEquals(tensors.get("blocks.0.norm.scale"), back.tensors().get("blocks.0.norm.scale"));
    }

    @Test
    void loadIntoFillsExistingViewsConvertingTypes() throws IOException {
        Map<String, INDArray> saved = new LinkedHashMap<>();
        saved.put("a", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}));
        saved.put("b", Nd4j.createFromArray(5f, 6f, 7f));
        INDArray flat = Nd4j.zeros(DataType.DOUBLE, 7);
        Map<String, INDArray> targets = new LinkedHashMap<>();
        targets.put("b", flat.get(NDArrayIndex.interval(4, 7)));
        targets.put("a", flat.get(NDArrayIndex.interval(0, 4)).reshape(2, 2));
        Map<String, String> meta = Safetensors.loadInto(targets,
                new ByteArrayInputStream(bytes(saved, Map.of("step", "3"))), "ckpt");
        assertEquals(Map.of("step", "3"), meta);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7}, flat.toDoubleVector());
    }

    @Test
    void loadIntoStreamsIntoSameTypeViewsOfAFlatVectorAndCopiesIntoStridedOnes() throws IOException {
        Map<String, INDArray> saved = new LinkedHashMap<>();
        saved.put("m", Nd4j.rand(DataType.FLOAT, 3, 4));
        saved.put("v", Nd4j.rand(DataType.FLOAT, 5));
        saved.put("t", Nd4j.rand(DataType.FLOAT, 2, 3));
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 1 + 12 + 5 + 1).addi(-7);
        INDArray holder = Nd4j.zeros(DataType.FLOAT, 3, 2);
        Map<String, INDArray> targets = new LinkedHashMap<>();
        targets.put("m", flat.get(NDArrayIndex.interval(1, 13)).reshape('c', 3, 4));
        targets.put("v", flat.get(NDArrayIndex.interval(13, 18)));
        targets.put("t", holder.transpose());
        Safetensors.loadInto(targets, new ByteArrayInputStream(bytes(saved, Map.of())), "ckpt");
        for (String k : saved.keySet()) {
            assertArrayEquals(saved.get(k).dup('c').data().asFloat(), targets.get(k).dup('c').data().asFloat(), k);
        }
        float[] inFlat = flat.get(NDArrayIndex.interval(1, 18)).dup().data().asFloat();
        float[] m = saved.get("m").data().asFloat();
        float[] v = saved.get("v").data().asFloat();
        for (int i = 0; i < 12; i++) {
            assertEquals(m[i], inFlat[i], "flat vector holds m");
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(v[i], inFlat[12 + i], "flat vector holds v");
        }
        assertEquals(-7f, flat.getFloat(0), "element before the views untouched");
        assertEquals(-7f, flat.getFloat(18), "element after the views untouched");
    }

    @Test
    void loadIntoRejectsShapeAndNameMismatchesBeforeWritingAnything() throws IOException {
        Map<String, INDArray> saved = new LinkedHashMap<>();
        saved.put("w", Nd4j.ones(DataType.FLOAT, 2, 3));
        saved.put("b", Nd4j.ones(DataType.FLOAT, 3));
        byte[] file = bytes(saved, Map.of());

        Map<String, INDArray> wrongShape = new LinkedHashMap<>();
        wrongShape.put("b", Nd4j.zeros(DataType.FLOAT, 3));
        wrongShape.put("w", Nd4j.zeros(DataType.FLOAT, 3, 2));
        IOException shape = assertThrows(IOException.class,
                () -> Safetensors.loadInto(wrongShape, new ByteArrayInputStream(file), "ckpt.safetensors"));
        assertTrue(shape.getMessage().contains("ckpt.safetensors") && shape.getMessage().contains("'w'")
                && shape.getMessage().contains("[2, 3]"), shape.getMessage());
        assertEquals(0.0, wrongShape.get("b").sumNumber().doubleValue(), "nothing written on failure");

        Map<String, INDArray> wrongName = new LinkedHashMap<>();
        wrongName.put("w", Nd4j.zeros(DataType.FLOAT, 2, 3));
        wrongName.put("bias", Nd4j.zeros(DataType.FLOAT, 3));
        IOException name = assertThrows(IOException.class,
                () -> Safetensors.loadInto(wrongName, new ByteArrayInputStream(file), "ckpt.safetensors"));
        assertTrue(name.getMessage().contains("[bias]") && name.getMessage().contains("[b]"), name.getMessage());
    }

    @Test
    void truncatedDataFailsNamingFileAndTensor() throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("first", Nd4j.ones(DataType.FLOAT, 4));
        t.put("second", Nd4j.ones(DataType.FLOAT, 4));
        byte[] whole = bytes(t, Map.of());
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        IOException e = assertThrows(IOException.class,
                () -> Safetensors.read(new ByteArrayInputStream(cut), "run/w.safetensors"));
        assertTrue(e.getMessage().contains("run/w.safetensors") && e.getMessage().contains("'second'")
                && e.getMessage().contains("truncated"), e.getMessage());

        byte[] headerCut = Arrays.copyOf(whole, 20);
        IOException h = assertThrows(IOException.class,
                () -> Safetensors.read(new ByteArrayInputStream(headerCut), "run/w.safetensors"));
        assertTrue(h.getMessage().contains("run/w.safetensors") && h.getMessage().contains("header"), h.getMessage());

        byte[] extra = Arrays.copyOf(whole, whole.length + 1);
        IOException x = assertThrows(IOException.class,
                () -> Safetensors.read(new ByteArrayInputStream(extra), "run/w.safetensors"));
        assertTrue(x.getMessage().contains("after the last tensor"), x.getMessage());
    }

    @Test
    void malformedHeadersFailNamingFileAndTensor() {
        assertHeaderError("[1, 2]", "start with '{'");
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", "malformed");
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 12]}}", "'w'");
        assertHeaderError("{\"w\": {\"dtype\": \"C64\", \"shape\": [2], \"data_offsets\": [0, 8]}}", "'C64'");
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", "contiguous");
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 8]}}", "shape");
        assertHeaderError("{\"__metadata__\": {\"a\": 1}}", "__metadata__");
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]}}", "duplicate");
        byte[] hugeLength = new byte[16];
        hugeLength[7] = 0x7F;
        IOException e = assertThrows(IOException.class,
                () -> Safetensors.read(new ByteArrayInputStream(hugeLength), "x.bin"));
        assertTrue(e.getMessage().contains("x.bin") && e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    private static void assertHeaderError(String header, String expected) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        IOException e = assertThrows(IOException.class,
                () -> Safetensors.read(new ByteArrayInputStream(b.array()), "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: ") && e.getMessage().contains(expected), e.getMessage());
    }
}
