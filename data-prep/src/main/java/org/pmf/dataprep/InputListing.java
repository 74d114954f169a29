package org.pmf.dataprep;

import java.util.List;

/** What the driver found: class wnids in index order and every input image with its label. */
public record InputListing(List<String> classes, List<ImageRef> images) {

    public InputListing {
        classes = List.copyOf(classes);
        images = List.copyOf(images);
    }
}
