package org.pmf.toy;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.nn.Buffers;
import org.pmf.nn.ParamSet;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.CompoundVelocity;
import org.pmf.objective.Interpolation;
import org.pmf.objective.TimeSampler;
import org.pmf.objective.XPrediction;

/**
 * Trains one toy network on the lifted Swiss roll with the pMF v-loss (pmf-method.md section 1.3,
 * Alg. 1, no guidance, noise scale 1), whichever its {@link PredictionKind}:
 * <pre>
 *   z = (1 - t) x + t e;  v_t = (z - x) / clip(t)
 *   v = u_fn(z, t, t)                      model's own velocity at r = t (h = 0), no gradient
 *                                          (or e - x with {@link Tangent#CONDITIONAL})
 *   u, du/dt = jvp(u_fn, (z, r, t), (v, 0, 1))
 *   V = u + (t - r) sg(du/dt);  loss = weighted(sum (V - v_t)^2)
 * </pre>
 * where u_fn is the network itself (u-prediction) or (z - net) / clip(t) (x-prediction). Both
 * kinds share everything else: settings, initial weights, data, noise and times.
 */
public final class ToyTrainer {

    /** The direction dz/dt of the JVP. */
    public enum Tangent {
        /** The model's own instantaneous velocity u(z, t, t) (pMF Alg. 1, iMF). */
        MODEL,
        /** The conditional velocity dz/dt = e - x along the sampled path (original MeanFlow). */
        CONDITIONAL
    }

    /**
     * How one toy network is built and trained (the pmf.toy settings other than D, seeds and
     * evaluation).
     *
     * @param hidden        MLP width
     * @param depth         MLP linear layers
     * @param balancedTime  time inputs (c t, c h) with c = sqrt(D / 2) (otherwise raw, c = 1)
     * @param zeroOutput    output layer initialised at zero (otherwise Xavier-uniform)
     * @param tangent       the JVP direction dz/dt
     * @param time          the (r, t) sampler
     * @param loss          the loss weighting
     * @param learningRate  Adam's peak learning rate
     * @param emaDecay      per-step decay of the weights' moving average used for sampling (0: none)
     * @param batch         examples per step
     * @param hiddenInit    how the layers other than the output layer start
     */
    public record Settings(int hidden, int depth, boolean balancedTime, boolean zeroOutput, Tangent tangent, TimeSampler.Options time,
                           AdaptiveLoss.Options loss, double learningRate, double emaDecay, int batch, HiddenInit hiddenInit) {

        public Settings {
            if (hidden < 1 || depth < 2 || batch < 1) {
                throw new IllegalArgumentException("toy settings need hidden >= 1, depth >= 2 and batch >= 1");
            }
            if (!(learningRate > 0 && learningRate < 1) || !(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("toy settings need a learning rate in (0, 1) and an EMA decay in [0, 1)");
            }
            if (hiddenInit == null) {
                throw new IllegalArgumentException("toy settings need a hidden-layer initialisation");
            }
        }

        public Settings withBatch(int b) {
            return new Settings(hidden, depth, balancedTime, zeroOutput, tangent, time, loss, learningRate, emaDecay, b, hiddenInit);
        }

        public Settings withHidden(int h) {
            return new Settings(h, depth, balancedTime, zeroOutput, tangent, time, loss, learningRate, emaDecay, batch, hiddenInit);
        }

        public Settings withOutputLayer(boolean zero) {
            return new Settings(hidden, depth, balancedTime, zero, tangent, time, loss, learningRate, emaDecay, batch, hiddenInit);
        }

        public Settings withEmaDecay(double decay) {
            return new Settings(hidden, depth, balancedTime, zeroOutput, tangent, time, loss, learningRate, decay, batch, hiddenInit);
        }

        public Settings withHiddenInit(HiddenInit init) {
            return new Settings(hidden, depth, balancedTime, zeroOutput, tangent, time, loss, learningRate, emaDecay, batch, init);
        }

        /**
         * The toy as it was before bench/toy.md's investigation: raw (t, h), He-normal hidden layers,
         * Xavier output layer, no EMA, with the given sampler and loss weighting.
         */
        public static Settings original(int hidden, int depth, TimeSampler.Options time, AdaptiveLoss.Options loss, double learningRate,
                                        int batch) {
            return new Settings(hidden, depth, false, false, Tangent.MODEL, time, loss, learningRate, 0, batch, HiddenInit.HE_NORMAL);
        }
    }

    private final ToyMlp net;
    private final ParamSet params;
    private final PredictionKind kind;
    private final Lift lift;
    private final TimeSampler times;
    private final AdaptiveLoss loss;
    private final Adam adam;
    private final Settings settings;
    private final INDArray ema;
    private final Buffers velocityPass = new Buffers();
    private final Buffers forwardPass = new Buffers();
    private final Buffers tangentPass = new Buffers();
    private final Buffers backwardPass = new Buffers();
    private int stepCount;

    public ToyTrainer(PredictionKind kind, Lift lift, Settings settings, DataType dataType, long initSeed) {
        ParamSet.Builder b = new ParamSet.Builder(dataType);
        double gain = settings.balancedTime() ? ToyMlp.balancedTimeGain(lift.dim()) : 1.0;
        this.net = new ToyMlp(b, lift.dim(), settings.hidden(), settings.depth(), gain, settings.zeroOutput(), settings.hiddenInit());
        this.params = b.build(initSeed);
        this.kind = kind;
        this.lift = lift;
        this.settings = settings;
        this.times = new TimeSampler(settings.time());
        this.loss = new AdaptiveLoss(settings.loss());
        this.adam = new Adam(params, settings.learningRate());
        this.ema = settings.emaDecay() > 0 ? params.values().dup() : null;
    }

    public ParamSet params() {
        return params;
    }

    public ToyMlp net() {
        return net;
    }

    /**
     * One training batch: clean points x (lifted), noise e, times, z_t and the target v_t.
     */
    public record Batch(INDArray x, INDArray e, double[] t, double[] r, INDArray z, INDArray target) {

        public double[] h() {
            double[] h = new double[t.length];
            for (int i = 0; i < h.length; i++) {
                h[i] = t[i] - r[i];
            }
            return h;
        }
    }

    /**
     * The loss of one batch and what the gradient treats as constants.
     *
     * @param loss      the weighted loss
     * @param dudt      the stop-gradiented JVP du/dt along (v, 0, 1)
     * @param weights   the stop-gradiented adaptive weights
     * @param meanError the batch mean of the unweighted summed squared errors
     */
    public record Evaluation(double loss, INDArray dudt, double[] weights, double meanError) {
    }

    /** Draws a batch: Swiss-roll points lifted by P, standard noise (s = 1), one (r, t) per example. */
    public Batch drawBatch(RandomGenerator rng) {
        INDArray x = lift.up(SwissRoll.sample(settings.batch(), rng), params.dataType());
        INDArray e = gaussian(settings.batch(), lift.dim(), params.dataType(), rng);
        TimeSampler.Times tr = times.sample(settings.batch(), rng);
        INDArray z = Interpolation.noisy(x, e, tr.t(), 1.0);
        return new Batch(x, e, tr.t(), tr.r(), z, Interpolation.conditionalVelocity(z, x, tr.t()));
    }

    /** One optimizer step at learning rate lr * lrScale; returns the batch's loss before the step. */
    public Evaluation step(RandomGenerator rng, double lrScale) {
        stepCount++;
        Evaluation ev = lossAndGradient(drawBatch(rng));
        if (!Double.isFinite(ev.loss())) {
            throw new IllegalStateException(kind.label() + " toy, D = " + lift.dim() + ": non-finite loss at step " + stepCount);
        }
        adam.step(lrScale);
        if (ema != null) {
            ema.muli(settings.emaDecay()).addi(params.values().mul(1 - settings.emaDecay()));
        }
        return ev;
    }

    /** The pMF v-loss of a batch; replaces the ParamSet's gradients with the loss's gradient. */
    public Evaluation lossAndGradient(Batch batch) {
        double[] t = batch.t();
        double[] ones = new double[t.length];
        java.util.Arrays.fill(ones, 1.0);
        velocityPass.rewind();
        forwardPass.rewind();
        tangentPass.rewind();
        backwardPass.rewind();
        // the JVP direction: the model's own instantaneous velocity at r = t (h = 0), no gradient,
        // or the conditional velocity e - x
        INDArray v = settings.tangent() == Tangent.MODEL
            ? averageVelocity(batch.z(), net.forward(batch.z(), t, new double[t.length], velocityPass).output(), t)
            : batch.e().sub(batch.x());
        ToyMlp.Trace trace = net.forward(batch.z(), t, batch.h(), forwardPass);
        // dz/dt = v, dt/dt = 1, dh/dt = d(t - r)/dt = 1
        INDArray outDot = net.tangent(trace, v, ones, ones, tangentPass);
        INDArray u = averageVelocity(batch.z(), trace.output(), t);
        INDArray dudt = kind == PredictionKind.X_PREDICTION
            ? XPrediction.averageVelocityTangent(v, outDot, u, t)
            : outDot;
        AdaptiveLoss.Result result = loss.evaluate(CompoundVelocity.of(u, dudt, t, batch.r()), batch.target());
        INDArray dOut = kind == PredictionKind.X_PREDICTION
            ? XPrediction.denoisedGradient(result.gradient(), t)
            : result.gradient();
        params.zeroGrads();
        net.backward(trace, dOut, backwardPass);
        return new Evaluation(result.loss(), dudt, result.weights(),
            java.util.Arrays.stream(result.errors()).average().orElse(Double.NaN));
    }

    /** u at (z, r, t) from one forward pass, with gradients nowhere: for oracles and sampling. */
    public INDArray averageVelocity(INDArray z, double[] t, double[] h) {
        return averageVelocity(z, net.forward(z, t, h, new Buffers()).output(), t);
    }

    /**
     * One-step samples projected to the plane: x = z_1 - u(z_1, r = 0, t = 1) with z_1 = e, which
     * is the network output itself for x-prediction; drawn with the weights' moving average when
     * the settings keep one. Row-major [n, 2].
     */
    public double[] sample(int n, RandomGenerator rng) {
        if (ema != null) {
            INDArray live = params.values().dup();
            params.values().assign(ema);
            try {
                return sampleWithCurrentWeights(n, rng);
            } finally {
                params.values().assign(live);
            }
        }
        return sampleWithCurrentWeights(n, rng);
    }

    private double[] sampleWithCurrentWeights(int n, RandomGenerator rng) {
        INDArray z1 = gaussian(n, lift.dim(), params.dataType(), rng);
        double[] one = new double[n];
        java.util.Arrays.fill(one, 1.0);
        INDArray u = averageVelocity(z1, one, one);
        INDArray x = XPrediction.denoised(z1, u, one);
        return lift.down(x).castTo(DataType.DOUBLE).data().asDouble();
    }

    /** u from the network output: the output itself, or (z - x_hat) / clip(t) for x-prediction. */
    private INDArray averageVelocity(INDArray z, INDArray out, double[] t) {
        return kind == PredictionKind.X_PREDICTION ? XPrediction.averageVelocity(z, out, t) : out;
    }

    static INDArray gaussian(int n, int dim, DataType type, RandomGenerator rng) {
        double[] v = new double[n * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, dim}, type);
    }
}
