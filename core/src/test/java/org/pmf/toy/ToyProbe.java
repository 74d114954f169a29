package org.pmf.toy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.TimeSampler;

/**
 * Investigation tool, not a test: trains one toy cell with the given variant and prints the sliced
 * W2 of its one-step samples every few steps, plus diagnostics of the one-step map. Arguments are
 * key=value: dim, kind (x|u), steps, batch, lr, time (balanced|raw), zeroout (1|0), tangent (model|cond),
 * seed, every, mode (full_plane|two_lines|only_r_zero|only_r_equals_t), mu, sigma, eq, unif, p, eps, ema,
 * schedule (cosine|constant), png, hidden, depth,
 * init (he_normal|lecun_normal|torch_default), warmup (steps of linear learning-rate warm-up). Prints also where the samples go along the roll (arms).
 * Defaults are the pmf.toy defaults. Run from the worktree root:
 * <pre>java -cp core/target/test-classes:core/target/classes:$(cat cp.txt) org.pmf.toy.ToyProbe dim=512 kind=x</pre>
 */
public final class ToyProbe {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        int dim = Integer.parseInt(a.getOrDefault("dim", "512"));
        PredictionKind kind = a.getOrDefault("kind", "x").startsWith("x") ? PredictionKind.X_PREDICTION : PredictionKind.U_PREDICTION;
        int steps = Integer.parseInt(a.getOrDefault("steps", "1500"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "128"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "1e-3"));
        boolean balanced = a.getOrDefault("time", "balanced").equals("balanced");
        boolean zeroOut = a.getOrDefault("zeroout", "1").equals("1");
        ToyTrainer.Tangent tangent = a.getOrDefault("tangent", "model").startsWith("m") ? ToyTrainer.Tangent.MODEL : ToyTrainer.Tangent.CONDITIONAL;
        long seed = Long.parseLong(a.getOrDefault("seed", "0"));
        int every = Integer.parseInt(a.getOrDefault("every", "250"));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", "256"));
        int depth = Integer.parseInt(a.getOrDefault("depth", "7"));
        boolean cosine = !a.getOrDefault("schedule", "cosine").equals("constant");
        // linear warm-up over the first steps, multiplying the schedule
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "0"));
        TimeSampler.Mode mode = TimeSampler.Mode.valueOf(a.getOrDefault("mode", "full_plane").toUpperCase(java.util.Locale.ROOT));
        TimeSampler.Options times = new TimeSampler.Options(mode, Double.parseDouble(a.getOrDefault("mu", "0")),
            Double.parseDouble(a.getOrDefault("sigma", "0.8")), Double.parseDouble(a.getOrDefault("eq", "0.5")),
            Double.parseDouble(a.getOrDefault("unif", "0.1")));
        System.out.printf("probe: %s%n", String.join(" ", args));
        ToyTrainer.Settings settings = new ToyTrainer.Settings(hidden, depth, balanced, zeroOut, tangent, times,
            new AdaptiveLoss.Options(Double.parseDouble(a.getOrDefault("eps", "0.01")), Double.parseDouble(a.getOrDefault("p", "1"))), lr,
            Double.parseDouble(a.getOrDefault("ema", "0.99")), batch,
            HiddenInit.valueOf(a.getOrDefault("init", "lecun_normal").toUpperCase(java.util.Locale.ROOT)));
        System.out.println("probe: " + settings + " D " + dim + " " + kind.label() + " steps " + steps + " seed " + seed + " cosine " + cosine);
        Lift lift = Lift.random(dim, new SplittableRandom(seed * 1_000_003L + dim));
        ToyTrainer trainer = new ToyTrainer(kind, lift, settings, DataType.FLOAT, seed);
        SplittableRandom rng = new SplittableRandom(seed + 17L * dim);
        long start = System.nanoTime();
        double errSum = 0;
        int errN = 0;
        for (int s = 0; s < steps; s++) {
            double scaleLr = (cosine ? ToyExperiment.learningRateScale(s, steps) : 1.0) * Math.min(1.0, (s + 1) / (double) Math.max(1, warmup));
            ToyTrainer.Evaluation ev = trainer.step(rng, scaleLr);
            if ((s + 1) % ToyExperiment.GC_EVERY == 0) {
                System.gc();
            }
            errSum += ev.meanError();
            errN++;
            if ((s + 1) % every == 0 || s + 1 == steps || (s + 1 < every && Integer.bitCount(s + 1) == 1)) {
                SplittableRandom eval = new SplittableRandom(seed + 0x5EEDL);
                double[] samples = trainer.sample(1000, eval);
                double[] data = SwissRoll.sample(1000, eval);
                double sw = SlicedWasserstein.distance(samples, data, ToyExperiment.DIRECTIONS);
                double ch = ChamferDistance.distance(samples, data);
                System.out.printf("  step %5d  SW2 %.4f  CH %.4f (%.3f/%.3f)  arms %s  err %.3f  %s  (%.0f s)%n", s + 1, sw, ch, ChamferDistance.oneWay(samples, data), ChamferDistance.oneWay(data, samples), arms(samples, data), errSum / errN, diagnostics(trainer, lift, dim),
                    (System.nanoTime() - start) / 1e9);
                errSum = 0;
                errN = 0;
                if (s + 1 == steps) {
                    for (int k : new int[] {1, 2, 4, 16}) {
                        double[] ms = multiStep(trainer, lift, dim, k, 1000, new SplittableRandom(seed + 0x5EEDL));
                        System.out.printf("  final %2d-step (live weights): SW2 %.4f  CH %.4f (%.3f/%.3f)  arms %s%n", k, SlicedWasserstein.distance(ms, data, 64),
                            ChamferDistance.distance(ms, data), ChamferDistance.oneWay(ms, data), ChamferDistance.oneWay(data, ms), arms(ms, data));
                    }
                }
                if (s + 1 == steps && a.containsKey("png")) {
                    List<ScatterFigure.Row> rows = new ArrayList<>();
                    rows.add(new ScatterFigure.Row("D = " + dim, List.of(data, samples)));
                    ScatterFigure.write(Path.of(a.get("png")), List.of("data", kind.label()), rows);
                }
            }
        }
    }

    /**
     * Where the samples go along the roll: the fractions of samples whose nearest data point lies on
     * the inner, middle and outer third of the angle range (radius 7 |x| in [1.5 pi, 2.5 pi),
     * [2.5 pi, 3.5 pi), [3.5 pi, 4.5 pi]; 1/3 each for the data), and the fraction of stray samples
     * (farther than 0.1 from every data point).
     */
    static String arms(double[] samples, double[] data) {
        double[] count = new double[4];
        int n = samples.length / 2;
        for (int i = 0; i < samples.length; i += 2) {
            int arg = ChamferDistance.nearest(samples[i], samples[i + 1], data);
            double distance = Math.hypot(samples[i] - data[arg], samples[i + 1] - data[arg + 1]);
            double theta = Math.hypot(data[arg], data[arg + 1]) / SwissRoll.SCALE;
            count[Math.min(2, Math.max(0, (int) Math.floor((theta / Math.PI - 1.5))))]++;
            if (distance > 0.1) {
                count[3]++;
            }
        }
        return String.format("in/mid/out %.2f/%.2f/%.2f stray %.2f", count[0] / n, count[1] / n, count[2] / n, count[3] / n);
    }

    /** K-step MeanFlow sampling z_r = z_t - (t - r) u(z_t, r, t) on t = 1, (K-1)/K, ..., 0; projected to the plane. */
    static double[] multiStep(ToyTrainer trainer, Lift lift, int dim, int k, int n, SplittableRandom rng) {
        INDArray z = ToyTrainer.gaussian(n, dim, DataType.FLOAT, rng);
        for (int i = 0; i < k; i++) {
            double t = 1 - i / (double) k;
            double r = 1 - (i + 1) / (double) k;
            double[] tt = new double[n];
            double[] hh = new double[n];
            java.util.Arrays.fill(tt, t);
            java.util.Arrays.fill(hh, t - r);
            z = z.sub(trainer.averageVelocity(z, tt, hh).mul(t - r));
        }
        return lift.down(z).castTo(DataType.DOUBLE).data().asDouble();
    }

    /**
     * At t = 1 on fresh noise: the in-plane spread of the one-step output (h = 1), the in-plane
     * distance between the h = 1 and h = 0 outputs, and the off-plane norm of the one-step output.
     */
    static String diagnostics(ToyTrainer trainer, Lift lift, int dim) {
        int n = 256;
        INDArray z = ToyTrainer.gaussian(n, dim, DataType.FLOAT, new SplittableRandom(99));
        double[] one = new double[n];
        java.util.Arrays.fill(one, 1.0);
        double[] zero = new double[n];
        INDArray x1 = z.sub(trainer.averageVelocity(z, one, one));
        INDArray x0 = z.sub(trainer.averageVelocity(z, one, zero));
        // the same in-plane noise for every example, only the off-plane part varies
        INDArray pt = lift.transposed(z.dataType());
        INDArray zSame = z.sub(z.mmul(pt.transpose()).mmul(pt)).addRowVector(z.getRow(0).reshape(1, dim).mmul(pt.transpose()).mmul(pt));
        INDArray pn = lift.down(zSame.sub(trainer.averageVelocity(zSame, one, one)));
        double nuisance = pn.sub(pn.mean(0)).norm2Number().doubleValue() / Math.sqrt(n);
        INDArray p1 = lift.down(x1);
        INDArray p0 = lift.down(x0);
        double spread = p1.sub(p1.mean(0)).norm2Number().doubleValue() / Math.sqrt(n);
        double hGap = p1.sub(p0).norm2Number().doubleValue() / Math.sqrt(n);
        double total = x1.norm2Number().doubleValue();
        double inPlane = p1.norm2Number().doubleValue();
        double offPlane = Math.sqrt(Math.max(0, total * total - inPlane * inPlane)) / Math.sqrt(n);
        // units never active on a mixed batch of (z_t, t, h), per hidden layer
        ToyTrainer.Batch b = trainer.drawBatch(new SplittableRandom(7));
        ToyMlp.Trace trace = trainer.net().forward(b.z(), b.t(), b.h(), new org.pmf.nn.Buffers());
        StringBuilder dead = new StringBuilder();
        for (INDArray m : trace.masks()) {
            INDArray any = m.max(0);
            dead.append(String.format("%.2f ", 1 - any.sumNumber().doubleValue() / any.length()));
        }
        // how much of the first layer's z-weights lie in the data plane (2 / D at random)
        INDArray w = trainer.params().get("mlp.0.weight").value();
        INDArray wz = w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dim), org.nd4j.linalg.indexing.NDArrayIndex.all());
        double inPlaneW = lift.transposed(w.dataType()).mmul(wz).norm2Number().doubleValue();
        double allW = wz.norm2Number().doubleValue();
        return String.format("nuisance %.3f  spread %.3f  |x(h=1)-x(h=0)| %.3f  off-plane %.3f  W in-plane %.3f  dead %s", nuisance, spread, hGap, offPlane,
            inPlaneW * inPlaneW / (allW * allW), dead);
    }
}
