package org.pmf.eval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.sample.ImageGrid;

/** A picture of class-conditional samples: one row per class, labelled with the class name. */
public final class ClassGrid {

    private ClassGrid() {
    }

    /**
     * The first {@code perClass} images of each class in {@code names} order.
     *
     * @param images uint8 [N, S, S, 3]
     * @param labels class of each image; every class needs at least {@code perClass} images
     */
    public static ImageGrid of(INDArray images, int[] labels, List<String> names, int perClass) {
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            int found = 0;
            for (int i = 0; i < labels.length && found < perClass; i++) {
                if (labels[i] == c) {
                    chosen.add(i);
                    found++;
                }
            }
            if (found < perClass) {
                throw new IllegalArgumentException("class " + c + " (" + names.get(c) + ") has " + found + " images, the grid needs " + perClass);
            }
        }
        long[] shape = images.shape();
        INDArray flat = images.reshape('c', shape[0], shape[1] * shape[2] * shape[3]);
        INDArray rows = Nd4j.pullRows(flat, 1, chosen.stream().mapToInt(Integer::intValue).toArray());
        return ImageGrid.ofImages(rows.reshape('c', chosen.size(), shape[1], shape[2], shape[3]))
            .columns(perClass).scale(2).rowLabels(names);
    }
}
