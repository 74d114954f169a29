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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) to and from ND4J arrays,
 * little-endian, element types of {@link NpyDtype}. Arrays are always returned and written in C
 * order (a Fortran-order file, which NumPy writes for a transposed array, is reordered on read).
 * Data is copied straight between the stream and the array's native buffer, so an array costs no
 * extra heap copy of its size.
 *
 * <p>Every error names the source given by the caller (a file, or "archive.npz entry x.npy").
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads headers so that the data starts on a multiple of 64 bytes. */
    private static final int HEADER_ALIGNMENT = 64;

    private static final Pattern DICT = Pattern.compile("^\\s*\\{(.*)}\\s*$", Pattern.DOTALL);
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static INDArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one array from the stream, consuming exactly its header and data.
     *
     * @param source what to call the stream in error messages (file name, archive entry)
     */
    public static INDArray read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header header = readHeader(data, source);
        INDArray array = Nd4j.create(header.dtype.dataType(), header.shape, header.fortranOrder ? 'f' : 'c');
        NativeBytes.readInto(data, array, source);
        // Callers read raw buffers (labels, shards): hand out C order only.
        return header.fortranOrder ? array.dup('c') : array;
    }

    public static void write(Path file, INDArray array) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(out, array, file.toString());
        }
    }

    /** Writes the array as .npy (version 1.0 unless the header needs 2.0); does not close the stream. */
    public static void write(OutputStream out, INDArray array, String target) throws IOException {
        NpyDtype dtype = NpyDtype.of(array.dataType(), target);
        out.write(headerBytes(dtype, array.shape()));
        NativeBytes.writeFrom(array, out);
    }

    /** The bytes of a complete .npy header (magic, version, length, padded dict) for the array. */
    static byte[] headerBytes(NpyDtype dtype, long[] shape) {
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': "
                + shapeTuple(shape) + ", }";
        boolean v1 = true;
        int prefix = MAGIC.length + 2 + 2;
        int unpadded = prefix + dict.length() + 1;
        int total = roundUp(unpadded, HEADER_ALIGNMENT);
        if (total - prefix > 0xFFFF) {
            v1 = false;
            prefix += 2;
            total = roundUp(prefix + dict.length() + 1, HEADER_ALIGNMENT);
        }
        int headerLen = total - prefix;
        StringBuilder padded = new StringBuilder(dict);
        while (padded.length() < headerLen - 1) {
            padded.append(' ');
        }
        padded.append('\n');
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        b.put(padded.toString().getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static String shapeTuple(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private record Header(NpyDtype dtype, long[] shape, boolean fortranOrder) {
    }

    private static Header readHeader(DataInputStream in, String source) throws IOException {
        byte[] magic = new byte[MAGIC.length + 2];
        readFully(in, magic, "the .npy magic and version", source);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException(source + ": not a .npy file (no \\x93NUMPY magic at its start)");
            }
        }
        int major = magic[MAGIC.length];
        long headerLen;
        if (major == 1) {
            byte[] len = new byte[2];
            readFully(in, len, "the header length", source);
            headerLen = (len[0] & 0xFF) | (len[1] & 0xFF) << 8;
        } else if (major == 2 || major == 3) {
            byte[] len = new byte[4];
            readFully(in, len, "the header length", source);
            headerLen = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (headerLen > 1 << 24) {
                throw new IOException(source + ": implausible .npy header length " + headerLen);
            }
        } else {
            throw new IOException(source + ": unsupported .npy format version " + major + "."
                    + magic[MAGIC.length + 1] + " (supported: 1.0, 2.0, 3.0)");
        }
        byte[] text = new byte[(int) headerLen];
        readFully(in, text, "the header (" + headerLen + " bytes)", source);
        // Version 3 only differs in allowing UTF-8 field names, which never occur in our dtypes.
        return parseHeader(new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                source);
    }

    private static Header parseHeader(String text, String source) throws IOException {
        if (!DICT.matcher(text).matches()) {
            throw new IOException(source + ": malformed .npy header (not a dict): " + text.strip());
        }
        Matcher descr = DESCR.matcher(text);
        Matcher fortran = FORTRAN.matcher(text);
        Matcher shape = SHAPE.matcher(text);
        if (!descr.find()) {
            throw new IOException(source + ": .npy header has no simple 'descr' (structured dtypes are not supported): "
                    + text.strip());
        }
        if (!fortran.find() || !shape.find()) {
            throw new IOException(source + ": malformed .npy header (needs 'fortran_order' and 'shape'): "
                    + text.strip());
        }
        NpyDtype dtype = NpyDtype.fromDescr(descr.group(1), source);
        return new Header(dtype, parseShape(shape.group(1), text, source), fortran.group(1).equals("True"));
    }

    private static long[] parseShape(String tuple, String header, String source) throws IOException {
        String body = tuple.strip();
        if (body.endsWith(",")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isBlank()) {
            return new long[0];
        }
        String[] parts = body.split(",");
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IOException(source + ": malformed shape in .npy header: " + header.strip());
            }
            if (shape[i] < 0) {
                throw new IOException(source + ": negative dimension in .npy header: " + header.strip());
            }
        }
        return shape;
    }

    private static void readFully(DataInputStream in, byte[] b, String what, String source)
            throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated .npy file while reading " + what, e);
        }
    }
}
