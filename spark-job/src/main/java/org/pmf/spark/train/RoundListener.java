package org.pmf.spark.train;

/**
 * Side effects of training on the driver (progress lines, metrics files, EMA, checkpoints), kept
 * out of the round loop in the style of DJL's EasyTrain listeners.
 */
public interface RoundListener {

    /** Called after every round, with the state the next round will start from. */
    void onRound(RoundReport report, TrainerState state) throws Exception;

    /** Called once when training stops normally. */
    default void onEnd(TrainerState state) throws Exception {
    }
}
