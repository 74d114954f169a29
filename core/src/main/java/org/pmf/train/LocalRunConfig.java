package org.pmf.train;

import org.pmf.config.ConfigSection;
import org.pmf.eval.GuidanceSweep;

/**
 * The local Fashion-MNIST command's own settings, the {@code pmf.local} section; everything else
 * (model, objective, optimizer, EMA, batch, steps, checkpoints) comes from the shared sections.
 *
 * @param budgetMinutes     time budget of the training loop (0: pmf.train.steps alone ends it)
 * @param budgetClock       what the budget counts: wall time or this process's CPU time
 * @param threads           worker threads of the training step ({@link DataParallelStep}); 0: the available processors
 * @param progressEvery     a progress line every this many steps
 * @param trainImages       training images used, the first ones of the split (0: all)
 * @param emaHalfLifeKimg   the EMA whose weights are evaluated, one of pmf.ema.half-lives-kimg (0: the raw weights)
 * @param eval              the guidance sweep of the evaluation at the end
 */
public record LocalRunConfig(double budgetMinutes, TimeBudget.Clock budgetClock, int threads, int progressEvery, int trainImages, double emaHalfLifeKimg,
                             GuidanceSweep.Options eval) {

    public static LocalRunConfig fromConfig(ConfigSection s) {
        ConfigSection e = s.section("eval");
        return new LocalRunConfig(s.getDouble("budget-minutes", 0, 1e6), s.getEnum("budget-clock", TimeBudget.Clock.class), s.getInt("threads", 0, 1024),
            s.getInt("progress-every", 1, 1 << 30),
            s.getInt("train-images", 0, Integer.MAX_VALUE), e.getDouble("ema-half-life-kimg", 0, 1e9),
            GuidanceSweep.Options.fromConfig(e));
    }

    /** The worker threads to train with: {@link #threads()}, or the JVM's available processors when that is 0. */
    public int workerThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The label of the evaluated weights, as checkpoints name them ("raw" or the EMA's half-life). */
    public String weightsLabel() {
        return emaHalfLifeKimg == 0 ? "raw" : "ema-" + TrainingSnapshot.emaLabel(emaHalfLifeKimg);
    }
}
