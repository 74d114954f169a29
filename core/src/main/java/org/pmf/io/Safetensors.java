package org.pmf.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a
 * UTF-8 JSON header mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (plus an optional {@code __metadata__} string map), padded with spaces,
 * then the tensors' little-endian C-order bytes, contiguous and without holes.
 *
 * <p>Reading and writing are single sequential passes over a stream, so Hadoop FileSystem streams
 * (hdfs://, s3a://) work directly. Tensors come back in file (data offset) order; a save followed
 * by a load gives the same names, order, types, shapes and bits.
 */
public final class Safetensors {

    /** The safetensors reference implementation refuses headers larger than this. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final int ALIGNMENT = 8;
    private static final String METADATA_KEY = "__metadata__";

    private static final Map<String, DataType> DTYPES = Map.ofEntries(
            Map.entry("BOOL", DataType.BOOL), Map.entry("U8", DataType.UBYTE), Map.entry("I8", DataType.BYTE),
            Map.entry("I16", DataType.SHORT), Map.entry("U16", DataType.UINT16), Map.entry("F16", DataType.HALF),
            Map.entry("BF16", DataType.BFLOAT16), Map.entry("I32", DataType.INT), Map.entry("U32", DataType.UINT32),
            Map.entry("F32", DataType.FLOAT), Map.entry("I64", DataType.LONG), Map.entry("U64", DataType.UINT64),
            Map.entry("F64", DataType.DOUBLE));

    private Safetensors() {
    }

    /** The tensors of one file in file order, and its {@code __metadata__} (empty if absent). */
    public record Contents(Map<String, INDArray> tensors, Map<String, String> metadata) {
    }

    public static Contents read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a whole safetensors stream (the stream is not closed).
     *
     * @param source what to call the stream in error messages
     */
    public static Contents read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header header = readHeader(data, source);
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Entry e : header.entries) {
            INDArray a = Nd4j.create(e.dataType, e.shape, 'c');
            NativeBytes.readInto(data, a, source + ": tensor '" + e.name + "'");
            tensors.put(e.name, a);
        }
        if (data.read() >= 0) {
            throw new IOException(source + ": bytes after the last tensor's data (the header does not index the whole buffer)");
        }
        return new Contents(tensors, header.metadata);
    }

    /**
     * Reads a stream into existing arrays of the same names and shapes (e.g. a model's parameter
     * views), converting values to each target's type. Names and shapes are all checked against
     * the header before anything is written: a tensor missing from either side, or a shape
     * mismatch, fails naming the tensor and leaves the targets untouched. Tensors stream straight
     * into targets of the same type that are contiguous C-order views, so loading costs no second
     * copy of the model; a file that turns out to be truncated fails with the targets partly loaded.
     *
     * @return the file's metadata
     */
    public static Map<String, String> loadInto(Map<String, INDArray> targets, InputStream in, String source)
            throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header header = readHeader(data, source);
        Set<String> inFile = new TreeSet<>();
        header.entries.forEach(e -> inFile.add(e.name));
        Set<String> missing = new TreeSet<>(targets.keySet());
        missing.removeAll(inFile);
        Set<String> unexpected = new TreeSet<>(inFile);
        unexpected.removeAll(targets.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IOException(source + ": tensor names do not match: missing from the file " + missing
                    + ", in the file but not expected " + unexpected);
        }
        for (Entry e : header.entries) {
            long[] want = targets.get(e.name).shape();
            if (!Arrays.equals(want, e.shape)) {
                throw new IOException(source + ": tensor '" + e.name + "' has shape " + Arrays.toString(e.shape)
                        + " in the file, expected " + Arrays.toString(want));
            }
        }
        for (Entry e : header.entries) {
            INDArray target = targets.get(e.name);
            String what = source + ": tensor '" + e.name + "'";
            if (target.dataType() == e.dataType && NativeBytes.isContiguousC(target)) {
                NativeBytes.readInto(data, target, what);
            } else {
                INDArray loaded = Nd4j.create(e.dataType, e.shape, 'c');
                NativeBytes.readInto(data, loaded, what);
                target.assign(loaded);
            }
        }
        if (data.read() >= 0) {
            throw new IOException(source + ": bytes after the last tensor's data (the header does not index the whole buffer)");
        }
        return header.metadata;
    }

    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(out, tensors, metadata, file.toString());
        }
    }

    /**
     * Writes the tensors in map order (the stream is flushed, not closed).
     *
     * @param metadata written as {@code __metadata__} unless empty
     * @param target what to call the destination in error messages
     */
    public static void write(OutputStream out, Map<String, INDArray> tensors, Map<String, String> metadata,
            String target) throws IOException {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(METADATA_KEY)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.append(sep).append(Json.quote(m.getKey())).append(':').append(Json.quote(m.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        String sep = metadata.isEmpty() ? "" : ",";
        for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
            if (t.getKey().equals(METADATA_KEY)) {
                throw new IOException(target + ": a tensor cannot be named " + METADATA_KEY);
            }
            INDArray a = t.getValue();
            long end = offset + NativeBytes.byteCount(a);
            json.append(sep).append(Json.quote(t.getKey())).append(":{\"dtype\":\"")
                    .append(dtypeName(a.dataType(), target, t.getKey())).append("\",\"shape\":[");
            long[] shape = a.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
            sep = ",";
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] headerPadded = Arrays.copyOf(header, padded);
        Arrays.fill(headerPadded, header.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerPadded);
        for (INDArray a : tensors.values()) {
            NativeBytes.writeFrom(a, out);
        }
        out.flush();
    }

    private static String dtypeName(DataType type, String target, String tensor) throws IOException {
        for (Map.Entry<String, DataType> d : DTYPES.entrySet()) {
            if (d.getValue() == type) {
                return d.getKey();
            }
        }
        throw new IOException(target + ": tensor '" + tensor + "' has type " + type
                + ", which safetensors cannot store");
    }

    private record Entry(String name, DataType dataType, long[] shape, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata) {
    }

    private static Header readHeader(DataInputStream in, String source) throws IOException {
        byte[] lengthBytes = new byte[8];
        byte[] json;
        try {
            in.readFully(lengthBytes);
            long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length < 2 || length > MAX_HEADER_BYTES) {
                throw new IOException(source + ": not a safetensors file (header length " + length
                        + " outside 2.." + MAX_HEADER_BYTES + ")");
            }
            json = new byte[(int) length];
            in.readFully(json);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated safetensors header", e);
        }
        String text = new String(json, StandardCharsets.UTF_8);
        if (!text.startsWith("{")) {
            throw new IOException(source + ": malformed safetensors header: does not start with '{'");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new IOException(source + ": malformed safetensors header: " + e.getMessage(), e);
        }
        Map<?, ?> root = (Map<?, ?>) parsed;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> kv : root.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(kv.getValue(), metadata, source);
            } else {
                entries.add(entry(name, kv.getValue(), source));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin != expected) {
                throw new IOException(source + ": tensor '" + e.name + "' data starts at " + e.begin
                        + ", expected " + expected + " (tensor data must be contiguous without gaps or overlaps)");
            }
            expected = e.end;
        }
        return new Header(entries, metadata);
    }

    private static void readMetadata(Object value, Map<String, String> metadata, String source) throws IOException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IOException(source + ": " + METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw new IOException(source + ": " + METADATA_KEY + " value of '" + m.getKey() + "' is not a string");
            }
            metadata.put((String) m.getKey(), s);
        }
    }

    private static Entry entry(String name, Object value, String source) throws IOException {
        String where = source + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) {
            throw new IOException(where + ": header entry is not an object");
        }
        if (!(info.get("dtype") instanceof String dtype)) {
            throw new IOException(where + ": header entry has no string 'dtype'");
        }
        DataType type = DTYPES.get(dtype);
        if (type == null) {
            throw new IOException(where + ": unsupported dtype '" + dtype + "'; supported: " + new TreeSet<>(DTYPES.keySet()));
        }
        long[] shape = longs(info.get("shape"), where, "shape", -1);
        long[] offsets = longs(info.get("data_offsets"), where, "data_offsets", 2);
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IOException(where + ": negative dimension in shape " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        long bytes = elements * type.width();
        if (offsets[0] < 0 || offsets[1] - offsets[0] != bytes) {
            throw new IOException(where + ": data_offsets " + Arrays.toString(offsets) + " span "
                    + (offsets[1] - offsets[0]) + " bytes, but " + dtype + " " + Arrays.toString(shape)
                    + " needs " + bytes);
        }
        return new Entry(name, type, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(Object value, String where, String field, int requiredLength) throws IOException {
        if (!(value instanceof List<?> list) || (requiredLength >= 0 && list.size() != requiredLength)) {
            throw new IOException(where + ": header entry needs '" + field + "' as a list of "
                    + (requiredLength >= 0 ? requiredLength + " " : "") + "integers");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw new IOException(where + ": '" + field + "' holds a non-integer " + list.get(i));
            }
            out[i] = l;
        }
        return out;
    }
}
