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
public final class NativeBytes {

    private static final int CHUNK = 1 << 16;

    private NativeBytes() {
    }

    static long byteCount(INDArray a) {
        return a.length() * a.dataType().width();
    }

    /**
     * Whether the array's buffer holds exactly its elements in C order from position 0, so the
     * buffer can be copied as is. Checked on the strides: ND4J reports {@code ordering() == 'c'}
     * and {@code isView() == false} for some permuted arrays too.
     */
    public static boolean isDenseC(INDArray a) {
        return a.offset() == 0 && a.data().length() == a.length() && isContiguousC(a);
    }

    /**
     * Whether the array's elements lie in C order in one unbroken range of its buffer (from
     * {@code offset()}), as for a reshaped slice of a flat parameter vector.
     */
    public static boolean isContiguousC(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /**
     * Fills the buffer range {@code [offset, offset + length)} of the target from exactly its byte
     * count: for a fresh array (C- or, for Fortran files, F-ordered) or an {@link #isContiguousC}
     * view, that range is the array's elements in its order.
     */
    static void readInto(InputStream in, INDArray target, String what) throws IOException {
        long bytes = byteCount(target);
        if (bytes == 0) {
            return;
        }
        long start = target.offset() * target.dataType().width();
        if (start + bytes > Integer.MAX_VALUE) {
            throw new IOException(what + ": arrays over 2 GiB (" + bytes + " bytes) are not supported");
        }
        ByteBuffer dst = target.data().asNio().duplicate();
        dst.limit((int) (start + bytes)).position((int) start);
        byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
        while (dst.hasRemaining()) {
            int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
            if (n < 0) {
                throw new IOException(what + ": truncated: expected " + bytes + " bytes of data, got "
                        + (dst.position() - start));
            }
            dst.put(chunk, 0, n);
        }
    }

    /** Writes the array's elements in C order (copying first unless {@link #isDenseC}). */
    static void writeFrom(INDArray array, OutputStream out) throws IOException {
        long bytes = byteCount(array);
        if (bytes == 0) {
            return;
        }
        INDArray c = isDenseC(array) ? array : array.dup('c');
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
