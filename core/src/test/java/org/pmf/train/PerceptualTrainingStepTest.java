package org.pmf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.data.PatchLayout;
import org.pmf.model.Heads;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.nn.Param;
import org.pmf.nn.TestArrays;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.objective.XPrediction;
import org.pmf.perceptual.Fixture;
import org.pmf.perceptual.LpipsVgg;
import org.pmf.perceptual.PerceptualDistance;
import org.pmf.perceptual.RandomResizedCrop;
import org.pmf.perceptual.WeightedDistanceLoss;

/**
 * The perceptual term inside the whole training step (pmf-method.md section 1.6), on the real
 * LPIPS graph with the fixtures' small random weights, in double precision: its gradient reaches
 * the generator's u-head and trunk through x_hat = z - t u, equals central differences of
 * lambda * d / sg(d + c) as a function of the network's parameters, and vanishes where t >= t_thr.
 */
class PerceptualTrainingStepTest {

    private static final PmfNetConfig NET = new PmfNetConfig(16, 4, 32, 2, 1, 1, 24, 40, 5);
    private static final PatchLayout LAYOUT = PatchLayout.rgb(16, 4);
    private static final double WEIGHT = 0.4;
    private static final double C = 0.01;

    private static PerceptualDistance lpips() {
        Fixture lp = Fixture.load("lpips.npz");
        return LpipsVgg.load(lp.weightsWithout(Set.of("input0", "input1", "distance", "width_divisor")), 16, DataType.DOUBLE);
    }

    /** The full image as the crop, at its own size, so the term is a deterministic function of x_hat. */
    private static WeightedDistanceLoss loss(PerceptualDistance lpips, double maxT) {
        return new WeightedDistanceLoss(List.of(new WeightedDistanceLoss.Term(lpips, WEIGHT)), LAYOUT, maxT, 16,
            new RandomResizedCrop(1.0, 1.0, 1.0, 1.0), C, DataType.DOUBLE);
    }

    /** Gradient of the step with the term minus the gradient without it, for the same draws. */
    private static INDArray perceptualGradient(PmfNet net, WeightedDistanceLoss perceptual, PmfTrainingStep.Prepared p) {
        new PmfTrainingStep(net, ObjectiveOptions.PAPER, Optional.empty()).backward(p, new SplittableRandom(5));
        INDArray without = net.params().grads().dup();
        new PmfTrainingStep(net, ObjectiveOptions.PAPER, Optional.of(perceptual)).backward(p, new SplittableRandom(5));
        return net.params().grads().sub(without);
    }

    @Test
    void thePerceptualGradientReachesTheGeneratorAndEqualsCentralDifferences() {
        PmfNet net = PmfNet.create(NET, DataType.DOUBLE, true, 1);
        TestArrays.randomize(net.params(), 2);
        WeightedDistanceLoss perceptual = loss(lpips(), 0.8);
        PmfTrainingStep.Prepared p = new PmfTrainingStep(net, ObjectiveOptions.PAPER, Optional.empty())
            .prepare(PmfTrainingStepTest.batch(6, DataType.DOUBLE, 3), new SplittableRandom(4));
        double[] t = p.t();
        assertTrue(java.util.Arrays.stream(t).anyMatch(x -> x < 0.8) && java.util.Arrays.stream(t).anyMatch(x -> x >= 0.8),
            "the draws cover both sides of t_thr: " + java.util.Arrays.toString(t));
        INDArray analytic = perceptualGradient(net, perceptual, p);

        // sg(d + c) is a constant of the loss: freeze it at the current parameters
        double[] frozen = distances(net, perceptual, p);
        SplittableRandom pick = new SplittableRandom(6);
        double eps = 1e-6;
        double worst = 0;
        int checked = 0;
        double uPathNorm = 0;
        long offset = 0;
        for (Param param : net.params().params()) {
            INDArray flat = param.value().reshape(param.length());
            boolean vHeadOnly = param.name().startsWith("v_");
            double norm = analytic.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + param.length())).norm2Number().doubleValue();
            if (vHeadOnly) {
                assertEquals(0.0, norm, 0.0, param.name() + ": the term is on the u-head's x_hat only");
            } else {
                uPathNorm += norm;
            }
            for (int k = 0; k < (vHeadOnly ? 0 : 1); k++) {
                long i = pick.nextLong(param.length());
                double saved = flat.getDouble(i);
                flat.putScalar(i, saved + eps);
                double plus = frozenLoss(net, perceptual, p, frozen);
                flat.putScalar(i, saved - eps);
                double minus = frozenLoss(net, perceptual, p, frozen);
                flat.putScalar(i, saved);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.getDouble(offset + i);
                worst = Math.max(worst, Math.abs(numeric - a) / Math.max(1e-6, Math.abs(numeric) + Math.abs(a)));
                checked++;
            }
            offset += param.length();
        }
        assertTrue(uPathNorm > 0, "the perceptual gradient reaches the generator");
        assertTrue(checked >= 15, "checked " + checked + " coordinates");
        assertTrue(worst <= 1e-5, "worst relative error " + worst);
    }

    @Test
    void thePerceptualTermAddsNothingWhereTIsAtOrAboveItsThreshold() {
        PmfNet net = PmfNet.create(NET, DataType.DOUBLE, true, 1);
        TestArrays.randomize(net.params(), 2);
        PmfTrainingStep.Prepared p = new PmfTrainingStep(net, ObjectiveOptions.PAPER, Optional.empty())
            .prepare(PmfTrainingStepTest.batch(4, DataType.DOUBLE, 8), new SplittableRandom(9));
        double minT = java.util.Arrays.stream(p.t()).min().orElseThrow();
        INDArray g = perceptualGradient(net, loss(lpips(), minT), p);
        assertEquals(0.0, g.norm2Number().doubleValue(), 0.0, "every t >= t_thr = min t: no perceptual gradient");
    }

    private static INDArray denoised(PmfNet net, PmfTrainingStep.Prepared p) {
        INDArray xHat = net.forward(p.inputs(), Heads.U).xHatU();
        return XPrediction.denoised(p.z(), XPrediction.averageVelocity(p.z(), xHat, p.t()), p.t());
    }

    private static double[] distances(PmfNet net, WeightedDistanceLoss perceptual, PmfTrainingStep.Prepared p) {
        return perceptual.forward(denoised(net, p), p.x(), p.t(), new SplittableRandom(5)).distances().get("lpips").toDoubleVector();
    }

    /** (1/B) sum over t < t_thr of lambda d / (d_frozen + c): the function whose gradient the step adds. */
    private static double frozenLoss(PmfNet net, WeightedDistanceLoss perceptual, PmfTrainingStep.Prepared p, double[] frozen) {
        double[] d = distances(net, perceptual, p);
        double s = 0;
        for (int b = 0; b < d.length; b++) {
            s += p.t()[b] < 0.8 ? WEIGHT * d[b] / (frozen[b] + C) : 0;
        }
        return s / d.length;
    }
}
