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
 *   u, du/dt = jvp(u_fn, (z, r, t), (v, 0, 1))
 *   V = u + (t - r) sg(du/dt);  loss = adaptive(sum (V - v_t)^2)
 * </pre>
 * where u_fn is the network itself (u-prediction) or (z - net) / clip(t) (x-prediction).
 */
public final class ToyTrainer {

    private final ToyMlp net;
    private final ParamSet params;
    private final PredictionKind kind;
    private final Lift lift;
    private final TimeSampler times;
    private final AdaptiveLoss loss;
    private final Adam adam;
    private final int batch;
    private final Buffers velocityPass = new Buffers();
    private final Buffers forwardPass = new Buffers();
    private final Buffers tangentPass = new Buffers();
    private final Buffers backwardPass = new Buffers();
    private int stepCount;

    public ToyTrainer(PredictionKind kind, Lift lift, int hidden, int depth, DataType dataType, long initSeed,
                      TimeSampler.Options timeOptions, AdaptiveLoss.Options lossOptions, double learningRate, int batch) {
        ParamSet.Builder b = new ParamSet.Builder(dataType);
        this.net = new ToyMlp(b, lift.dim(), hidden, depth);
        this.params = b.build(initSeed);
        this.kind = kind;
        this.lift = lift;
        this.times = new TimeSampler(timeOptions);
        this.loss = new AdaptiveLoss(lossOptions);
        this.adam = new Adam(params, learningRate);
        this.batch = batch;
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
        INDArray x = lift.up(SwissRoll.sample(batch, rng), params.dataType());
        INDArray e = gaussian(batch, lift.dim(), params.dataType(), rng);
        TimeSampler.Times tr = times.sample(batch, rng);
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
        // the JVP direction: the model's own instantaneous velocity at r = t (h = 0), no gradient
        INDArray v = averageVelocity(batch.z(), net.forward(batch.z(), t, new double[t.length], velocityPass).output(), t);
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
     * is the network output itself for x-prediction. Row-major [n, 2].
     */
    public double[] sample(int n, RandomGenerator rng) {
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
