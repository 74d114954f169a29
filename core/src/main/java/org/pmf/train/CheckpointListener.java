package org.pmf.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.pmf.io.CheckpointPolicy;
import org.pmf.io.CheckpointStore;
import org.pmf.optim.Ema;

/**
 * Saves a checkpoint whenever the policy says one is due, and at the end of a training that
 * finished normally (unless that step was just saved). A loop that stopped with an exception is
 * not checkpointed at the end: the last committed checkpoint stays the newest.
 */
public final class CheckpointListener implements TrainListener {

    /** Told after each checkpoint was committed, e.g. to write previews next to it. */
    public interface Observer {
        void saved(TrainingContext ctx);
    }

    private final CheckpointStore store;
    private final CheckpointPolicy policy;
    private final Ema ema;
    private final String redactedConfig;
    private final List<Observer> observers;
    private long lastSaved = -1;

    /**
     * @param ema            the averages to save with each checkpoint, or null
     * @param redactedConfig the run's configuration from {@link org.pmf.config.ConfigLoader#renderWithoutSecrets}
     */
    public CheckpointListener(CheckpointStore store, CheckpointPolicy policy, Ema ema, String redactedConfig,
                              List<Observer> observers) {
        this.store = store;
        this.policy = policy;
        this.ema = ema;
        this.redactedConfig = redactedConfig;
        this.observers = List.copyOf(observers);
    }

    public CheckpointListener(CheckpointStore store, CheckpointPolicy policy, Ema ema, String redactedConfig) {
        this(store, policy, ema, redactedConfig, List.of());
    }

    @Override
    public void onStart(TrainingContext ctx) {
        lastSaved = ctx.step();
    }

    @Override
    public void onStep(TrainingContext ctx, Map<String, Double> metrics) {
        if (policy.dueAt(ctx.step())) {
            save(ctx);
        }
    }

    @Override
    public void onEnd(TrainingContext ctx) {
        if (ctx.finishedNormally() && ctx.step() != lastSaved) {
            save(ctx);
        }
    }

    private void save(TrainingContext ctx) {
        try {
            store.save(TrainingSnapshot.capture(ctx, ema, redactedConfig), policy);
            lastSaved = ctx.step();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save checkpoint of step " + ctx.step() + " under " + store.runDir(), e);
        }
        observers.forEach(o -> o.saved(ctx));
    }
}
