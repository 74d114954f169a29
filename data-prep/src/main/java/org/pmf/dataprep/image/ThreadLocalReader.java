package org.pmf.dataprep.image;

import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * One ImageIO reader of a format per thread, reused from image to image: creating a JPEG reader
 * allocates libjpeg's native state and registers it with the JDK's disposer, which costs a
 * measurable share of a small image's decode. Readers are not thread-safe, hence one per thread.
 * A reader that failed is disposed and replaced, so no half-reset native state leaks into the next image.
 */
final class ThreadLocalReader {

    private final String format;
    private final ThreadLocal<ImageReader> readers = new ThreadLocal<>();

    ThreadLocalReader(String format) {
        this.format = format;
    }

    ImageReader get() {
        ImageReader reader = readers.get();
        if (reader == null) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
            if (!it.hasNext()) {
                throw new IllegalStateException("no ImageIO reader for " + format + " in this JVM");
            }
            reader = it.next();
            readers.set(reader);
        }
        return reader;
    }

    /** After a successful read: drops the input and listeners, keeps the reader. */
    void release(ImageReader reader) {
        reader.reset();
    }

    /** After a failed read: the reader is not used again. */
    void discard(ImageReader reader) {
        readers.remove();
        reader.dispose();
    }
}
