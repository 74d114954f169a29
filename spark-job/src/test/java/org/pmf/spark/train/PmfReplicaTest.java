package org.pmf.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.OptimizerConfig;
import org.pmf.parallel.Workers;
import org.pmf.train.PmfTrainingStep;
import org.pmf.train.StepSeeds;

/** The real pMF step and optimizer behind the averaging trainer. */
class PmfReplicaTest {

    /** 16x16 images, patch 4, width 32, 2 heads, 1 trunk block, 1 block per head, 5 classes. */
    private static final PmfNetConfig NET = new PmfNetConfig(16, 4, 32, 2, 1, 1, 24, 40, 5);

    private static JavaSparkContext spark;

    @BeforeAll
    static void startSpark() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("pmf-replica-test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Random images in [-1, 1], deterministic in (partition, batch index). */
    record SyntheticFactory(PmfNetConfig net, ObjectiveOptions objective, OptimizerConfig optimizer, int batch)
            implements ReplicaFactory<PmfTrainingStep.Batch> {

        @Override
        public Replica<PmfTrainingStep.Batch> newReplica(Workers workers) {
            return new PmfReplica(net, objective, java.util.Optional::empty, optimizer, 1, workers);
        }

        @Override
        public BatchSource<PmfTrainingStep.Batch> batches(int partition, int partitions, long firstBatch) {
            return new BatchSource<>() {
                long next = firstBatch;

                @Override
                public PmfTrainingStep.Batch next() {
                    return batchAt(partition, next++);
                }
            };
        }

        @Override
        public int batchSize() {
            return batch;
        }

        PmfTrainingStep.Batch batchAt(int partition, long index) {
            SplittableRandom r = new SplittableRandom(31L * partition + 1_000_003L * index);
            int per = net.patches() * net.patchDim();
            double[] v = new double[batch * per];
            for (int i = 0; i < v.length; i++) {
                v[i] = 2 * r.nextDouble() - 1;
            }
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = r.nextInt(net.numClasses());
            }
            return new PmfTrainingStep.Batch(
                Nd4j.create(v, new long[] {batch, net.patches(), net.patchDim()}, DataType.FLOAT), labels);
        }
    }

    @Test
    void oneTaskOfSparkTrainingEqualsTheLocalStepLoopBitForBit() throws Exception {
        SyntheticFactory factory = new SyntheticFactory(NET, ObjectiveOptions.PAPER, OptimizerConfig.paperDefaults(), 4);
        PmfReplica local = (PmfReplica) factory.newReplica(Workers.CALLER_ONLY);
        TrainerState start = new TrainerState(copy(local), 0, 0, 0);

        var trainer = new ParameterAveragingTrainer<>(spark, factory,
            new ParameterAveragingTrainer.Settings(1, 2, 17, 3, 2), List.of());
        TrainerState out = trainer.run(start, 2);

        for (long step = 0; step < 4; step++) {
            local.step(step, factory.batchAt(0, step), StepSeeds.forStep(17, step, 0));
        }
        assertEquals(local.state().keySet(), out.arrays().keySet());
        for (String k : local.state().keySet()) {
            assertEquals(local.state().get(k), out.arrays().get(k), k);
        }
    }

    @Test
    void aTaskWithTwoThreadsSplitsEachBatchOverTwoWorkersAsTheLocalLoopDoes() throws Exception {
        SyntheticFactory factory = new SyntheticFactory(NET, ObjectiveOptions.PAPER, OptimizerConfig.paperDefaults(), 4);
        try (Workers two = Workers.of(2)) {
            PmfReplica local = (PmfReplica) factory.newReplica(two);
            PmfReplica oneThread = (PmfReplica) factory.newReplica(Workers.CALLER_ONLY);
            TrainerState start = new TrainerState(copy(local), 0, 0, 0);

            var trainer = new ParameterAveragingTrainer<>(spark, factory,
                new ParameterAveragingTrainer.Settings(1, 2, 17, 3, 2, 2), List.of());
            TrainerState out = trainer.run(start, 2);

            for (long step = 0; step < 4; step++) {
                local.step(step, factory.batchAt(0, step), StepSeeds.forStep(17, step, 0));
                oneThread.step(step, factory.batchAt(0, step), StepSeeds.forStep(17, step, 0));
            }
            for (String k : local.state().keySet()) {
                assertEquals(local.state().get(k), out.arrays().get(k), k);
            }
            assertNotEquals(oneThread.state().get(PmfReplica.PARAMS), out.arrays().get(PmfReplica.PARAMS),
                "two workers draw per share, so the run differs from one thread's");
        }
    }

    private static java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> copy(PmfReplica r) {
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> m = new java.util.LinkedHashMap<>();
        r.state().forEach((k, v) -> m.put(k, v.dup()));
        return m;
    }
}
