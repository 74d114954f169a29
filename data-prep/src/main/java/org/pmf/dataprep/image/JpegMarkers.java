package org.pmf.dataprep.image;

import java.util.Arrays;

/**
 * The facts the decoder needs from a JPEG's header segments, read straight from the bytes
 * (ImageIO's metadata tree costs about as much as a small decode): the number of colour
 * components in the frame header, the Adobe APP14 transform (-1 without an Adobe marker), and
 * where the APP2 ICC_PROFILE segments are (start, end pairs of byte offsets; empty without any).
 */
record JpegMarkers(int components, int adobeTransform, int[] iccSegments) {

    private static final byte[] ICC_PROFILE = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0};

    static JpegMarkers scan(byte[] d) throws BadImageException {
        int components = -1;
        int adobe = -1;
        int[] icc = new int[0];
        int pos = 2;
        while (pos + 4 <= d.length) {
            if ((d[pos] & 0xff) != 0xff) {
                throw new BadImageException("corrupt or truncated JPEG: no marker at byte " + pos);
            }
            int marker = d[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                break; // start of scan: all frame and colour headers are behind us
            }
            int length = (d[pos + 2] & 0xff) << 8 | (d[pos + 3] & 0xff);
            int data = pos + 4;
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof && data + 5 < d.length) {
                components = d[data + 5] & 0xff;
            } else if (marker == 0xee && length >= 14 && data + 11 < d.length
                    && d[data] == 'A' && d[data + 1] == 'd' && d[data + 2] == 'o' && d[data + 3] == 'b' && d[data + 4] == 'e') {
                adobe = d[data + 11] & 0xff;
            } else if (marker == 0xe2 && length >= 2 + ICC_PROFILE.length && pos + 2 + length <= d.length
                    && Arrays.equals(d, data, data + ICC_PROFILE.length, ICC_PROFILE, 0, ICC_PROFILE.length)) {
                icc = Arrays.copyOf(icc, icc.length + 2);
                icc[icc.length - 2] = pos;
                icc[icc.length - 1] = pos + 2 + length;
            }
            pos += 2 + length;
        }
        if (components < 0) {
            throw new BadImageException("corrupt or truncated JPEG: no frame header before the image data");
        }
        return new JpegMarkers(components, adobe, icc);
    }

    /** The file's bytes without its ICC_PROFILE segments (the same array when it has none). */
    byte[] withoutIccProfile(byte[] d) {
        if (iccSegments.length == 0) {
            return d;
        }
        int removed = 0;
        for (int i = 0; i < iccSegments.length; i += 2) {
            removed += iccSegments[i + 1] - iccSegments[i];
        }
        byte[] out = new byte[d.length - removed];
        int from = 0;
        int to = 0;
        for (int i = 0; i < iccSegments.length; i += 2) {
            int n = iccSegments[i] - from;
            System.arraycopy(d, from, out, to, n);
            to += n;
            from = iccSegments[i + 1];
        }
        System.arraycopy(d, from, out, to, d.length - from);
        return out;
    }
}
