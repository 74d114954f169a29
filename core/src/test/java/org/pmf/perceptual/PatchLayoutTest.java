package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PatchLayoutTest {

    @Test
    void patchVectorsAreRasterOrderedPatchesWithRowColumnChannelOrderChannelFastest() {
        int p = 2;
        int n = 3;
        INDArray img = Nd4j.rand(DataType.DOUBLE, 2, 3, n * p, n * p);
        INDArray patches = PatchLayout.toPatches(img, p);
        for (int b = 0; b < 2; b++) {
            for (int y = 0; y < n * p; y++) {
                for (int x = 0; x < n * p; x++) {
                    for (int c = 0; c < 3; c++) {
                        int patch = (y / p) * n + (x / p);
                        int element = ((y % p) * p + (x % p)) * 3 + c;
                        assertEquals(img.getDouble(b, c, y, x), patches.getDouble(b, patch, element));
                    }
                }
            }
        }
    }

    @Test
    void imagesAndPatchesRoundTrip() {
        INDArray patches = Nd4j.rand(DataType.FLOAT, 2, 16, 4 * 4 * 3);
        assertEquals(patches, PatchLayout.toPatches(PatchLayout.toImages(patches, 4), 4));
    }
}
