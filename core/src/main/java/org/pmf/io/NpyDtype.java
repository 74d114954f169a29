package org.pmf.io;

import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The NumPy element types this project reads and writes, each mapped to the ND4J type that holds
 * the same bits. Multi-byte types are little-endian only: that is what NumPy writes on every
 * platform the project runs on, and what ND4J's native buffers use.
 */
public enum NpyDtype {
    FLOAT32("<f4", DataType.FLOAT),
    FLOAT64("<f8", DataType.DOUBLE),
    INT32("<i4", DataType.INT),
    INT64("<i8", DataType.LONG),
    UINT8("|u1", DataType.UBYTE),
    BOOL("|b1", DataType.BOOL);

    private final String descr;
    private final DataType dataType;

    NpyDtype(String descr, DataType dataType) {
        this.descr = descr;
        this.dataType = dataType;
    }

    /** The {@code descr} string NumPy writes in a header, e.g. {@code <f4} or {@code |u1}. */
    public String descr() {
        return descr;
    }

    public DataType dataType() {
        return dataType;
    }

    public int itemSize() {
        return dataType.width();
    }

    /**
     * Parses a header's {@code descr}. One-byte types have no byte order, so NumPy's {@code |}
     * and the equivalent {@code <} and {@code =} are all accepted for them.
     */
    static NpyDtype fromDescr(String descr, String source) throws IOException {
        for (NpyDtype t : values()) {
            String code = t.descr.substring(1);
            boolean oneByte = t.itemSize() == 1;
            if (descr.equals(t.descr)
                    || (oneByte && (descr.equals("<" + code) || descr.equals("=" + code)))) {
                return t;
            }
        }
        if (descr.startsWith(">")) {
            throw new IOException(source + ": big-endian dtype '" + descr
                    + "' is not supported; save the array as little-endian (arr.astype(arr.dtype.newbyteorder('<')))");
        }
        throw new IOException(source + ": unsupported dtype '" + descr
                + "'; supported: <f4, <f8, <i4, <i8, |u1, |b1");
    }

    static NpyDtype of(DataType dataType, String source) throws IOException {
        for (NpyDtype t : values()) {
            if (t.dataType == dataType) {
                return t;
            }
        }
        throw new IOException(source + ": cannot store ND4J type " + dataType
                + " in .npy; supported: FLOAT, DOUBLE, INT, LONG, UBYTE, BOOL");
    }
}
