package org.pmf.spark.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.Optimizer;
import org.pmf.optim.OptimizerConfig;
import org.pmf.optim.OptimizerState;
import org.pmf.parallel.Workers;
import org.pmf.perceptual.PerceptualLoss;
import org.pmf.train.DataParallelStep;
import org.pmf.train.PmfTrainingStep;

/**
 * The pMF network, its training step and its optimizer as one Spark replica: the state that is
 * averaged is the flat parameter vector and the optimizer's flat moments (and its update count,
 * equal on every replica). Each step splits its batch over the replica's worker threads
 * ({@link DataParallelStep}; one worker is the plain step), and the optimizer shares its updates
 * out on the same threads.
 */
public final class PmfReplica implements Replica<PmfTrainingStep.Batch> {

    /** Name of the flat parameter vector in the averaged state. */
    public static final String PARAMS = "params";

    private final PmfNet net;
    private final DataParallelStep step;
    private final Optimizer optimizer;

    /**
     * @param perceptual makes the optional perceptual term, once per worker (its networks keep per-call state)
     * @param workers    the threads of each step; the batch is split into as many shares
     */
    public PmfReplica(PmfNetConfig netConfig, ObjectiveOptions objective, Supplier<Optional<PerceptualLoss>> perceptual,
                      OptimizerConfig optimizerConfig, long initSeed, Workers workers) {
        this.net = PmfNet.create(netConfig, DataType.FLOAT, true, initSeed);
        this.step = new DataParallelStep(net, objective, perceptual, workers);
        this.optimizer = new Optimizer(optimizerConfig, net.params(), workers);
    }

    /** A replica without a perceptual term that steps on the caller's thread alone. */
    public PmfReplica(PmfNetConfig netConfig, ObjectiveOptions objective, OptimizerConfig optimizerConfig, long initSeed) {
        this(netConfig, objective, Optional::empty, optimizerConfig, initSeed, Workers.CALLER_ONLY);
    }

    public PmfNet net() {
        return net;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public void load(Map<String, INDArray> state) {
        INDArray params = state.get(PARAMS);
        if (params == null || params.length() != net.params().size()) {
            throw new IllegalArgumentException("state has no '" + PARAMS + "' vector of " + net.params().size()
                + " values; it holds " + state.keySet());
        }
        net.params().values().assign(params);
        Map<String, INDArray> opt = new LinkedHashMap<>(state);
        opt.remove(PARAMS);
        optimizer.state().load(opt);
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(PARAMS, net.params().values());
        m.putAll(optimizer.state().toTensors());
        return m;
    }

    @Override
    public Map<String, Double> step(long globalStep, PmfTrainingStep.Batch batch, RandomGenerator rng) {
        if (optimizer.state().count() != globalStep) {
            throw new IllegalStateException("optimizer has applied " + optimizer.state().count()
                + " updates but this is step " + globalStep + " (" + OptimizerState.COUNT + " out of step)");
        }
        Map<String, Double> metrics = new LinkedHashMap<>(step.computeGradients(batch, rng));
        if (Double.isFinite(metrics.get("loss"))) {
            optimizer.step();
        }
        return metrics;
    }
}
