package org.pmf.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pmf.io.RunState;
import org.pmf.nn.ParamSet;
import org.pmf.optim.Optimizer;

/**
 * What listeners may read about a running training: the model, its optimizer, the progress
 * counters and the run's identity. Counters are changed only by the trainer (and by
 * {@link #restore}); {@link #counters()} is where a data source keeps positions it must resume from.
 */
public final class TrainingContext {

    private final ParamSet params;
    private final Optimizer optimizer;
    private final long batchSize;
    private final long totalSteps;
    private final long seed;
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long step;
    private long imagesSeen;
    private long startStep;
    private long startNanos;
    private boolean finishedNormally;

    public TrainingContext(ParamSet params, Optimizer optimizer, long batchSize, long totalSteps, long seed) {
        if (batchSize < 1 || totalSteps < 0) {
            throw new IllegalArgumentException("need batchSize >= 1 and totalSteps >= 0, got " + batchSize + ", " + totalSteps);
        }
        this.params = params;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        this.totalSteps = totalSteps;
        this.seed = seed;
    }

    public ParamSet params() {
        return params;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Images per update (the global batch). */
    public long batchSize() {
        return batchSize;
    }

    /** The step at which training ends. */
    public long totalSteps() {
        return totalSteps;
    }

    public long seed() {
        return seed;
    }

    /** Updates applied so far (skipped steps excluded). */
    public long step() {
        return step;
    }

    public long imagesSeen() {
        return imagesSeen;
    }

    /** Named counters saved with checkpoints (data position, round, ...): a live, mutable map. */
    public Map<String, Long> counters() {
        return counters;
    }

    /** Seconds since {@link #markStart()}; with {@link #stepsThisSession()} gives throughput. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Updates applied since this process started training (a resumed run starts from its checkpoint). */
    public long stepsThisSession() {
        return step - startStep;
    }

    public RunState runState() {
        return new RunState(step, imagesSeen, seed, counters);
    }

    /** Continues from a checkpoint's counters (parameters and optimizer state are restored separately). */
    public void restore(RunState state) {
        if (state.seed() != seed) {
            throw new IllegalArgumentException("checkpoint was written by a run with seed " + state.seed()
                    + ", this run has seed " + seed + " (pmf.run.seed)");
        }
        step = state.step();
        imagesSeen = state.imagesSeen();
        counters.clear();
        counters.putAll(state.counters());
    }

    /** True in {@link TrainListener#onEnd} when the loop ended without an exception. */
    public boolean finishedNormally() {
        return finishedNormally;
    }

    /** For loops outside this package (the Spark driver): the end of a normal training. */
    public void markFinished() {
        finishedNormally = true;
    }

    /** For loops outside this package (the Spark driver): training (re)starts now. */
    public void markStart() {
        finishedNormally = false;
        startStep = step;
        startNanos = System.nanoTime();
    }

    void advance() {
        advance(1);
    }

    /** For loops outside this package: {@code steps} synchronous updates of the global batch were applied. */
    public void advance(long steps) {
        step += steps;
        imagesSeen += steps * batchSize;
    }
}
