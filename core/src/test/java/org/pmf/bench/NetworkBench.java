package org.pmf.bench;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.Heads;
import org.pmf.model.ModelSize;
import org.pmf.model.PmfInputs;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;

/**
 * Times the pMF network's passes (fp32) and compares their throughput with ND4J's large-matmul
 * throughput measured in the same run. Run with bench/network.sh; arguments: [repeats] [small-preset batch] [small-only].
 * Prints medians; the host is shared, so compare ratios within one run.
 */
public final class NetworkBench {

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int smallBatch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        boolean withB16 = args.length <= 2 || !args[2].equals("small-only");
        System.out.printf("threads: OMP_NUM_THREADS=%s, load average at start: %s%n",
            System.getenv("OMP_NUM_THREADS"), loadAverage());
        double peak = matmulGflops(2048, repeats);
        System.out.printf("matmul 2048x2048x2048 fp32: %.1f GFLOP/s%n", peak);
        run("small", PmfNetConfig.preset("small"), smallBatch, true, repeats, peak);
        if (withB16) {
            run("B/16", PmfNetConfig.preset("B/16"), 1, false, Math.max(3, repeats / 2), peak);
        }
        System.out.printf("matmul again (drift check): %.1f GFLOP/s; load average at end: %s%n", matmulGflops(2048, repeats), loadAverage());
    }

    private static void run(String name, PmfNetConfig c, int batch, boolean withV, int repeats, double peak) {
        PmfNet net = PmfNet.create(c, DataType.FLOAT, withV, 1);
        randomizeGatesAndHeads(net);
        Random rng = new Random(2);
        INDArray z = gaussian(rng, batch, c.patches(), c.patchDim());
        INDArray zDot = gaussian(rng, batch, c.patches(), c.patchDim());
        int[] labels = new int[batch];
        double[] omega = new double[batch];
        double[] lo = new double[batch];
        double[] hi = new double[batch];
        double[] h = new double[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % c.numClasses();
            omega[i] = 1 + 7 * rng.nextDouble();
            lo[i] = 0.5 * rng.nextDouble();
            hi[i] = 0.5 + 0.5 * rng.nextDouble();
            h[i] = rng.nextDouble();
        }
        PmfInputs in = new PmfInputs(z, labels, omega, lo, hi, h);
        Heads heads = withV ? Heads.BOTH : Heads.U;
        long macs = (withV ? ModelSize.bothHeadsMacs(c) : ModelSize.inferenceMacs(c)) * batch;
        long tangentMacs = ModelSize.inferenceMacs(c) * batch * 2;

        double[] fwd = new double[repeats];
        double[] tan = new double[repeats];
        double[] bwd = new double[repeats];
        PmfNet.Pass p = null;
        for (int warm = 0; warm < 2; warm++) {
            p = net.forward(in, heads, p);
            net.tangentU(p, zDot, PmfNet.ones(batch));
            net.backward(p, zDot, withV ? zDot : null);
        }
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            p = net.forward(in, heads, p);
            long t1 = System.nanoTime();
            net.tangentU(p, zDot, PmfNet.ones(batch));
            long t2 = System.nanoTime();
            net.backward(p, zDot, withV ? zDot : null);
            long t3 = System.nanoTime();
            fwd[r] = (t1 - t0) / 1e9;
            tan[r] = (t2 - t1) / 1e9;
            bwd[r] = (t3 - t2) / 1e9;
        }
        double f = median(fwd);
        double t = median(tan);
        double b = median(bwd);
        System.out.printf("%s batch %d (%s, %.1f GMAC per forward):%n", name, batch, withV ? "both heads" : "u-head", macs / 1e9);
        System.out.printf("  forward  %8.1f ms  %7.1f images/s  %6.1f GFLOP/s (%.0f%% of matmul)%n",
            f * 1e3, batch / f, 2 * macs / f / 1e9, 100 * 2 * macs / f / 1e9 / peak);
        System.out.printf("  tangent  %8.1f ms  (u-head tangent after the forward; %.2f x forward; %.1f GFLOP/s at 2 products per primal product)%n",
            t * 1e3, t / f, 2 * tangentMacs / t / 1e9);
        System.out.printf("  backward %8.1f ms  (%.2f x forward; %.1f GFLOP/s at 2 products per primal product)%n",
            b * 1e3, b / f, 2 * 2 * macs / b / 1e9);
    }

    /** Gates and final layers start at zero; give them values so that no pass can shortcut. */
    private static void randomizeGatesAndHeads(PmfNet net) {
        Random rng = new Random(3);
        net.params().params().forEach(p -> {
            if (p.name().endsWith("_scale") || p.name().contains("final_layer.linear")) {
                p.value().assign(gaussian(rng, p.shape()).muli(0.1));
            }
        });
    }

    static double matmulGflops(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double[] s = new double[repeats];
        for (int r = -2; r < repeats; r++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double dt = (System.nanoTime() - t0) / 1e9;
            if (r >= 0) {
                s[r] = dt;
            }
        }
        return 2.0 * n * n * n / median(s) / 1e9;
    }

    private static INDArray gaussian(Random rng, long... shape) {
        long n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, shape, 'c');
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
