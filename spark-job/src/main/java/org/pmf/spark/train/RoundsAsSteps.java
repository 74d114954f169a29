package org.pmf.spark.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pmf.optim.Ema;
import org.pmf.train.TrainListener;
import org.pmf.train.TrainingContext;

/**
 * Lets the driver reuse the local trainer's listeners (progress line, metrics file, checkpoints):
 * each averaging round is reported to them as one update of K synchronous steps. The driver's
 * model receives the averaged state first, so listeners see the parameters the next round starts
 * from; the EMAs are updated once per round, with a round's images as their batch.
 */
public final class RoundsAsSteps implements RoundListener {

    private final PmfReplica driverModel;
    private final TrainingContext ctx;
    private final Ema ema;
    private final int localSteps;
    private final List<TrainListener> listeners;

    public RoundsAsSteps(PmfReplica driverModel, TrainingContext ctx, Ema ema, int localSteps, List<TrainListener> listeners) {
        this.driverModel = driverModel;
        this.ctx = ctx;
        this.ema = ema;
        this.localSteps = localSteps;
        this.listeners = List.copyOf(listeners);
    }

    /** Call once before the first round. */
    public void start() {
        ctx.markStart();
        listeners.forEach(l -> l.onStart(ctx));
    }

    @Override
    public void onRound(RoundReport report, TrainerState state) {
        Map<String, Double> metrics = new LinkedHashMap<>(report.metrics());
        metrics.put("round_s", report.wallNanos() / 1e9);
        metrics.put("compute_s", report.computeNanos() / 1e9 / Math.max(1, report.tasks()));
        metrics.put("io_s", report.ioNanos() / 1e9 / Math.max(1, report.tasks()));
        metrics.put("sync_s", report.syncNanos() / 1e9);
        if (report.discarded()) {
            listeners.forEach(l -> l.onSkippedStep(ctx, metrics));
            return;
        }
        driverModel.load(state.arrays());
        ctx.advance(localSteps);
        ctx.counters().put("round", report.round());
        ema.update(report.round(), ctx.params().values());
        listeners.forEach(l -> l.onStep(ctx, metrics));
    }

    @Override
    public void onEnd(TrainerState state) {
        ctx.markFinished();
        listeners.forEach(l -> l.onEnd(ctx));
    }

    /** After a failure: listeners close their files without writing a final checkpoint. */
    public void abort() {
        listeners.forEach(l -> l.onEnd(ctx));
    }
}
