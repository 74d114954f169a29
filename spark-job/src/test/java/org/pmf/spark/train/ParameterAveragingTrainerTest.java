package org.pmf.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.train.NonFiniteLossException;
import org.pmf.train.StepSeeds;

class ParameterAveragingTrainerTest {

    private static JavaSparkContext spark;

    @BeforeAll
    static void startSpark() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("averaging-test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static TrainerState initial(int features) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w", Nd4j.zeros(DataType.DOUBLE, features, 1));
        arrays.put("velocity", Nd4j.zeros(DataType.DOUBLE, features, 1));
        return new TrainerState(arrays, 0, 0, 0);
    }

    @Test
    void oneTaskEqualsSingleMachineTrainingBitForBit() throws Exception {
        var factory = new LinearRegressionReplica.Factory(4, 8, 0.05, 0.9, 3);
        var trainer = new ParameterAveragingTrainer<>(spark, factory,
            new ParameterAveragingTrainer.Settings(1, 3, 42, 2, 2), List.of());
        TrainerState out = trainer.run(initial(4), 4);

        Replica<LinearRegressionReplica.Batch> local = factory.newReplica(org.pmf.parallel.Workers.CALLER_ONLY);
        local.load(initial(4).arrays());
        for (long step = 0; step < 12; step++) {
            local.step(step, factory.batchAt(0, step), StepSeeds.forStep(42, step, 0));
        }
        assertEquals(local.state().get("w"), out.arrays().get("w"));
        assertEquals(local.state().get("velocity"), out.arrays().get("velocity"));
        assertEquals(12, out.step());
        assertEquals(12 * 8, out.examples());
    }

    @Test
    void averagingEveryStepWithPlainSgdEqualsTrainingOnTheConcatenatedBatch() throws Exception {
        var factory = new LinearRegressionReplica.Factory(5, 6, 0.02, 0.0, 9);
        var trainer = new ParameterAveragingTrainer<>(spark, factory,
            new ParameterAveragingTrainer.Settings(2, 1, 7, 2, 2), List.of());
        TrainerState out = trainer.run(initial(5), 6);

        // The oracle: one model, one step per round on both partitions' batches at once. Each
        // partition's jitter is drawn from its own step seed, so add them the same way here.
        LinearRegressionReplica single = new LinearRegressionReplica(5, 0.02, 0.0);
        single.load(initial(5).arrays());
        for (long step = 0; step < 6; step++) {
            INDArray w = single.state().get("w");
            INDArray before = w.dup();
            INDArray sum = Nd4j.zeros(DataType.DOUBLE, 5, 1);
            for (int p = 0; p < 2; p++) {
                single.load(Map.of("w", before, "velocity", Nd4j.zeros(DataType.DOUBLE, 5, 1)));
                single.step(step, factory.batchAt(p, step), StepSeeds.forStep(7, step, p));
                sum.addi(single.state().get("w"));
            }
            single.load(Map.of("w", sum.divi(2), "velocity", Nd4j.zeros(DataType.DOUBLE, 5, 1)));
        }
        // Independent check that the averaged update is the concatenated-batch gradient step.
        assertTrue(single.state().get("w").equalsWithEps(out.arrays().get("w"), 1e-12));
        INDArray concatW = concatenatedSgd(factory, 6, 7);
        assertTrue(concatW.equalsWithEps(out.arrays().get("w"), 1e-9),
            "averaged " + out.arrays().get("w") + " vs concatenated " + concatW);
    }

    /** Plain SGD on the concatenation of both partitions' batches, with the same per-partition jitter. */
    private static INDArray concatenatedSgd(LinearRegressionReplica.Factory f, int steps, long seed) {
        INDArray w = Nd4j.zeros(DataType.DOUBLE, 5, 1);
        for (long step = 0; step < steps; step++) {
            INDArray grad = Nd4j.zeros(DataType.DOUBLE, 5, 1);
            long n = 0;
            for (int p = 0; p < 2; p++) {
                LinearRegressionReplica.Batch b = f.batchAt(p, step);
                RandomGenerator rng = StepSeeds.forStep(seed, step, p);
                double jitter = 1e-3 * rng.nextGaussian();
                INDArray residual = b.x().mmul(w).subi(b.y()).addi(jitter);
                grad.addi(b.x().transpose().mmul(residual).muli(2.0));
                n += b.x().rows();
            }
            w.subi(grad.divi(n).muli(f.lr()));
        }
        return w;
    }

    @Test
    void nonFiniteRoundsAreDiscardedAndTooManyAbort() {
        var factory = new LinearRegressionReplica.Factory(3, 4, 1e100, 0.0, 1);  // overflows in its second step
        List<RoundReport> reports = new ArrayList<>();
        var trainer = new ParameterAveragingTrainer<>(spark, factory,
            new ParameterAveragingTrainer.Settings(2, 2, 5, 2, 2), List.of((r, s) -> reports.add(r)));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.run(initial(3), 10));
        assertTrue(e.getMessage().contains("2 consecutive rounds"), e.getMessage());
        assertTrue(reports.stream().anyMatch(RoundReport::discarded));
        RoundReport last = reports.get(reports.size() - 1);
        assertTrue(last.nonFinite().get(0).startsWith("partition "), last.nonFinite().toString());
    }
}
