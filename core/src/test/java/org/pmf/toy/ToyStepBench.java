package org.pmf.toy;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.TimeSampler;

/**
 * Benchmark: milliseconds per toy training step (both kinds) at the given D and batch, median of
 * the timed steps after warm-up. Run from the worktree root (after mvn -o -pl core test-compile):
 * <pre>java -cp core/target/test-classes:core/target/classes:$(cat cp.txt) org.pmf.toy.ToyStepBench 512 256 30</pre>
 */
public final class ToyStepBench {

    public static void main(String[] args) {
        int dim = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        for (PredictionKind kind : PredictionKind.values()) {
            ToyTrainer.Settings settings = new ToyTrainer.Settings(256, 7, true, true, ToyTrainer.Tangent.MODEL, TimeSampler.Options.PAPER,
                AdaptiveLoss.Options.PAPER, 1e-3, 0.99, batch, HiddenInit.HE_NORMAL);
            ToyTrainer trainer = new ToyTrainer(kind, Lift.random(dim, new SplittableRandom(1)), settings, DataType.FLOAT, 2);
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < 5; i++) {
                trainer.step(rng, 1.0);
            }
            double[] ms = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                trainer.step(rng, 1.0);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(ms);
            System.out.printf("D = %d, batch %d, %s: median %.1f ms per step (min %.1f, max %.1f)%n", dim, batch, kind.label(),
                ms[steps / 2], ms[0], ms[steps - 1]);
        }
    }
}
