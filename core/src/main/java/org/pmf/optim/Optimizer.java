package org.pmf.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.parallel.Workers;

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
 *
 * <p>Every buffer is allocated once, in the constructor: Muon matrices of one shape are
 * orthogonalised together ({@link NewtonSchulzBatch}), and runs of neighbouring AdamW parameters
 * in the flat vector are updated as one segment, so an update runs a few hundred ND4J operations
 * instead of thousands of allocating ones (bench/train-step.md). The groups and segments touch
 * disjoint memory, so {@link Workers} can update them side by side.
 */
public final class Optimizer {

    private final OptimizerConfig config;
    private final OptimizerState state;
    private final List<MuonGroup> muonGroups = new ArrayList<>();
    private final List<AdamSegment> adamSegments = new ArrayList<>();
    private final Workers workers;

    /** Muon matrices of one shape, orthogonalised together. */
    private record MuonGroup(List<Param> params, List<INDArray> momenta, NewtonSchulzBatch ns, double scale) {
    }

    /**
     * Neighbouring AdamW parameters, as one interval of the flat vectors, with scratch of its length.
     * Adam is element-wise, so the interval's update equals the per-parameter updates.
     */
    private record AdamSegment(INDArray value, INDArray grad, INDArray firstMoment, INDArray secondMoment,
                               INDArray scratch, INDArray update) {
    }

    public Optimizer(OptimizerConfig config, ParamSet params) {
        this(config, params, Workers.CALLER_ONLY);
    }

    /** An optimizer whose independent updates (Muon's shape groups, AdamW's segments) run on {@code workers}. */
    public Optimizer(OptimizerConfig config, ParamSet params, Workers workers) {
        this.config = config;
        this.workers = workers;
        this.state = OptimizerState.zeros(params.dataType(), params.size());
        Map<String, List<Param>> byShape = new LinkedHashMap<>();
        Map<String, List<INDArray>> momentaByShape = new LinkedHashMap<>();
        List<long[]> adamRuns = new ArrayList<>();
        long offset = 0;
        for (Param p : params.params()) {
            long n = p.length();
            boolean muon = config.kind() == OptimizerConfig.Kind.MUON_ADAMW && p.role() == Param.Role.MATRIX;
            if (muon && p.shape().length != 2) {
                throw new IllegalArgumentException("parameter " + p + " has role MATRIX but is not 2-D; Muon needs a matrix");
            }
            if (muon) {
                String key = p.shape()[0] + "x" + p.shape()[1];
                byShape.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
                momentaByShape.computeIfAbsent(key, x -> new ArrayList<>()).add(view(state.firstMoment(), offset, n, p.shape()));
            } else if (!adamRuns.isEmpty() && adamRuns.get(adamRuns.size() - 1)[1] == offset) {
                adamRuns.get(adamRuns.size() - 1)[1] = offset + n;
            } else {
                adamRuns.add(new long[] {offset, offset + n});
            }
            offset += n;
        }
        if (offset != params.size()) {
            throw new IllegalStateException("parameters cover " + offset + " of " + params.size() + " values");
        }
        for (Map.Entry<String, List<Param>> e : byShape.entrySet()) {
            List<Param> ps = e.getValue();
            long[] shape = ps.get(0).shape();
            NewtonSchulzBatch ns = new NewtonSchulzBatch(ps.size(), shape[0], shape[1], params.dataType(),
                config.nsCoefficients(), config.nsSteps(), config.eps());
            muonGroups.add(new MuonGroup(List.copyOf(ps), List.copyOf(momentaByShape.get(e.getKey())), ns,
                Math.sqrt(Math.max(1.0, (double) shape[1] / shape[0]))));
        }
        // costliest first, so that threads taking the next free update end close together
        muonGroups.sort(java.util.Comparator.comparingDouble((MuonGroup g) -> {
            long[] shape = g.params().get(0).shape();
            return -(double) g.params().size() * shape[0] * shape[1] * Math.min(shape[0], shape[1]);
        }));
        long adamLength = adamRuns.stream().mapToLong(r -> r[1] - r[0]).sum();
        INDArray scratch = Nd4j.create(params.dataType(), Math.max(1, adamLength));
        INDArray update = Nd4j.create(params.dataType(), Math.max(1, adamLength));
        long at = 0;
        for (long[] r : adamRuns) {
            long n = r[1] - r[0];
            adamSegments.add(new AdamSegment(interval(params.values(), r[0], n), interval(params.grads(), r[0], n),
                interval(state.firstMoment(), r[0], n), interval(state.secondMoment(), r[0], n),
                interval(scratch, at, n), interval(update, at, n)));
            at += n;
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
        step(nextLearningRate());
    }

    /**
     * As {@link #step()} at the given learning rate instead of the configured schedule's: for a
     * caller with a schedule of its own (the evaluator's classifier decays its rate linearly).
     */
    public void step(double lr) {
        long t = state.count() + 1;
        List<Callable<Void>> updates = new ArrayList<>();
        for (MuonGroup g : muonGroups) {
            updates.add(() -> {
                muon(g, lr, t);
                return null;
            });
        }
        for (AdamSegment s : adamSegments) {
            updates.add(() -> {
                adam(s, lr, t);
                return null;
            });
        }
        workers.run(updates);
        state.advance();
    }

    private void muon(MuonGroup group, double lr, long t) {
        double beta = config.muonBeta();
        NewtonSchulzBatch ns = group.ns();
        for (int i = 0; i < group.params().size(); i++) {
            INDArray g = group.params().get(i).grad();
            INDArray m = group.momenta().get(i);
            INDArray scratch = ns.scratch(i);
            m.muli(beta).addi(scratch.assign(g).muli(1 - beta));
            corrected(m, g, beta, t, config.muonNesterov(), ns.input(i), scratch);
        }
        ns.run();
        for (int i = 0; i < group.params().size(); i++) {
            group.params().get(i).value().subi(ns.output(i).muli(lr * group.scale()));
        }
    }

    private void adam(AdamSegment s, double lr, long t) {
        double b1 = config.adamBeta1();
        double b2 = config.adamBeta2();
        INDArray g = s.grad();
        INDArray scratch = s.scratch();
        s.firstMoment().muli(b1).addi(scratch.assign(g).muli(1 - b1));
        s.secondMoment().muli(b2).addi(scratch.assign(g).muli(g).muli(1 - b2));
        INDArray update = corrected(s.firstMoment(), g, b1, t, config.adamNesterov(), s.update(), scratch);
        INDArray denominator = Transforms.sqrt(scratch.assign(s.secondMoment()).divi(1 - Math.pow(b2, t)), false).addi(config.eps());
        update.divi(denominator);
        if (config.adamWeightDecay() != 0) {
            update.addi(scratch.assign(s.value()).muli(config.adamWeightDecay()));
        }
        s.value().subi(update.muli(lr));
    }

    /**
     * Writes the bias-corrected first moment into {@code out}, in optax's Nesterov form when asked:
     * {@code beta m / (1 - beta^(t+1)) + (1 - beta) g / (1 - beta^t)}, else {@code m / (1 - beta^t)}.
     */
    private static INDArray corrected(INDArray m, INDArray g, double beta, long t, boolean nesterov, INDArray out, INDArray scratch) {
        if (!nesterov) {
            return out.assign(m).divi(1 - Math.pow(beta, t));
        }
        return out.assign(m).muli(beta / (1 - Math.pow(beta, t + 1))).addi(scratch.assign(g).muli((1 - beta) / (1 - Math.pow(beta, t))));
    }

    private static INDArray view(INDArray flat, long offset, long n, long[] shape) {
        return interval(flat, offset, n).reshape('c', shape);
    }

    private static INDArray interval(INDArray flat, long offset, long n) {
        return flat.get(NDArrayIndex.interval(offset, offset + n));
    }
}
