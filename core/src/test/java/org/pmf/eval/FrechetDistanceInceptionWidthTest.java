package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.io.NpzArchive;

/**
 * The Frechet distance at the Inception pool width (2048): two 2048 x 2048 double eigendecompositions,
 * a few seconds on an idle 2-core machine (about a minute when the machine is shared), so in a class of its own.
 */
class FrechetDistanceInceptionWidthTest {

    @Test
    void inceptionWidthCovariancesMatchScipySqrtmWithin1e6Relative() {
        NpzArchive f = EvalFixture.load("frechet_2048.npz");
        FeatureStatistics a = new FeatureStatistics(f.get("mu1"), lowRankPlusDiagonal(f.get("u1"), f.get("diag1")), -1);
        FeatureStatistics b = new FeatureStatistics(f.get("mu2"), lowRankPlusDiagonal(f.get("u2"), f.get("diag2")), -1);
        double expected = f.get("fd").getDouble(0);
        assertEquals(expected, FrechetDistance.between(a, b), 1e-6 * expected);
    }

    private static INDArray lowRankPlusDiagonal(INDArray u, INDArray diag) {
        return u.mmul(u.transpose()).addi(Nd4j.diag(diag));
    }
}
