package org.pmf.dataprep;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * The regular-file members of a tar (ustar/GNU) region, found by reading only the 512-byte headers
 * and seeking over contents, so an archive on HDFS or S3 is indexed without being downloaded.
 */
final class TarIndex {

    /** A member's name and where its bytes are in the underlying file. */
    record Member(String name, long offset, long size) implements java.io.Serializable {
    }

    private static final int BLOCK = 512;

    private TarIndex() {
    }

    /** Members of the tar occupying [start, start + length) of the stream (length < 0: to end of file). */
    static List<Member> members(FSDataInputStream in, long start, long length, String where) throws IOException {
        List<Member> members = new ArrayList<>();
        byte[] h = new byte[BLOCK];
        long pos = start;
        long end = length < 0 ? Long.MAX_VALUE : start + length;
        String longName = null;
        while (pos + BLOCK <= end) {
            try {
                in.readFully(pos, h);
            } catch (EOFException e) {
                if (length < 0) {
                    break;
                }
                throw new IOException("tar " + where + " is truncated at byte " + pos, e);
            }
            if (isZero(h)) {
                break;
            }
            long size = number(h, 124, 12, where);
            char type = (char) h[156];
            long data = pos + BLOCK;
            if (type == 'L') {
                byte[] name = new byte[Math.toIntExact(size)];
                in.readFully(data, name);
                longName = cString(name, 0, name.length);
            } else {
                if (type == '0' || type == 0) {
                    String name = longName != null ? longName : ustarName(h);
                    members.add(new Member(name, data, size));
                }
                longName = null;
            }
            pos = data + (size + BLOCK - 1) / BLOCK * BLOCK;
        }
        return members;
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long number(byte[] h, int off, int len, String where) throws IOException {
        if ((h[off] & 0x80) != 0) { // GNU base-256 for sizes of 8 GiB and more
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        String s = cString(h, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar " + where + ": corrupt header (size field \"" + s + "\")", e);
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
