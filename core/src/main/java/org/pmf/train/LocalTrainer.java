package org.pmf.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The single-JVM training loop: for each batch, zero the gradients, run the {@link TrainingStep},
 * apply the optimizer, tell the listeners. A step whose metrics are not all finite is not applied
 * (architecture.md decision 7: a non-finite loss never reaches the weights); after
 * {@code maxNonFiniteInARow} such steps in a row training stops with a {@link NonFiniteLossException}.
 *
 * @param <B> the batch type
 */
public final class LocalTrainer<B> {

    private final TrainingStep<B> step;
    private final List<TrainListener> listeners;
    private final int maxNonFiniteInARow;

    public LocalTrainer(TrainingStep<B> step, List<TrainListener> listeners, int maxNonFiniteInARow) {
        if (maxNonFiniteInARow < 1) {
            throw new IllegalArgumentException("maxNonFiniteInARow must be >= 1, got " + maxNonFiniteInARow);
        }
        this.step = step;
        this.listeners = new ArrayList<>(listeners);
        this.maxNonFiniteInARow = maxNonFiniteInARow;
    }

    /**
     * Trains from {@code ctx.step()} until {@code ctx.totalSteps()} updates have been applied or the
     * batches run out.
     */
    public void fit(TrainingContext ctx, Iterator<B> batches) {
        ctx.markStart();
        listeners.forEach(l -> l.onStart(ctx));
        int nonFinite = 0;
        try {
            while (ctx.step() < ctx.totalSteps() && batches.hasNext()) {
                ctx.params().zeroGrads();
                Map<String, Double> metrics = step.step(batches.next());
                if (!allFinite(metrics)) {
                    nonFinite++;
                    ctx.params().zeroGrads();
                    listeners.forEach(l -> l.onSkippedStep(ctx, metrics));
                    if (nonFinite >= maxNonFiniteInARow) {
                        throw new NonFiniteLossException(ctx.step(), nonFinite, metrics);
                    }
                    continue;
                }
                nonFinite = 0;
                ctx.optimizer().step();
                ctx.advance();
                listeners.forEach(l -> l.onStep(ctx, metrics));
            }
            ctx.markFinished();
        } finally {
            listeners.forEach(l -> l.onEnd(ctx));
        }
    }

    private static boolean allFinite(Map<String, Double> metrics) {
        for (double v : metrics.values()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
