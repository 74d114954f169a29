package org.pmf.dataprep.image;

/**
 * The two facts the decoder needs from a JPEG's header segments, read straight from the bytes
 * (ImageIO's metadata tree costs about as much as a small decode): the number of colour
 * components in the frame header, and the Adobe APP14 transform (-1 without an Adobe marker).
 */
record JpegMarkers(int components, int adobeTransform) {

    static JpegMarkers scan(byte[] d) throws BadImageException {
        int components = -1;
        int adobe = -1;
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
            }
            pos += 2 + length;
        }
        if (components < 0) {
            throw new BadImageException("corrupt or truncated JPEG: no frame header before the image data");
        }
        return new JpegMarkers(components, adobe);
    }
}
