package org.pmf.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.model.Heads;
import org.pmf.model.PmfInputs;
import org.pmf.model.PmfNet;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.CompoundVelocity;
import org.pmf.objective.GuidanceSampler;
import org.pmf.objective.GuidanceTarget;
import org.pmf.objective.Interpolation;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.objective.PerExample;
import org.pmf.objective.Prediction;
import org.pmf.objective.TimeSampler;
import org.pmf.objective.XPrediction;
import org.pmf.perceptual.PerceptualLoss;

/**
 * The gradient of one pMF training step (pmf-method.md section 1.7, the official {@code pmf.py}):
 * guidance targets from the v-head at h = 0 without gradient, class dropout, the u-head JVP along
 * the predicted guided velocity, V = u + (t - r) sg(du/dt), adaptive-weighted L_u and L_v (plus an
 * optional perceptual term on the denoised image), and the backward into the network's gradients.
 *
 * <p>The heads' outputs become velocities through {@link ObjectiveOptions#prediction()}: x-prediction
 * (the paper's pMF) or u-prediction (the ablation), with the matching tangent and backward rules.
 *
 * <p>The optimizer update is not part of this class, so the same gradient serves the local
 * trainer, the Spark replicas and the finite-difference test of the whole step.
 *
 * <p>Every random draw comes from the {@code rng} argument, in a fixed order: (t, r), noise,
 * omega, intervals, class dropout, perceptual crops. One (r, t) pair per example.
 */
public final class PmfTrainingStep {

    /** A batch of clean images in the patch layout [B, L, p*p*3], values in [-1, 1], and their labels. */
    public record Batch(INDArray images, int[] labels) {
        public Batch {
            if (images.rank() != 3 || images.size(0) != labels.length) {
                throw new IllegalArgumentException("images must be [B, L, P] with one label per example; got "
                    + java.util.Arrays.toString(images.shape()) + " and " + labels.length + " labels");
            }
        }

        public int size() {
            return labels.length;
        }
    }

    private final PmfNet net;
    private final ObjectiveOptions options;
    private final TimeSampler times;
    private final GuidanceSampler guidance;
    private final AdaptiveLoss adaptive;
    private final PerceptualLoss perceptual;
    private final Prediction prediction;
    private final StepPhases phases = new StepPhases();
    // The passes of the previous step, recycled: a fresh pass allocates every activation of the
    // network, which costs ND4J more than the arithmetic on them (bench/network.md).
    private PmfNet.Pass guidancePass;
    private PmfNet.Pass jvpPass;

    public PmfTrainingStep(PmfNet net, ObjectiveOptions options, Optional<PerceptualLoss> perceptual) {
        if (!net.hasVHead()) {
            throw new IllegalArgumentException("training needs the auxiliary v-head; build the network with it");
        }
        this.net = net;
        this.options = options;
        this.times = new TimeSampler(options.time());
        this.guidance = new GuidanceSampler(options.guidance());
        this.adaptive = new AdaptiveLoss(options.loss());
        this.perceptual = perceptual.orElse(null);
        this.prediction = options.prediction();
    }

    public PmfNet net() {
        return net;
    }

    /** Wall time of each phase of the last step. */
    public StepPhases phases() {
        return phases;
    }

    /**
     * Zeroes the network's gradients, then adds the gradient of this step's loss into them.
     *
     * @return the step's metrics: {@code loss} (the total that is minimised), {@code loss_u},
     *     {@code loss_v} (adaptive-weighted, near 1 by design), {@code mse_V}, {@code mse_v}
     *     (unweighted mean squared errors against the guided target), and {@code loss_perceptual}
     *     when that term is on
     */
    public Map<String, Double> computeGradients(Batch batch, RandomGenerator rng) {
        return backward(prepare(batch, rng), rng).metrics();
    }

    /**
     * Everything of a step that carries no gradient: the random draws and the guided targets.
     *
     * @param x        clean images in the parameters' precision
     * @param z        noisy images z_t
     * @param vc       the v-head's guided velocity at w_eff: the JVP tangent and part of the target
     * @param target   v_g, the guided velocity target (v_t where the label was dropped)
     * @param inputs   the network inputs of the JVP pass (dropped labels, training omega and interval, h = t - r)
     */
    record Prepared(INDArray x, INDArray z, double[] t, double[] r, INDArray vc, INDArray target, PmfInputs inputs) {
    }

    /** The stop-gradient quantities of the JVP pass: du/dt and the adaptive weights of L_u and L_v. */
    record Frozen(INDArray dudt, double[] weightsU, double[] weightsV) {
    }

    record Outcome(Map<String, Double> metrics, Frozen frozen) {
    }

    Prepared prepare(Batch batch, RandomGenerator rng) {
        phases.start();
        DataType type = net.params().dataType();
        int b = batch.size();
        int numClasses = net.config().numClasses();
        INDArray x = batch.images().castTo(type);

        TimeSampler.Times tr = times.sample(b, rng);
        double[] t = tr.t();
        double[] r = tr.r();
        INDArray e = gaussian(x.shape(), type, rng);
        INDArray z = Interpolation.noisy(x, e, t, options.noiseScale());
        INDArray vt = Interpolation.conditionalVelocity(z, x, t);
        double[] omega = guidance.sampleScales(b, rng);
        GuidanceSampler.Intervals interval = guidance.sampleIntervals(tr.equalTimes(), rng);
        int dropCount = guidance.sampleDropCount(b, rng);

        // Guidance targets without gradient: the v-head at h = 0 with the interval [0, 1], conditional
        // at the interval-gated scale w_eff and unconditional (null label) at scale 1, as one 2B batch.
        // For r = t examples the interval is [0, 1], so w_eff = omega and v_c(w_eff) is the official
        // v_c_full: one conditional pass serves both kinds of example.
        double[] wEff = GuidanceTarget.effectiveScales(omega, t, interval.tMin(), interval.tMax());
        INDArray[] guided = guidanceVelocities(z, batch.labels(), wEff, t, numClasses);
        INDArray vc = guided[0];
        INDArray target = GuidanceTarget.guided(vt, vc, guided[1], GuidanceTarget.withoutGuidance(wEff, dropCount));

        int[] labelsIn = GuidanceSampler.dropLabels(batch.labels(), dropCount, numClasses);
        double[] h = new double[b];
        for (int i = 0; i < b; i++) {
            h[i] = t[i] - r[i];
        }
        phases.end(StepPhases.Phase.GUIDANCE);
        return new Prepared(x, z, t, r, vc, target, new PmfInputs(z, labelsIn, omega, interval.tMin(), interval.tMax(), h));
    }

    /**
     * The JVP pass, the losses and the backward: both heads at h = t - r, the u-head tangent along
     * (z' = v_c, h' = 1), i.e. (dz/dt, dt/dt, dr/dt) = (v_c, 1, 0); then V = u + (t - r) sg(du/dt).
     */
    Outcome backward(Prepared p, RandomGenerator rng) {
        DataType type = net.params().dataType();
        double[] t = p.t();
        int b = t.length;
        PmfNet.Pass pass = net.forward(p.inputs(), Heads.BOTH, jvpPass);
        jvpPass = pass;
        phases.end(StepPhases.Phase.FORWARD);
        INDArray xHatUDot = net.tangentU(pass, p.vc(), PmfNet.ones(b));
        phases.end(StepPhases.Phase.TANGENT);
        INDArray u = prediction.velocity(p.z(), pass.xHatU(), t);
        INDArray dudt = prediction.velocityTangent(p.vc(), xHatUDot, u, t);
        INDArray compound = CompoundVelocity.of(u, dudt, t, p.r());
        INDArray v = prediction.velocity(p.z(), pass.xHatV(), t);

        AdaptiveLoss.Result lossU = adaptive.evaluate(compound, p.target());
        AdaptiveLoss.Result lossV = adaptive.evaluate(v, p.target());
        // du/dt is a constant of the loss, so dL/du = dL/dV.
        INDArray dU = lossU.gradient();
        double perceptualLoss = 0;
        if (perceptual != null) {
            INDArray denoised = XPrediction.denoised(p.z(), u, t);
            PerceptualLoss.Result pl = perceptual.evaluate(denoised, p.x(), t, rng);
            perceptualLoss = pl.loss().sumNumber().doubleValue() / b;
            // x = z - t u, so dL/du = -t dL/dx; the term is a batch mean.
            double[] minusTOverB = new double[b];
            for (int i = 0; i < b; i++) {
                minusTOverB[i] = -t[i] / b;
            }
            PerExample.addTimesInPlace(dU, pl.gradient().castTo(type), minusTOverB);
        }
        INDArray dXHatU = prediction.outputGradient(dU, t);
        INDArray dXHatV = prediction.outputGradient(lossV.gradient(), t);
        net.params().zeroGrads();
        phases.end(StepPhases.Phase.LOSS);
        net.backward(pass, dXHatU, dXHatV);
        phases.end(StepPhases.Phase.BACKWARD);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossU.loss() + lossV.loss() + perceptualLoss);
        metrics.put("loss_u", lossU.loss());
        metrics.put("loss_v", lossV.loss());
        if (perceptual != null) {
            metrics.put("loss_perceptual", perceptualLoss);
        }
        double perExample = p.x().length() / (double) b;
        metrics.put("mse_V", mean(lossU.errors()) / perExample);
        metrics.put("mse_v", mean(lossV.errors()) / perExample);
        return new Outcome(metrics, new Frozen(dudt, lossU.weights(), lossV.weights()));
    }

    /**
     * The function whose gradient {@link #backward} computes, with its stop-gradient quantities
     * held at given values: sum_b w_b |u_b + (t_b - r_b) dudt_b - v_g|^2 / B + the same for v. It
     * exists for the finite-difference check of the whole step (without the perceptual term).
     */
    double surrogateLoss(Prepared p, Frozen f) {
        PmfNet.Pass pass = net.forward(p.inputs(), Heads.BOTH);
        INDArray u = prediction.velocity(p.z(), pass.xHatU(), p.t());
        INDArray compound = CompoundVelocity.of(u, f.dudt(), p.t(), p.r());
        INDArray v = prediction.velocity(p.z(), pass.xHatV(), p.t());
        double[] eu = PerExample.sumOfSquares(compound.sub(p.target()));
        double[] ev = PerExample.sumOfSquares(v.sub(p.target()));
        double s = 0;
        for (int i = 0; i < eu.length; i++) {
            s += f.weightsU()[i] * eu[i] + f.weightsV()[i] * ev[i];
        }
        return s / eu.length;
    }

    /** {v_c at w_eff, v_u with the null label at scale 1}, from one v-head pass over a 2B batch. */
    private INDArray[] guidanceVelocities(INDArray z, int[] labels, double[] wEff, double[] t, int numClasses) {
        int b = labels.length;
        INDArray zz = Nd4j.concat(0, z, z);
        int[] yy = new int[2 * b];
        double[] ww = new double[2 * b];
        double[] zeros = new double[2 * b];
        double[] ones = new double[2 * b];
        for (int i = 0; i < b; i++) {
            yy[i] = labels[i];
            yy[b + i] = numClasses;
            ww[i] = wEff[i];
            ww[b + i] = 1.0;
        }
        java.util.Arrays.fill(ones, 1.0);
        PmfNet.Pass pass = net.forward(new PmfInputs(zz, yy, ww, zeros, ones, zeros), Heads.V, guidancePass);
        guidancePass = pass;
        INDArray xv = pass.xHatV();
        INDArray vc = prediction.velocity(z, xv.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, b)).dup('c'), t);
        INDArray vu = prediction.velocity(z, xv.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, 2 * b)).dup('c'), t);
        return new INDArray[] {vc, vu};
    }

    private static INDArray gaussian(long[] shape, DataType type, RandomGenerator rng) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        return Nd4j.create(values, shape, type);
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }
}
