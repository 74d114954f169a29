package org.pmf.dataprep;

import java.io.Serializable;

/**
 * One input image: a file, or {@code length} bytes at {@code offset} inside an archive file.
 * {@code name} is what reports show (the file path, or archive!member).
 */
public record ImageRef(String path, long offset, long length, int label, String name) implements Serializable {

    public static ImageRef file(String path, int label) {
        return new ImageRef(path, 0, -1, label, path);
    }

    public boolean wholeFile() {
        return length < 0;
    }
}
