package org.pmf.io.shard;

import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a shard file (all integers little-endian):
 * <pre>
 *   0        magic "PMFSHARD"
 *   8        uint32 H, length of the header JSON (space-padded so that 12 + H is a multiple of 64)
 *   12       header JSON (UTF-8), see {@link ShardHeader}
 *   12+H     pixels: N x L x P uint8
 *   ...      labels: N x int32
 *   end-16   uint64 N, uint32 CRC-32 (zlib) of all bytes before it, magic "PEND"
 * </pre>
 * The count comes last so a writer can stream examples straight to object storage without
 * knowing in advance how many images of its share decode.
 */
final class ShardFile {

    static final byte[] MAGIC = "PMFSHARD".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "PEND".getBytes(StandardCharsets.US_ASCII);
    static final int PREAMBLE = 12;
    static final int TRAILER = 16;
    static final int ALIGN = 64;

    private ShardFile() {
    }

    static byte[] paddedHeader(ShardHeader header) {
        byte[] json = header.toJson().getBytes(StandardCharsets.UTF_8);
        int padded = ((PREAMBLE + json.length + ALIGN - 1) / ALIGN) * ALIGN - PREAMBLE;
        byte[] out = new byte[padded];
        java.util.Arrays.fill(out, (byte) ' ');
        System.arraycopy(json, 0, out, 0, json.length);
        return out;
    }

    static long expectedLength(int headerLength, long count, int exampleBytes) {
        return PREAMBLE + headerLength + count * exampleBytes + count * 4L + TRAILER;
    }

    static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void putLongLE(byte[] b, int off, long v) {
        putIntLE(b, off, (int) v);
        putIntLE(b, off + 4, (int) (v >>> 32));
    }

    static long getLongLE(byte[] b, int off) {
        return (getIntLE(b, off) & 0xffffffffL) | ((long) getIntLE(b, off + 4)) << 32;
    }
}
