package org.pmf.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies an array's elements, in C order, between a stream and the array's native buffer. The
 * file formats here are little-endian, as are ND4J's native buffers on the x86-64 and arm64
 * hosts the project runs on, so bytes are copied as they are.
 */
final class NativeBytes {

    private static final int CHUNK = 1 << 16;

    private NativeBytes() {
    }

    static long byteCount(INDArray a) {
        return a.length() * a.dataType().width();
    }

    /** Fills a fresh C-ordered (or, for Fortran files, F-ordered) array from exactly its byte count. */
    static void readInto(InputStream in, INDArray target, String what) throws IOException {
        long bytes = byteCount(target);
        if (bytes == 0) {
            return;
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException(what + ": arrays over 2 GiB (" + bytes + " bytes) are not supported");
        }
        ByteBuffer dst = target.data().asNio().duplicate();
        dst.position(0).limit((int) bytes);
        byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
        while (dst.hasRemaining()) {
            int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
            if (n < 0) {
                throw new IOException(what + ": truncated: expected " + bytes + " bytes of data, got "
                        + dst.position());
            }
            dst.put(chunk, 0, n);
        }
    }

    /** Writes the array's elements in C order (copying first only if it is a view or F-ordered). */
    static void writeFrom(INDArray array, OutputStream out) throws IOException {
        long bytes = byteCount(array);
        if (bytes == 0) {
            return;
        }
        INDArray c = array.ordering() == 'c' && !array.isView() ? array : array.dup('c');
        ByteBuffer src = c.data().asNio().duplicate();
        src.position(0).limit(Math.toIntExact(bytes));
        byte[] chunk = new byte[Math.min(CHUNK, src.remaining())];
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }
}
