package org.pmf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.nn.Param;
import org.pmf.nn.TestArrays;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.objective.Prediction;

class PmfTrainingStepTest {

    /** 16x16 images, patch 4, width 32, 2 heads, 1 trunk block, 1 block per head, 5 classes. */
    private static final PmfNetConfig NET = new PmfNetConfig(16, 4, 32, 2, 1, 1, 24, 40, 5);

    /** n random 16x16 images in [-1, 1] as patches, with labels of 5 classes. */
    static PmfTrainingStep.Batch batch(int n, DataType type, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n * 16 * 48];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(5);
        }
        return new PmfTrainingStep.Batch(Nd4j.create(v, new long[] {n, 16, 48}, type), labels);
    }

    /** x-prediction is the paper's; u-prediction (heads output velocities) is the ablation's switch. */
    @ParameterizedTest
    @EnumSource(Prediction.class)
    void gradientOfTheWholeStepEqualsCentralDifferencesInDouble(Prediction prediction) {
        PmfNet net = PmfNet.create(NET, DataType.DOUBLE, true, 1);
        TestArrays.randomize(net.params(), 2);   // non-zero output layers and gates
        PmfTrainingStep step = new PmfTrainingStep(net, ObjectiveOptions.PAPER.withPrediction(prediction), Optional.empty());
        PmfTrainingStep.Batch b = batch(6, DataType.DOUBLE, 3);

        PmfTrainingStep.Prepared prepared = step.prepare(b, new SplittableRandom(4));
        PmfTrainingStep.Frozen frozen = step.backward(prepared, new SplittableRandom(5)).frozen();
        INDArray grads = net.params().grads().dup();

        double eps = 1e-6;
        double worst = 0;
        SplittableRandom pick = new SplittableRandom(6);
        List<String> checked = new ArrayList<>();
        for (Param p : net.params().params()) {
            INDArray flat = p.value().reshape(p.length());
            INDArray g = p.grad().reshape(p.length());
            for (int k = 0; k < 2; k++) {
                long i = pick.nextLong(p.length());
                double saved = flat.getDouble(i);
                flat.putScalar(i, saved + eps);
                double plus = step.surrogateLoss(prepared, frozen);
                flat.putScalar(i, saved - eps);
                double minus = step.surrogateLoss(prepared, frozen);
                flat.putScalar(i, saved);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = grads.getDouble(offsetOf(net, p) + i);
                double err = Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic));
                worst = Math.max(worst, err);
                checked.add(p.name());
            }
        }
        assertTrue(checked.size() >= 50, "checked " + checked.size() + " coordinates");
        assertTrue(worst <= 1e-6, "worst relative error " + worst);
    }

    private static long offsetOf(PmfNet net, Param target) {
        long offset = 0;
        for (Param p : net.params().params()) {
            if (p == target) {
                return offset;
            }
            offset += p.length();
        }
        throw new IllegalArgumentException(target.name());
    }

    @Test
    void stepIsDeterministicForASeed() {
        PmfNet net = PmfNet.create(NET, DataType.FLOAT, true, 1);
        TestArrays.randomize(net.params(), 2);
        PmfTrainingStep step = new PmfTrainingStep(net, ObjectiveOptions.PAPER, Optional.empty());
        PmfTrainingStep.Batch b = batch(4, DataType.FLOAT, 3);
        Map<String, Double> first = step.computeGradients(b, new SplittableRandom(9));
        INDArray g1 = net.params().grads().dup();
        Map<String, Double> second = step.computeGradients(b, new SplittableRandom(9));
        assertEquals(first, second);
        assertEquals(g1, net.params().grads());
    }

    @Test
    void lossDecreasesOnAFixedBatch() {
        PmfNet net = PmfNet.create(NET, DataType.FLOAT, true, 1);
        PmfTrainingStep step = new PmfTrainingStep(net, ObjectiveOptions.PAPER, Optional.empty());
        PmfTrainingStep.Batch b = batch(8, DataType.FLOAT, 3);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 30; i++) {
            Map<String, Double> m = step.computeGradients(b, new SplittableRandom(11));
            if (i == 0) {
                first = m.get("mse_V") + m.get("mse_v");
            }
            last = m.get("mse_V") + m.get("mse_v");
            net.params().values().subi(net.params().grads().mul(0.1));
        }
        assertTrue(last < 0.95 * first, "unweighted error went from " + first + " to " + last);
    }
}
