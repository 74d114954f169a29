package org.pmf.sample;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.Heads;
import org.pmf.model.PmfInputs;
import org.pmf.model.PmfNet;
import org.pmf.objective.Prediction;

/**
 * Generation with a trained network (pmf-method.md section 1.8). One step: z_1 = s e at t = 1,
 * r = 0, and the image is x = z_1 - u: the u-head's x_hat itself for x-prediction (clip(1) = 1),
 * z_1 minus the head's output for u-prediction. Several
 * steps, optionally: t_i = linspace(1, 0, K + 1), z <- z - (t_i - t_{i+1}) u(z, t_i, h = t_i - t_{i+1}).
 * The guidance scale omega and its interval are network inputs: guidance costs no extra pass.
 *
 * @param omega      guidance scale (>= 1; 1 = no guidance)
 * @param tMin       start of the guidance interval
 * @param tMax       end of the guidance interval
 * @param noiseScale s of z_1 = s e (image size / 256 in the paper)
 * @param steps      1 for the one-step generator pMF is; more for the multi-step option
 * @param prediction what the network's u-head outputs (pmf.objective.prediction of the run that trained it)
 */
public record Sampler(double omega, double tMin, double tMax, double noiseScale, int steps, Prediction prediction) implements java.io.Serializable {

    /** A sampler for an x-prediction network, the paper's pMF. */
    public Sampler(double omega, double tMin, double tMax, double noiseScale, int steps) {
        this(omega, tMin, tMax, noiseScale, steps, Prediction.X);
    }

    public Sampler {
        if (!(omega >= 1) || !(tMin >= 0 && tMin <= tMax && tMax <= 1) || !(noiseScale > 0) || steps < 1 || prediction == null) {
            throw new IllegalArgumentException("need omega >= 1, 0 <= tMin <= tMax <= 1, noiseScale > 0, steps >= 1; got "
                + omega + ", [" + tMin + ", " + tMax + "], " + noiseScale + ", " + steps);
        }
    }

    /**
     * Images for the given labels, in the patch layout [B, L, p*p*3] with values around [-1, 1]. The
     * noise comes from {@code rng} only, so a seed fixes the images.
     */
    public INDArray generate(PmfNet net, int[] labels, RandomGenerator rng) {
        int b = labels.length;
        long[] shape = {b, net.config().patches(), net.config().patchDim()};
        double[] noise = new double[Math.toIntExact(shape[0] * shape[1] * shape[2])];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = noiseScale * rng.nextGaussian();
        }
        INDArray z = Nd4j.create(noise, shape, net.params().dataType());
        double[] w = filled(b, omega);
        double[] lo = filled(b, tMin);
        double[] hi = filled(b, tMax);
        for (int k = 0; k < steps; k++) {
            double t = 1.0 - (double) k / steps;
            double next = 1.0 - (double) (k + 1) / steps;
            double[] h = filled(b, t - next);
            INDArray out = net.forward(new PmfInputs(z, labels, w, lo, hi, h), Heads.U).xHatU();
            if (steps == 1 && prediction == Prediction.X) {
                return out.dup();
            }
            INDArray u = prediction.velocity(z, out, filled(b, t));
            z = z.sub(u.muli(t - next));
        }
        return z;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
