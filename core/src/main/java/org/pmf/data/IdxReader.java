package org.pmf.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files (the MNIST file format: magic {@code 0x0000 08 rank}, big-endian
 * int32 dimensions, then the bytes), gzip-compressed or not: compression is recognised by its magic
 * bytes, not the file name.
 */
final class IdxReader {

    /** The dimensions and the first {@code limit} items' bytes of one file. */
    record Idx(int[] dims, byte[] data) {
    }

    private IdxReader() {
    }

    /**
     * @param expectedRank 1 for labels, 3 for images
     * @param limit read at most this many items (along the first dimension)
     */
    static Idx read(Path file, int expectedRank, int limit) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(new DataInputStream(in), file, expectedRank, limit);
        }
    }

    private static Idx read(DataInputStream in, Path file, int expectedRank, int limit) throws IOException {
        try {
            int magic = in.readInt();
            int type = (magic >> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != 0x08) {
                throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            if (rank != expectedRank) {
                throw new IOException(file + ": IDX rank " + rank + ", expected " + expectedRank);
            }
            int[] dims = new int[rank];
            long itemBytes = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new IOException(file + ": negative IDX dimension " + dims[i]);
                }
                if (i > 0) {
                    itemBytes *= dims[i];
                }
            }
            dims[0] = Math.min(dims[0], limit);
            long total = itemBytes * dims[0];
            if (total > Integer.MAX_VALUE) {
                throw new IOException(file + ": " + total + " bytes is more than one array can hold");
            }
            byte[] data = new byte[(int) total];
            in.readFully(data);
            return new Idx(dims, data);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX file", e);
        }
    }
}
