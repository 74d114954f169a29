package org.pmf.io.shard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * Streams examples into one shard. Pixels go straight to the output stream; only the labels
 * (4 bytes each) are held until {@link #finish()}, which appends them and the trailer.
 */
public final class ShardWriter implements AutoCloseable {

    private final OutputStream out;
    private final String name;
    private final ShardHeader header;
    private final CRC32 crc = new CRC32();
    private final ByteArrayOutputStream labels = new ByteArrayOutputStream();
    private final byte[] labelBytes = new byte[4];
    private long count;
    private long bytes;
    private ShardInfo finished;

    /** Takes ownership of {@code out}; {@code name} is the shard's file name, for the manifest and errors. */
    public ShardWriter(OutputStream out, String name, ShardHeader header) throws IOException {
        this.out = out;
        this.name = name;
        this.header = header;
        byte[] json = ShardFile.paddedHeader(header);
        byte[] preamble = new byte[ShardFile.PREAMBLE];
        System.arraycopy(ShardFile.MAGIC, 0, preamble, 0, 8);
        ShardFile.putIntLE(preamble, 8, json.length);
        emit(preamble, 0, preamble.length);
        emit(json, 0, json.length);
    }

    /** One example: {@code patches} holds L*P uint8 values in the shard's layout. */
    public void write(byte[] patches, int label) throws IOException {
        if (finished != null) {
            throw new IllegalStateException("shard " + name + " is already finished");
        }
        if (patches.length != header.exampleBytes()) {
            throw new IllegalArgumentException("shard " + name + ": example has " + patches.length
                    + " bytes, header says " + header.exampleBytes());
        }
        if (label < 0 || label >= header.numClasses()) {
            throw new IllegalArgumentException("shard " + name + ": label " + label + " outside [0, " + header.numClasses() + ")");
        }
        emit(patches, 0, patches.length);
        ShardFile.putIntLE(labelBytes, 0, label);
        labels.write(labelBytes);
        count++;
    }

    public long count() {
        return count;
    }

    /** Appends labels and trailer, closes the stream and says what was written. */
    public ShardInfo finish() throws IOException {
        if (finished != null) {
            return finished;
        }
        byte[] l = labels.toByteArray();
        emit(l, 0, l.length);
        byte[] countBytes = new byte[8];
        ShardFile.putLongLE(countBytes, 0, count);
        emit(countBytes, 0, 8);
        byte[] tail = new byte[8];
        long checksum = crc.getValue();
        ShardFile.putIntLE(tail, 0, (int) checksum);
        System.arraycopy(ShardFile.END_MAGIC, 0, tail, 4, 4);
        out.write(tail);
        bytes += 8;
        out.close();
        finished = new ShardInfo(name, count, bytes, checksum);
        return finished;
    }

    /** Closes the stream; a shard closed without {@link #finish()} has no trailer and readers reject it. */
    @Override
    public void close() throws IOException {
        if (finished == null) {
            out.close();
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        crc.update(b, off, len);
        bytes += len;
    }
}
