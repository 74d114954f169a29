package org.pmf.optim;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;

/**
 * Applies one update to every parameter of a {@link ParamSet} from its accumulated gradients:
 * Muon for 2-D {@link Param.Role#MATRIX} parameters and AdamW for the rest, as the official code's
 * {@code optax.contrib.muon(learning_rate, adam_b2=0.95)} (pmf-method.md section 4.1); or AdamW for
 * every parameter ({@link OptimizerConfig.Kind#ADAM}).
 *
 * <p>Muon, following optax's {@code scale_by_muon} then {@code scale_by_learning_rate}, with t the
 * update number from 1: {@code m <- beta m + (1 - beta) g}; with Nesterov
 * {@code m^ = beta m / (1 - beta^(t+1)) + (1 - beta) g / (1 - beta^t)}, otherwise {@code m^ = m / (1 - beta^t)};
 * {@code O = NewtonSchulz(m^)}; {@code W <- W - lr sqrt(max(1, cols/rows)) O}. optax scales by
 * {@code sqrt(max(1, shape[-1]/shape[-2]))}; our kernels are stored [in, out] like Flax's Dense
 * kernels, so rows = fan_in and cols = fan_out and the factor is sqrt(max(1, fan_out/fan_in)):
 * layers that widen get larger steps. No weight decay on Muon parameters (optax default 0).
 *
 * <p>AdamW, following optax's {@code scale_by_adam} + {@code add_decayed_weights} + learning rate:
 * {@code m <- b1 m + (1-b1) g}, {@code v <- b2 v + (1-b2) g^2}, {@code m^} as above with b1 (Nesterov,
 * Dozat 2016, when enabled) or {@code m / (1 - b1^t)}, {@code v^ = v / (1 - b2^t)},
 * {@code W <- W - lr (m^ / (sqrt(v^) + eps) + wd W)}. Current optax passes {@code nesterov=True}
 * to the AdamW inside {@code muon}; the official run's optax version is not pinned, so whether it
 * used Nesterov there is not certain. We default to current optax (Nesterov on) and expose
 * {@code pmf.optimizer.adam.nesterov}; off with zero decay gives textbook Adam (Kingma and Ba).
 *
 * <p>State lives in an {@link OptimizerState} of flat arrays aligned with the parameters.
 * Gradients are read, not cleared: the caller zeroes them before the next backward pass.
 */
public final class Optimizer {

    private final OptimizerConfig config;
    private final ParamSet params;
    private final OptimizerState state;
    private final List<Slot> slots = new ArrayList<>();

    /** One parameter with its views into the state vectors. */
    private record Slot(Param param, boolean muon, INDArray firstMoment, INDArray secondMoment) {
    }

    public Optimizer(OptimizerConfig config, ParamSet params) {
        this.config = config;
        this.params = params;
        this.state = OptimizerState.zeros(params.dataType(), params.size());
        long offset = 0;
        for (Param p : params.params()) {
            long n = p.length();
            boolean muon = config.kind() == OptimizerConfig.Kind.MUON_ADAMW && p.role() == Param.Role.MATRIX;
            if (muon && p.shape().length != 2) {
                throw new IllegalArgumentException("parameter " + p + " has role MATRIX but is not 2-D; Muon needs a matrix");
            }
            slots.add(new Slot(p, muon, view(state.firstMoment(), offset, n, p.shape()),
                    view(state.secondMoment(), offset, n, p.shape())));
            offset += n;
        }
        if (offset != params.size()) {
            throw new IllegalStateException("parameters cover " + offset + " of " + params.size() + " values");
        }
    }

    public OptimizerConfig config() {
        return config;
    }

    public OptimizerState state() {
        return state;
    }

    /** The learning rate the next {@link #step()} will use. */
    public double nextLearningRate() {
        return config.learningRateAt(state.count());
    }

    /** Updates every parameter in place from its gradient and advances the state by one update. */
    public void step() {
        double lr = nextLearningRate();
        long t = state.count() + 1;
        for (Slot s : slots) {
            if (s.muon) {
                muon(s, lr, t);
            } else {
                adam(s, lr, t);
            }
        }
        state.advance();
    }

    private void muon(Slot s, double lr, long t) {
        double beta = config.muonBeta();
        INDArray g = s.param.grad();
        INDArray m = s.firstMoment;
        m.muli(beta).addi(g.mul(1 - beta));
        INDArray mHat = corrected(m, g, beta, t, config.muonNesterov());
        INDArray o = NewtonSchulz.orthogonalize(mHat, config.nsCoefficients(), config.nsSteps(), config.eps());
        long[] shape = s.param.shape();
        double scale = Math.sqrt(Math.max(1.0, (double) shape[1] / shape[0]));
        s.param.value().subi(o.muli(lr * scale));
    }

    private void adam(Slot s, double lr, long t) {
        double b1 = config.adamBeta1();
        double b2 = config.adamBeta2();
        INDArray g = s.param.grad();
        INDArray m = s.firstMoment;
        INDArray v = s.secondMoment;
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.mul(g).muli(1 - b2));
        INDArray mHat = corrected(m, g, b1, t, config.adamNesterov());
        INDArray denom = Transforms.sqrt(v.div(1 - Math.pow(b2, t)), false).addi(config.eps());
        INDArray update = mHat.divi(denom);
        if (config.adamWeightDecay() != 0) {
            update.addi(s.param.value().mul(config.adamWeightDecay()));
        }
        s.param.value().subi(update.muli(lr));
    }

    /** A new array: the bias-corrected first moment, in optax's Nesterov form when asked. */
    private static INDArray corrected(INDArray m, INDArray g, double beta, long t, boolean nesterov) {
        if (!nesterov) {
            return m.div(1 - Math.pow(beta, t));
        }
        return m.mul(beta / (1 - Math.pow(beta, t + 1))).addi(g.mul((1 - beta) / (1 - Math.pow(beta, t))));
    }

    private static INDArray view(INDArray flat, long offset, long n, long[] shape) {
        return flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }
}
