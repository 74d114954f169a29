package org.pmf.dataprep.image;

import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;

/**
 * ImageIO reports a truncated JPEG only as a warning and fills the rest with grey; PIL refuses
 * such a file ("image file is truncated"), so we do too.
 */
final class JpegWarnings implements IIOReadWarningListener {

    private String first;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
        if (first == null) {
            first = warning;
        }
    }

    void throwIfTruncated() throws BadImageException {
        if (first != null) {
            throw new BadImageException("corrupt or truncated JPEG: " + first);
        }
    }
}
