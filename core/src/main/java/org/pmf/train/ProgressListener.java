package org.pmf.train;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One line every {@code every} updates (and at the end):
 * {@code step 120/1000 | 3840 img | 35.2 img/s | loss 1.9812 mse_v 0.1204 | lr 1.0e-03 | ETA 0:12:31}.
 * Throughput and ETA count only this session's steps, so a resumed run reports honestly. A run
 * ended by a time budget reports how much of it is used, and its ETA is the budget's end when that
 * comes first.
 */
public final class ProgressListener implements TrainListener {

    private final long every;
    private final Consumer<String> out;
    private final TimeBudget<?> budget;

    public ProgressListener(long every, Consumer<String> out) {
        this(every, out, null);
    }

    /** @param budget the time budget that may end the run first, or null */
    public ProgressListener(long every, Consumer<String> out, TimeBudget<?> budget) {
        if (every < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1 step, got " + every);
        }
        this.every = every;
        this.out = out;
        this.budget = budget;
    }

    @Override
    public void onStep(TrainingContext ctx, Map<String, Double> metrics) {
        if (ctx.step() % every == 0 || ctx.step() == ctx.totalSteps()) {
            out.accept(line(ctx, metrics, budget));
        }
    }

    @Override
    public void onSkippedStep(TrainingContext ctx, Map<String, Double> metrics) {
        out.accept(String.format(Locale.ROOT, "step %d/%d | SKIPPED non-finite metrics %s", ctx.step() + 1, ctx.totalSteps(), metrics));
    }

    static String line(TrainingContext ctx, Map<String, Double> metrics, TimeBudget<?> budget) {
        double seconds = ctx.elapsedSeconds();
        long done = ctx.stepsThisSession();
        double imagesPerSecond = seconds > 0 ? done * ctx.batchSize() / seconds : 0;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %d/%d | %d img | %.1f img/s |",
                ctx.step(), ctx.totalSteps(), ctx.imagesSeen(), imagesPerSecond));
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            b.append(String.format(Locale.ROOT, " %s %.4f", m.getKey(), m.getValue()));
        }
        double eta = done > 0 ? seconds / done * (ctx.totalSteps() - ctx.step()) : Double.NaN;
        b.append(String.format(Locale.ROOT, " | lr %.1e", ctx.optimizer().nextLearningRate()));
        if (budget != null && budget.fractionUsed() > 0) {
            double used = budget.fractionUsed();
            // wall time per unit of budget so far, whichever clock the budget counts
            eta = Math.min(Double.isNaN(eta) ? Double.POSITIVE_INFINITY : eta, seconds * (1 - used) / used);
            b.append(String.format(Locale.ROOT, " | budget %.0f%% used", 100 * used));
        }
        b.append(" | ETA ").append(eta(eta));
        return b.toString();
    }

    static String eta(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
