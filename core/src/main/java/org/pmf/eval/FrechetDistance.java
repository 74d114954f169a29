package org.pmf.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frechet distance between two Gaussians fitted to feature sets (Heusel et al. 2017):
 * |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^{1/2}).
 *
 * <p>S1 S2 is not symmetric, and a general matrix square root (scipy's sqrtm, as pytorch-fid) can
 * turn complex or lose digits when the covariances are near singular. Here the trace comes from the
 * symmetric positive semi-definite matrix M = S1^{1/2} S2 S1^{1/2}, which is similar to S1 S2 and so
 * has the same eigenvalues: tr((S1 S2)^{1/2}) = sum sqrt(eig(M)). Both steps are symmetric
 * eigendecompositions in double precision; eigenvalues that rounding pushes below zero count as zero.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    public static double between(FeatureStatistics a, FeatureStatistics b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("Frechet distance between features of different widths: "
                + a.dimension() + " and " + b.dimension());
        }
        INDArray diff = a.mu().sub(b.mu());
        double meanTerm = diff.mul(diff).sumNumber().doubleValue();
        INDArray rootA = SymmetricEigen.of(a.sigma()).psdSquareRoot();
        INDArray m = rootA.mmul(b.sigma()).mmul(rootA);
        double traceRoot = SymmetricEigen.valuesOf(m).traceOfPsdSquareRoot();
        double trA = trace(a.sigma());
        double trB = trace(b.sigma());
        return meanTerm + trA + trB - 2 * traceRoot;
    }

    static double trace(INDArray square) {
        double sum = 0;
        for (long i = 0; i < square.size(0); i++) {
            sum += square.getDouble(i, i);
        }
        return sum;
    }

    /** The distance between the feature sets [n1, d] and [n2, d]. */
    public static double between(INDArray featuresA, INDArray featuresB) {
        return between(FeatureStatistics.of(featuresA), FeatureStatistics.of(featuresB));
    }
}
