package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch of network inputs, in the project's patch layout.
 *
 * @param patches [B, L, p*p*3]: L patches in raster order over the grid, each flattened
 *                (row-in-patch, column-in-patch, channel) with channel fastest
 * @param labels  class per example, in [0, numClasses]; numClasses is the null class
 * @param omega   guidance scale per example, >= 1 (embedded as 1 - 1/omega)
 * @param tMin    start of the guidance interval per example
 * @param tMax    end of the guidance interval per example
 * @param h       t - r per example; the network never sees t itself
 */
public record PmfInputs(INDArray patches, int[] labels, double[] omega, double[] tMin, double[] tMax, double[] h) {

    public PmfInputs {
        if (patches == null || patches.rank() != 3) {
            throw new IllegalArgumentException("patches must be [B, L, p*p*3], got "
                + (patches == null ? "null" : java.util.Arrays.toString(patches.shape())));
        }
        long b = patches.size(0);
        check("labels", labels == null ? -1 : labels.length, b);
        check("omega", omega == null ? -1 : omega.length, b);
        check("tMin", tMin == null ? -1 : tMin.length, b);
        check("tMax", tMax == null ? -1 : tMax.length, b);
        check("h", h == null ? -1 : h.length, b);
        for (int i = 0; i < b; i++) {
            if (!(omega[i] > 0)) {
                throw new IllegalArgumentException("omega[" + i + "] = " + omega[i] + " must be positive (guidance scale >= 1)");
            }
        }
    }

    private static void check(String name, int length, long batch) {
        if (length != batch) {
            throw new IllegalArgumentException(name + " has " + length + " entries; the batch has " + batch);
        }
    }

    public int batch() {
        return (int) patches.size(0);
    }
}
