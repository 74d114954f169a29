package org.pmf.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/**
 * Runs the reduced reproduction of {@link ToyReproductionTest} (x- and u-prediction at D = 2 and
 * at a high D) for several seeds and prints both distances and their ratios, to check by hand that
 * the test's assertions hold across seeds and to measure their margins. Arguments: seeds, then
 * optional key=value overrides of the test's reduced settings (steps, hidden, batch, eval, dim).
 * Run from the worktree root:
 * <pre>OMP_NUM_THREADS=1 java -cp core/target/test-classes:core/target/classes:$(cat target/cp.txt) org.pmf.toy.ToySeedSweep 0 1 2 dim=512</pre>
 */
public final class ToySeedSweep {

    private ToySeedSweep() {
    }

    public static void main(String[] args) {
        int steps = ToyReproductionTest.STEPS;
        int hidden = ToyReproductionTest.HIDDEN;
        int batch = ToyReproductionTest.BATCH;
        int eval = ToyReproductionTest.EVAL_SAMPLES;
        int dim = ToyReproductionTest.HIGH_D;
        List<Long> seeds = new ArrayList<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length == 1) {
                seeds.add(Long.parseLong(a));
                continue;
            }
            int v = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "steps" -> steps = v;
                case "hidden" -> hidden = v;
                case "batch" -> batch = v;
                case "eval" -> eval = v;
                case "dim" -> dim = v;
                default -> throw new IllegalArgumentException("unknown setting " + kv[0] + "; known: steps, hidden, batch, eval, dim");
            }
        }
        var config = ConfigLoader.load(null, Map.of());
        ToyOptions base = ToyOptions.fromConfig(ConfigSection.of(config, "pmf.toy"));
        for (long seed : seeds) {
            long start = System.nanoTime();
            ToyOptions o = ToyReproductionTest.reduced(base, steps, hidden, batch, eval).withSeed(seed);
            ToyReproductionTest.Finding f = ToyReproductionTest.measure(o, 2, dim);
            System.out.printf("seed %d steps %d hidden %d batch %d eval %d: %s  (%.0f s)%n", seed, steps, hidden, batch, eval, f,
                (System.nanoTime() - start) / 1e9);
        }
    }
}
