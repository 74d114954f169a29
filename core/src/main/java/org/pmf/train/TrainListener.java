package org.pmf.train;

import java.util.Map;

/**
 * Observes a training loop, in the style of DJL's EasyTrain listeners. Listeners run in the order
 * they were given, so an {@link EmaListener} placed before a {@link CheckpointListener} has updated
 * the averages by the time the checkpoint is taken.
 */
public interface TrainListener {

    default void onStart(TrainingContext ctx) {
    }

    /** After an update was applied; {@code ctx.step()} already counts it. */
    default void onStep(TrainingContext ctx, Map<String, Double> metrics) {
    }

    /** After a step whose metrics were not finite: gradients were discarded, no update was applied. */
    default void onSkippedStep(TrainingContext ctx, Map<String, Double> metrics) {
    }

    /** After the last step, also when training stops early with an exception. */
    default void onEnd(TrainingContext ctx) {
    }
}
