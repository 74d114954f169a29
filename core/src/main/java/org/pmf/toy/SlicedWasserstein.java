package org.pmf.toy;

import java.util.Arrays;

/**
 * Sliced Wasserstein-2 distance between two equally sized 2-D point sets:
 * sqrt(mean over K evenly spaced directions of W2^2 of the 1-D projections), where the 1-D W2^2
 * of two equal-size samples is the mean squared difference of their sorted values.
 */
public final class SlicedWasserstein {

    private SlicedWasserstein() {
    }

    /** a and b are row-major [n, 2] point sets of the same n. */
    public static double distance(double[] a, double[] b, int directions) {
        if (a.length != b.length || a.length % 2 != 0 || a.length == 0) {
            throw new IllegalArgumentException("sliced W2 needs two non-empty [n, 2] sets of equal size; got "
                + a.length / 2.0 + " and " + b.length / 2.0 + " points");
        }
        int n = a.length / 2;
        double[] pa = new double[n];
        double[] pb = new double[n];
        double total = 0;
        for (int k = 0; k < directions; k++) {
            double angle = Math.PI * k / directions;
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            for (int i = 0; i < n; i++) {
                pa[i] = c * a[2 * i] + s * a[2 * i + 1];
                pb[i] = c * b[2 * i] + s * b[2 * i + 1];
            }
            Arrays.sort(pa);
            Arrays.sort(pb);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double d = pa[i] - pb[i];
                sq += d * d;
            }
            total += sq / n;
        }
        return Math.sqrt(total / directions);
    }
}
