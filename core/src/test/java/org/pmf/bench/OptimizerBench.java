package org.pmf.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.optim.Ema;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.Optimizer;
import org.pmf.optim.OptimizerConfig;

/**
 * Times one optimizer update (Muon + AdamW, and Adam for all) and one update of the three EMAs on a
 * real model's parameters (fp32, both heads). Run with bench/optimizer.sh; arguments: [preset] [repeats].
 * Prints medians; the host is shared, so compare ratios within one run.
 */
public final class OptimizerBench {

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "small";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ParamSet ps = PmfNet.create(PmfNetConfig.preset(preset), DataType.FLOAT, true, 1).params();
        long matrices = ps.params().stream().filter(p -> p.role() == Param.Role.MATRIX).count();
        System.out.printf("preset %s: %d parameters in %d tensors, %d of them Muon matrices; OMP_NUM_THREADS=%s%n",
                preset, ps.size(), ps.params().size(), matrices, System.getenv("OMP_NUM_THREADS"));
        double nsFlop = 0;
        for (Param p : ps.params()) {
            if (p.role() == Param.Role.MATRIX) {
                long m = Math.min(p.shape()[0], p.shape()[1]);
                long n = Math.max(p.shape()[0], p.shape()[1]);
                nsFlop += 5 * 2.0 * (2 * m * m * n + m * m * m);
            }
        }
        System.out.printf("Newton-Schulz work per Muon update: %.2f GFLOP%n", nsFlop / 1e9);
        double[] g = new double[(int) ps.size()];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian() * 1e-3;
        }
        ps.grads().assign(Nd4j.createFromArray(g).castTo(DataType.FLOAT));
        OptimizerConfig muon = OptimizerConfig.paperDefaults();
        OptimizerConfig adam = new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0, 1e-8, 0.95, true, 5,
                OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.95, true, 0.0);
        time("Muon + AdamW update", new Optimizer(muon, ps)::step, repeats);
        time("AdamW-for-all update", new Optimizer(adam, ps)::step, repeats);
        Ema ema = new Ema(EmaConfig.paperDefaults(), 32, ps.values());
        long[] step = {1};
        time("3 EMAs update", () -> ema.update(step[0]++, ps.values()), repeats);
    }

    private static void time(String what, Runnable r, int repeats) {
        r.run();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-22s median %8.2f ms  (min %.2f, max %.2f)%n", what, ms[repeats / 2], ms[0], ms[repeats - 1]);
    }
}
