package org.pmf.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy {@code .npz} archives: a ZIP of {@code <name>.npy} entries, stored or deflated, as written
 * by {@code np.savez} and {@code np.savez_compressed}.
 */
public final class Npz {

    private static final String SUFFIX = ".npy";
    /** A fixed entry time keeps written archives byte-for-byte reproducible. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /** Reads a file through its ZIP central directory (handles every layout NumPy writes). */
    public static NpzArchive read(Path file) throws IOException {
        String source = file.toString();
        LinkedHashMap<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
                    readEntry(e, in, source, arrays);
                }
            }
        } catch (ZipException e) {
            throw new IOException(source + ": not a readable .npz (ZIP) archive: " + e.getMessage(), e);
        }
        return new NpzArchive(source, arrays);
    }

    /**
     * Reads an archive sequentially from a stream (e.g. a Hadoop FileSystem stream); the stream is
     * not closed. Stored entries must carry their sizes in the local header, which NumPy's writes
     * to files always do.
     *
     * @param source what to call the stream in error messages
     */
    public static NpzArchive read(InputStream stream, String source) throws IOException {
        LinkedHashMap<String, INDArray> arrays = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(stream);
        try {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                readEntry(e, zip, source, arrays);
            }
        } catch (ZipException e) {
            throw new IOException(source + ": not a readable .npz (ZIP) archive: " + e.getMessage(), e);
        }
        if (arrays.isEmpty()) {
            throw new IOException(source + ": no .npy entries (empty, truncated or not a ZIP archive)");
        }
        return new NpzArchive(source, arrays);
    }

    private static void readEntry(ZipEntry e, InputStream in, String source, Map<String, INDArray> arrays)
            throws IOException {
        String where = source + " entry " + e.getName();
        if (e.isDirectory() || !e.getName().endsWith(SUFFIX)) {
            throw new IOException(where + ": not a .npy entry");
        }
        INDArray a;
        try {
            a = Npy.read(in, where);
            if (in.read() >= 0) {
                throw new IOException(where + ": trailing bytes after the array data");
            }
        } catch (ZipException | EOFException damaged) {
            throw new IOException(where + ": damaged or truncated archive: " + damaged.getMessage(), damaged);
        }
        arrays.put(e.getName().substring(0, e.getName().length() - SUFFIX.length()), a);
    }

    public static void write(Path file, Map<String, INDArray> arrays, boolean compress) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(out, arrays, compress, file.toString());
        }
    }

    /**
     * Writes the arrays in map order as {@code <name>.npy} entries, deflated if {@code compress}
     * (like {@code np.savez_compressed}) else stored (like {@code np.savez}). Finishes the ZIP but
     * does not close the stream.
     */
    public static void write(OutputStream out, Map<String, INDArray> arrays, boolean compress, String target)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, INDArray> a : arrays.entrySet()) {
            String where = target + " entry " + a.getKey() + SUFFIX;
            ByteArrayOutputStream npy = new ByteArrayOutputStream();
            Npy.write(npy, a.getValue(), where);
            byte[] bytes = npy.toByteArray();
            ZipEntry e = new ZipEntry(a.getKey() + SUFFIX);
            e.setTimeLocal(ENTRY_TIME);
            if (compress) {
                e.setMethod(ZipEntry.DEFLATED);
            } else {
                CRC32 crc = new CRC32();
                crc.update(bytes);
                e.setMethod(ZipEntry.STORED);
                e.setSize(bytes.length);
                e.setCompressedSize(bytes.length);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(bytes);
            zip.closeEntry();
        }
        zip.finish();
    }
}
