package org.pmf.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.Optimizer;
import org.pmf.optim.OptimizerConfig;
import org.pmf.parallel.Workers;
import org.pmf.train.DataParallelStep;
import org.pmf.train.PmfTrainingStep;
import org.pmf.train.StepPhases;
import org.pmf.train.StepSeeds;

/**
 * Times whole pMF training steps (the paper's objective, Muon + AdamW, fp32) and prints the
 * breakdown by phase in images/s: guidance forwards, tangent pass, forward + backward (with the
 * element-wise loss work), optimizer, whole step. Run with bench/train-step.sh; arguments:
 * [preset=small] [batch=32] [repeats=5] [workers=1] (the batch split over that many
 * {@link DataParallelStep} workers; the phases are then the first worker's, on its share). Medians after two warm-up steps; the host is shared, so
 * compare ratios within one run (a 2048^3 matmul is timed in the same run as the reference).
 */
public final class TrainStepBench {

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "small";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        System.out.printf("train step %s @ batch %d: %d worker thread(s), OMP_NUM_THREADS=%s, load average at start: %s%n",
            preset, batch, workers, System.getenv("OMP_NUM_THREADS"), NetworkBench.loadAverage());
        System.out.printf("matmul 2048^3 fp32: %.1f GFLOP/s%n", NetworkBench.matmulGflops(2048, 3));

        PmfNetConfig config = PmfNetConfig.preset(preset);
        PmfNet net = PmfNet.create(config, DataType.FLOAT, true, 1);
        Workers pool = Workers.of(workers);
        DataParallelStep step = new DataParallelStep(net, ObjectiveOptions.PAPER, Optional::empty, pool);
        Optimizer optimizer = new Optimizer(OptimizerConfig.paperDefaults(), net.params(), pool);
        PmfTrainingStep.Batch data = randomBatch(config, batch);

        Map<String, double[]> times = new java.util.LinkedHashMap<>();
        for (String k : new String[] {"guidance forwards", "tangent pass", "forward + backward", "optimizer", "whole step"}) {
            times.put(k, new double[repeats]);
        }
        for (int r = -2; r < repeats; r++) {
            long t0 = System.nanoTime();
            net.params().zeroGrads();
            step.computeGradients(data, StepSeeds.forStep(0, r + 2, 0));
            long t1 = System.nanoTime();
            optimizer.step();
            long t2 = System.nanoTime();
            if (r < 0) {
                continue;
            }
            EnumMap<StepPhases.Phase, Double> p = new EnumMap<>(step.phases().all());
            times.get("guidance forwards")[r] = p.get(StepPhases.Phase.GUIDANCE);
            times.get("tangent pass")[r] = p.get(StepPhases.Phase.TANGENT);
            times.get("forward + backward")[r] = p.get(StepPhases.Phase.FORWARD) + p.get(StepPhases.Phase.LOSS)
                + p.get(StepPhases.Phase.BACKWARD);
            times.get("optimizer")[r] = (t2 - t1) / 1e9;
            times.get("whole step")[r] = (t2 - t0) / 1e9;
        }
        System.out.printf("%-20s %10s %12s %9s%n", "phase", "median ms", "images/s", "of step");
        double whole = NetworkBench.median(times.get("whole step"));
        for (Map.Entry<String, double[]> e : times.entrySet()) {
            double s = NetworkBench.median(e.getValue());
            System.out.printf("%-20s %10.1f %12.1f %8.0f%%%n", e.getKey(), s * 1e3, batch / s, 100 * s / whole);
        }
        System.out.printf("load average at end: %s%n", NetworkBench.loadAverage());
    }

    /** Images uniform in [-1, 1] with cycling labels: the step's cost does not depend on the pixels. */
    private static PmfTrainingStep.Batch randomBatch(PmfNetConfig c, int batch) {
        SplittableRandom rng = new SplittableRandom(5);
        float[] v = new float[batch * c.patches() * c.patchDim()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2 * rng.nextDouble() - 1);
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % c.numClasses();
        }
        return new PmfTrainingStep.Batch(Nd4j.create(v, new long[] {batch, c.patches(), c.patchDim()}, 'c'), labels);
    }
}
