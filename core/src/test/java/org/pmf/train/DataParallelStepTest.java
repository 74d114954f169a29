package org.pmf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.model.Heads;
import org.pmf.model.PmfInputs;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.nn.TestArrays;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.parallel.Workers;

class DataParallelStepTest {

    /** 16x16 images, patch 4, width 32, 2 heads, 1 trunk block, 1 block per head, 5 classes. */
    private static final PmfNetConfig NET = new PmfNetConfig(16, 4, 32, 2, 1, 1, 24, 40, 5);

    private static PmfNet net(DataType type) {
        PmfNet net = PmfNet.create(NET, type, true, 1);
        TestArrays.randomize(net.params(), 2);   // non-zero output layers and gates
        return net;
    }

    /**
     * Oracle: each share's gradient from a plain {@link PmfTrainingStep} on a network of its own,
     * one after another on this thread, with the generator the split step gives that share; their
     * mean weighted by share size (7 examples over 3 workers: shares of 2, 2 and 3).
     */
    @Test
    void gradientOfASplitBatchIsTheShareWeightedMeanOfEachSharesOwnStep() {
        PmfTrainingStep.Batch batch = PmfTrainingStepTest.batch(7, DataType.DOUBLE, 3);
        PmfNet net = net(DataType.DOUBLE);
        Map<String, Double> metrics;
        try (Workers workers = Workers.of(3)) {
            metrics = new DataParallelStep(net, ObjectiveOptions.PAPER, Optional::empty, workers)
                .computeGradients(batch, new SplittableRandom(11));
        }

        SplittableRandom stepRng = new SplittableRandom(11);
        int[][] shares = {{0, 2}, {2, 4}, {4, 7}};
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, net.params().size());
        Map<String, Double> expectedMetrics = new LinkedHashMap<>();
        for (int[] share : shares) {
            PmfNet alone = net(DataType.DOUBLE);
            PmfTrainingStep.Batch part = new PmfTrainingStep.Batch(
                batch.images().get(NDArrayIndex.interval(share[0], share[1]), NDArrayIndex.all(), NDArrayIndex.all()).dup(),
                Arrays.copyOfRange(batch.labels(), share[0], share[1]));
            Map<String, Double> m = new PmfTrainingStep(alone, ObjectiveOptions.PAPER, Optional.empty())
                .computeGradients(part, new SplittableRandom(stepRng.nextLong()));
            double weight = (share[1] - share[0]) / 7.0;
            expected.addi(alone.params().grads().mul(weight));
            m.forEach((k, v) -> expectedMetrics.merge(k, weight * v, Double::sum));
        }
        assertArrayEquals(expected.toDoubleVector(), net.params().grads().toDoubleVector(), 1e-12);
        assertEquals(expectedMetrics.keySet(), metrics.keySet());
        expectedMetrics.forEach((k, v) -> assertEquals(v, metrics.get(k), 1e-12 * Math.max(1, Math.abs(v)), k));
    }

    @Test
    void oneWorkerIsExactlyThePlainStep() {
        PmfTrainingStep.Batch batch = PmfTrainingStepTest.batch(6, DataType.FLOAT, 4);
        PmfNet split = net(DataType.FLOAT);
        PmfNet plain = net(DataType.FLOAT);
        Map<String, Double> a = new DataParallelStep(split, ObjectiveOptions.PAPER, Optional::empty, Workers.CALLER_ONLY)
            .computeGradients(batch, new SplittableRandom(5));
        Map<String, Double> b = new PmfTrainingStep(plain, ObjectiveOptions.PAPER, Optional.empty())
            .computeGradients(batch, new SplittableRandom(5));
        assertEquals(b, a);
        assertArrayEquals(plain.params().grads().toFloatVector(), split.params().grads().toFloatVector());
    }

    @Test
    void theSameWorkerCountGivesTheSameGradientEveryRun() {
        PmfTrainingStep.Batch batch = PmfTrainingStepTest.batch(8, DataType.FLOAT, 6);
        float[][] grads = new float[2][];
        try (Workers workers = Workers.of(2)) {
            for (int run = 0; run < 2; run++) {
                PmfNet net = net(DataType.FLOAT);
                DataParallelStep step = new DataParallelStep(net, ObjectiveOptions.PAPER, Optional::empty, workers);
                for (int s = 0; s < 3; s++) {   // recycled passes and replicas must not carry anything over
                    step.computeGradients(batch, StepSeeds.forStep(0, s, 0));
                }
                grads[run] = net.params().grads().toFloatVector();
            }
        }
        assertArrayEquals(grads[0], grads[1]);
    }

    @Test
    void aReplicaReadsTheOriginalsWeightsAndKeepsItsOwnGradients() {
        PmfNet net = net(DataType.DOUBLE);
        PmfNet replica = net.replica();
        net.params().values().muli(0.5);   // an optimizer update after the replica was made
        assertArrayEquals(net.params().values().toDoubleVector(), replica.params().values().toDoubleVector());

        PmfTrainingStep.Batch batch = PmfTrainingStepTest.batch(3, DataType.DOUBLE, 8);
        PmfInputs in = new PmfInputs(batch.images(), batch.labels(), new double[] {1, 2, 3}, new double[3],
            new double[] {1, 1, 1}, new double[] {0.1, 0.2, 0.3});
        assertArrayEquals(net.forward(in, Heads.BOTH).xHatU().data().asDouble(),
            replica.forward(in, Heads.BOTH).xHatU().data().asDouble());

        new PmfTrainingStep(replica, ObjectiveOptions.PAPER, Optional.empty()).computeGradients(batch, new SplittableRandom(9));
        assertNotEquals(0.0, replica.params().grads().norm2Number().doubleValue());
        assertEquals(0.0, net.params().grads().norm2Number().doubleValue());
    }
}
