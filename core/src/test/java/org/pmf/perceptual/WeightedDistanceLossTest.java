package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.data.PatchLayout;

/**
 * The perceptual loss on a tiny setup (16 x 16 images, patch 4, crops resized to 32, the random
 * small LPIPS and ConvNeXt-V2 of the fixtures) in double precision.
 */
class WeightedDistanceLossTest {

    private static final int PATCH = 4;
    private static final int SIDE = 16;
    private static final PatchLayout LAYOUT = PatchLayout.rgb(SIDE, PATCH);
    private static final double MAX_T = 0.8;
    private static final double EPS = 0.01;
    private static final double LPIPS_WEIGHT = 0.4;
    private static final double CONVNEXT_WEIGHT = 0.1;

    private static WeightedDistanceLoss shared;

    /** One instance for all tests: building and differentiating the graphs dominates their time. */
    private static synchronized WeightedDistanceLoss tinyLoss() {
        if (shared == null) {
            shared = buildTinyLoss();
        }
        return shared;
    }

    private static WeightedDistanceLoss buildTinyLoss() {
        Fixture lp = Fixture.load("lpips.npz");
        Fixture cn = Fixture.load("convnext.npz");
        PerceptualDistance lpips = LpipsVgg.load(lp.weightsWithout(Set.of("input0", "input1", "distance", "width_divisor")), 16, DataType.DOUBLE);
        PerceptualDistance cnx = ConvNextV2Features.load(cn.weightsWithout(Set.of("input", "features", "dims", "depths")),
            new ConvNextV2Features.Shape(cn.get("dims").toLongVector(), cn.get("depths").toIntVector()), DataType.DOUBLE);
        return new WeightedDistanceLoss(List.of(new WeightedDistanceLoss.Term(lpips, LPIPS_WEIGHT),
            new WeightedDistanceLoss.Term(cnx, CONVNEXT_WEIGHT)), LAYOUT, MAX_T, 32,
            new RandomResizedCrop(0.08, 1.0, 3.0 / 4, 4.0 / 3), EPS, DataType.DOUBLE);
    }

    private static INDArray images(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, SIDE, SIDE).muli(2).subi(1);
        return LAYOUT.patchify(x.permute(0, 2, 3, 1).dup('c'));
    }

    @Test
    void gradientMatchesCentralFiniteDifferencesOfTheWeightedDistances() {
        WeightedDistanceLoss loss = tinyLoss();
        INDArray pred = images(1);
        INDArray target = images(2);
        double[] t = {0.3, 0.5, 0.7};
        PerceptualLoss.Result r = loss.evaluate(pred, target, t, new SplittableRandom(7));
        // each finite difference runs both networks twice in double precision: a few coordinates suffice
        SplittableRandom pick = new SplittableRandom(3);
        double h = 1e-6;
        for (int n = 0; n < 4; n++) {
            int b = pick.nextInt(3);
            int l = pick.nextInt((int) pred.size(1));
            int e = pick.nextInt((int) pred.size(2));
            // The adaptive weight lambda / (d + c) is under stop-gradient: the oracle differentiates d.
            Map<String, INDArray> plus = distancesAfterNudge(loss, pred, target, t, b, l, e, h);
            Map<String, INDArray> minus = distancesAfterNudge(loss, pred, target, t, b, l, e, -h);
            double expected = 0;
            for (String term : List.of("lpips", "convnext")) {
                double d = r.distances().get(term).getDouble(b);
                double lambda = term.equals("lpips") ? LPIPS_WEIGHT : CONVNEXT_WEIGHT;
                expected += lambda / (d + EPS) * (plus.get(term).getDouble(b) - minus.get(term).getDouble(b)) / (2 * h);
            }
            double actual = r.gradient().getDouble(b, l, e);
            assertEquals(expected, actual, 1e-6 * Math.max(1.0, Math.abs(expected)) + 1e-8,
                "gradient at example " + b + ", patch " + l + ", element " + e);
        }
    }

    private static Map<String, INDArray> distancesAfterNudge(WeightedDistanceLoss loss, INDArray pred, INDArray target,
                                                             double[] t, int b, int l, int e, double h) {
        INDArray p = pred.dup();
        p.putScalar(new long[] {b, l, e}, p.getDouble(b, l, e) + h);
        return loss.forward(p, target, t, new SplittableRandom(7)).distances();
    }

    @Test
    void lossAndGradientAreZeroWhereTIsAtOrAboveTheThreshold() {
        WeightedDistanceLoss loss = tinyLoss();
        double[] t = {0.79, MAX_T, 0.95};
        PerceptualLoss.Result r = loss.evaluate(images(1), images(2), t, new SplittableRandom(7));
        assertTrue(r.loss().getDouble(0) > 0);
        assertTrue(r.gradient().get(NDArrayIndex.point(0)).amaxNumber().doubleValue() > 0);
        for (int b = 1; b < 3; b++) {
            assertEquals(0.0, r.loss().getDouble(b));
            assertEquals(0.0, r.gradient().get(NDArrayIndex.point(b)).amaxNumber().doubleValue());
        }
    }

    @Test
    void eachTermContributesItsWeightTimesTheAdaptivelyWeightedDistance() {
        WeightedDistanceLoss loss = tinyLoss();
        PerceptualLoss.Result r = loss.evaluate(images(1), images(2), new double[] {0.1, 0.2, 0.3}, new SplittableRandom(7));
        for (int b = 0; b < 3; b++) {
            double dl = r.distances().get("lpips").getDouble(b);
            double dc = r.distances().get("convnext").getDouble(b);
            assertTrue(dl > 0 && dc > 0);
            assertEquals(LPIPS_WEIGHT * dl / (dl + EPS) + CONVNEXT_WEIGHT * dc / (dc + EPS), r.loss().getDouble(b), 1e-12);
        }
    }

    @Test
    void aFullImageCropAtTheImageSizeFeedsTheNetworkTheImageItself() {
        Fixture lp = Fixture.load("lpips.npz");
        PerceptualDistance lpips = LpipsVgg.load(lp.weightsWithout(Set.of("input0", "input1", "distance", "width_divisor")), 16, DataType.DOUBLE);
        WeightedDistanceLoss loss = new WeightedDistanceLoss(List.of(new WeightedDistanceLoss.Term(lpips, 1.0)), LAYOUT, MAX_T, SIDE,
            new RandomResizedCrop(1.0, 1.0, 1.0, 1.0), EPS, DataType.DOUBLE);
        INDArray pred = images(1);
        INDArray target = images(2);
        PerceptualLoss.Result r = loss.forward(pred, target, new double[] {0.1, 0.2, 0.3}, new SplittableRandom(1));
        INDArray direct = lpips.distance(LAYOUT.unpatchify(pred).permute(0, 3, 1, 2).dup('c'),
            LAYOUT.unpatchify(target).permute(0, 3, 1, 2).dup('c'));
        assertTrue(Fixture.relativeError(r.distances().get("lpips"), direct) < 1e-12);
    }
}
