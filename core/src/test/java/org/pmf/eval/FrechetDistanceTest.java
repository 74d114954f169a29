package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.io.Npz;
import org.pmf.io.NpzArchive;

class FrechetDistanceTest {

    @Test
    void identicalFeatureSetsAreAtDistanceZero() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 400, 16).mmul(Nd4j.randn(DataType.DOUBLE, 16, 16)).addi(3.0);
        FeatureStatistics s = FeatureStatistics.of(x);
        double trace = FrechetDistance.trace(s.sigma());
        assertEquals(0.0, FrechetDistance.between(x, x.dup()), 1e-10 * trace);
    }

    @Test
    void commutingCovariancesMatchTheClosedForm() {
        // S1 = Q diag(a) Q^T and S2 = Q diag(b) Q^T commute, so (S1 S2)^{1/2} = Q diag(sqrt(a b)) Q^T and
        // FD = |mu1 - mu2|^2 + sum (sqrt(a) - sqrt(b))^2.
        Nd4j.getRandom().setSeed(2);
        int d = 12;
        INDArray r = Nd4j.randn(DataType.DOUBLE, d, d);
        INDArray q = SymmetricEigen.of(r.add(r.transpose())).vectors;
        double[] a = new double[d];
        double[] b = new double[d];
        double expected = 0;
        for (int i = 0; i < d; i++) {
            a[i] = 0.1 + i * 0.3;
            b[i] = 2.0 / (1 + i);
            expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        INDArray mu1 = Nd4j.randn(DataType.DOUBLE, d);
        INDArray mu2 = Nd4j.randn(DataType.DOUBLE, d);
        expected += mu1.squaredDistance(mu2);
        INDArray s1 = q.mulRowVector(Nd4j.createFromArray(a)).mmul(q.transpose());
        INDArray s2 = q.mulRowVector(Nd4j.createFromArray(b)).mmul(q.transpose());
        double fd = FrechetDistance.between(new FeatureStatistics(mu1, s1, -1), new FeatureStatistics(mu2, s2, -1));
        assertEquals(expected, fd, 1e-10 * expected);
    }

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        INDArray mu1 = Nd4j.createFromArray(0.0, 1.0, 2.0);
        INDArray mu2 = Nd4j.createFromArray(1.0, 1.0, 0.0);
        INDArray s1 = Nd4j.diag(Nd4j.createFromArray(1.0, 4.0, 9.0));
        INDArray s2 = Nd4j.diag(Nd4j.createFromArray(4.0, 4.0, 1.0));
        // |mu1 - mu2|^2 = 1 + 0 + 4; sum (sqrt a - sqrt b)^2 = 1 + 0 + 4.
        double fd = FrechetDistance.between(new FeatureStatistics(mu1, s1, -1), new FeatureStatistics(mu2, s2, -1));
        assertEquals(10.0, fd, 1e-12);
    }

    @Test
    void featureSetsMatchPytorchFidWithScipySqrtmWithin1e6Relative() {
        NpzArchive f = EvalFixture.load("frechet_small.npz");
        FeatureStatistics a = FeatureStatistics.of(f.get("features_a"));
        FeatureStatistics b = FeatureStatistics.of(f.get("features_b"));
        assertTrue(a.mu().equalsWithEps(f.get("mu_a"), 1e-12));
        assertTrue(a.sigma().equalsWithEps(f.get("sigma_a"), 1e-12));
        assertTrue(b.sigma().equalsWithEps(f.get("sigma_b"), 1e-12));
        double expected = f.get("fd").getDouble(0);
        assertEquals(expected, FrechetDistance.between(a, b), 1e-6 * expected);
    }

    @Test
    void accumulatingInBatchesEqualsOneBatch() {
        NpzArchive f = EvalFixture.load("frechet_small.npz");
        INDArray x = f.get("features_b");
        FeatureStatistics.Accumulator acc = new FeatureStatistics.Accumulator(x.size(1));
        acc.add(x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()));
        acc.add(x.get(NDArrayIndex.interval(1, 100), NDArrayIndex.all()));
        acc.add(x.get(NDArrayIndex.interval(100, x.size(0)), NDArrayIndex.all()));
        FeatureStatistics whole = FeatureStatistics.of(x);
        FeatureStatistics parts = acc.result();
        assertEquals(x.size(0), parts.count());
        assertTrue(whole.mu().equalsWithEps(parts.mu(), 1e-12));
        assertTrue(whole.sigma().equalsWithEps(parts.sigma(), 1e-12));
    }

    @Test
    void referenceStatisticsRoundTripThroughNpz(@TempDir Path dir) throws IOException {
        NpzArchive f = EvalFixture.load("frechet_small.npz");
        FeatureStatistics s = FeatureStatistics.of(f.get("features_a"));
        Path file = dir.resolve("ref.npz");
        s.writeNpz(file);
        FeatureStatistics back = FeatureStatistics.readNpz(file);
        assertTrue(back.mu().equalsWithEps(s.mu(), 0));
        assertTrue(back.sigma().equalsWithEps(s.sigma(), 0));
    }

    @Test
    void referenceStatisticsWithoutSigmaAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.npz");
        Npz.write(file, Map.of("mu", Nd4j.zeros(DataType.DOUBLE, 4)), false);
        IOException e = assertThrows(IOException.class, () -> FeatureStatistics.readNpz(file));
        assertTrue(e.getMessage().contains("broken.npz") && e.getMessage().contains("sigma"), e.getMessage());
        assertTrue(Files.exists(file));
    }

    @Test
    void differentFeatureWidthsAreRefused() {
        FeatureStatistics a = new FeatureStatistics(Nd4j.zeros(DataType.DOUBLE, 3), Nd4j.eye(3).castTo(DataType.DOUBLE), -1);
        FeatureStatistics b = new FeatureStatistics(Nd4j.zeros(DataType.DOUBLE, 4), Nd4j.eye(4).castTo(DataType.DOUBLE), -1);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(a, b));
    }
}
