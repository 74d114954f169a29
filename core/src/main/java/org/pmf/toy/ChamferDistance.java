package org.pmf.toy;

/**
 * Symmetric mean nearest-neighbour (Chamfer) distance between two 2-D point sets:
 * (mean over a of min over b |a - b| + mean over b of min over a |a - b|) / 2.
 *
 * <p>It complements the sliced Wasserstein distance, which is a distance between distributions
 * and rates a Gaussian blob with about the data's covariance nearly as well as a rough Swiss roll
 * (a blob's 1-D projections are close to the roll's). The first term (how far samples lie from
 * the data: "precision") is large for a blob, whose points fill the gaps between the arms; the
 * second ("coverage") is large for a collapsed point or line.
 */
public final class ChamferDistance {

    private ChamferDistance() {
    }

    /** a and b are row-major [n, 2] and [m, 2] point sets. */
    public static double distance(double[] a, double[] b) {
        return (oneWay(a, b) + oneWay(b, a)) / 2;
    }

    /** Mean over the points of a of the distance to the nearest point of b. */
    public static double oneWay(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0 || a.length % 2 != 0 || b.length % 2 != 0) {
            throw new IllegalArgumentException("Chamfer distance needs two non-empty [n, 2] sets; got " + a.length / 2.0 + " and "
                + b.length / 2.0 + " points");
        }
        double total = 0;
        for (int i = 0; i < a.length; i += 2) {
            int j = nearest(a[i], a[i + 1], b);
            total += Math.hypot(a[i] - b[j], a[i + 1] - b[j + 1]);
        }
        return total / (a.length / 2);
    }

    /** The offset in {@code set} (row-major [m, 2], m >= 1) of the point nearest to (x, y). */
    public static int nearest(double x, double y, double[] set) {
        double best = Double.POSITIVE_INFINITY;
        int at = 0;
        for (int j = 0; j < set.length; j += 2) {
            double dx = x - set[j];
            double dy = y - set[j + 1];
            double d = dx * dx + dy * dy;
            if (d < best) {
                best = d;
                at = j;
            }
        }
        return at;
    }
}
