package org.pmf.io.shard;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one shard in order, batch by batch, from any Hadoop file system (file://, hdfs://, s3a://).
 * Opening checks the magic, header and that the file length matches the trailer's count (so a
 * truncated shard fails at once, naming the shard). The CRC-32 is accumulated while reading and
 * checked when the last example has been returned; a mismatch throws {@link ShardFormatException}.
 * <pre>
 *   try (ShardReader r = ShardReader.open(path, hadoopConf)) {
 *       while (r.hasNext()) {
 *           ShardBatch b = r.next(256);       // b.patchesUint8(): [n, L, P] uint8, b.labels(): int[n]
 *       }
 *   }
 * </pre>
 */
public final class ShardReader implements AutoCloseable {

    private final FSDataInputStream in;
    private final String name;
    private final ShardHeader header;
    private final long count;
    private final byte[] labelBytes;
    private final int[] labels;
    private final CRC32 crc = new CRC32();
    private final long storedCrc;
    private final byte[] countBytes;
    private long position;

    private ShardReader(FSDataInputStream in, String name, long fileLength) throws IOException {
        this.in = in;
        this.name = name;
        if (fileLength < ShardFile.PREAMBLE + ShardFile.TRAILER) {
            throw new ShardFormatException(name, "truncated: only " + fileLength + " bytes");
        }
        byte[] preamble = readFully(0, ShardFile.PREAMBLE);
        if (!Arrays.equals(Arrays.copyOf(preamble, 8), ShardFile.MAGIC)) {
            throw new ShardFormatException(name, "not a pmf shard (bad magic)");
        }
        int headerLength = ShardFile.getIntLE(preamble, 8);
        if (headerLength <= 0 || ShardFile.PREAMBLE + (long) headerLength + ShardFile.TRAILER > fileLength) {
            throw new ShardFormatException(name, "truncated or corrupt: header length " + headerLength + " in a file of " + fileLength + " bytes");
        }
        byte[] json = readFully(ShardFile.PREAMBLE, headerLength);
        this.header = ShardHeader.fromJson(new String(json, StandardCharsets.UTF_8).trim(), name);
        byte[] trailer = readFully(fileLength - ShardFile.TRAILER, ShardFile.TRAILER);
        if (!Arrays.equals(Arrays.copyOfRange(trailer, 12, 16), ShardFile.END_MAGIC)) {
            throw new ShardFormatException(name, "truncated: no end marker (file of " + fileLength + " bytes was not finished)");
        }
        this.count = ShardFile.getLongLE(trailer, 0);
        this.countBytes = Arrays.copyOf(trailer, 8);
        this.storedCrc = ShardFile.getIntLE(trailer, 8) & 0xffffffffL;
        long expected = count < 0 ? -1 : ShardFile.expectedLength(headerLength, count, header.exampleBytes());
        if (expected != fileLength) {
            throw new ShardFormatException(name, "truncated or corrupt: " + fileLength + " bytes, but header and trailer ("
                    + count + " examples) imply " + expected);
        }
        long labelsAt = fileLength - ShardFile.TRAILER - count * 4L;
        this.labelBytes = readFully(labelsAt, Math.toIntExact(count * 4L));
        this.labels = new int[(int) count];
        for (int i = 0; i < count; i++) {
            labels[i] = ShardFile.getIntLE(labelBytes, 4 * i);
        }
        crc.update(preamble);
        crc.update(json);
        in.seek(ShardFile.PREAMBLE + headerLength);
    }

    public static ShardReader open(Path path, Configuration conf) throws IOException {
        return open(path.getFileSystem(conf), path);
    }

    public static ShardReader open(FileSystem fs, Path path) throws IOException {
        long length = fs.getFileStatus(path).getLen();
        FSDataInputStream in = fs.open(path);
        try {
            return new ShardReader(in, path.toString(), length);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The shard's path, as used in error messages. */
    public String name() {
        return name;
    }

    public ShardHeader header() {
        return header;
    }

    /** Examples in the shard. */
    public long count() {
        return count;
    }

    /** All labels of the shard, in example order. */
    public int[] labels() {
        return labels.clone();
    }

    /** The CRC-32 the writer stored in the trailer (checked against the data once fully read). */
    public long storedCrc32() {
        return storedCrc;
    }

    public boolean hasNext() {
        return position < count;
    }

    /** The next up to {@code maxExamples} examples; after the last one the checksum is verified. */
    public ShardBatch next(int maxExamples) throws IOException {
        if (!hasNext()) {
            throw new IllegalStateException("shard " + name + ": no examples left");
        }
        int n = (int) Math.min(maxExamples, count - position);
        byte[] pixels = new byte[Math.multiplyExact(n, header.exampleBytes())];
        try {
            in.readFully(pixels);
        } catch (EOFException e) {
            throw new ShardFormatException(name, "truncated while reading example " + position, e);
        }
        crc.update(pixels);
        int[] batchLabels = Arrays.copyOfRange(labels, (int) position, (int) position + n);
        position += n;
        if (position == count) {
            verifyChecksum();
        }
        return new ShardBatch(header, n, pixels, batchLabels);
    }

    /** Every example at once (a 256-px shard of 1,000 images is about 197 MB). */
    public ShardBatch readAll() throws IOException {
        if (count > Integer.MAX_VALUE / header.exampleBytes()) {
            throw new ShardFormatException(name, count + " examples do not fit one array; read in batches");
        }
        return next((int) (count - position));
    }

    private void verifyChecksum() {
        crc.update(labelBytes);
        crc.update(countBytes);
        if (crc.getValue() != storedCrc) {
            throw new ShardFormatException(name, String.format("checksum mismatch: stored %08x, computed %08x", storedCrc, crc.getValue()));
        }
    }

    private byte[] readFully(long offset, int length) throws IOException {
        byte[] b = new byte[length];
        try {
            in.readFully(offset, b);
        } catch (EOFException e) {
            throw new ShardFormatException(name, "truncated at byte " + offset, e);
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
