package org.pmf.train;

import org.pmf.config.ConfigSection;

/**
 * How to train: the {@code pmf.train} section of reference.conf.
 *
 * @param data               shard folder written by data-prep
 * @param batchSize          examples per step of one task
 * @param steps              updates to train for
 * @param tasks              Spark tasks averaged every round
 * @param localSteps         K, local steps of every task between two averagings
 * @param maxNonFiniteRounds consecutive non-finite rounds before training stops
 * @param treeDepth          depth of the averaging tree reduction
 * @param threadsPerTask     threads of each task (0: spark.task.cpus); on the CPU backend, worker threads that split each batch
 */
public record TrainConfig(String data, int batchSize, long steps, int tasks, int localSteps, int maxNonFiniteRounds,
                          int treeDepth, int threadsPerTask) implements java.io.Serializable {

    public static TrainConfig fromConfig(ConfigSection s) {
        TrainConfig c = new TrainConfig(s.getString("data"), s.getInt("batch-size", 1, 1 << 20),
            s.getLong("steps", 1, Long.MAX_VALUE / 2), s.getInt("tasks", 1, 100_000), s.getInt("local-steps", 1, 1 << 20),
            s.getInt("max-non-finite-rounds", 1, 1000), s.getInt("tree-depth", 1, 16),
            s.getInt("threads-per-task", 0, 1024));
        if (c.steps() % c.localSteps() != 0) {
            throw s.invalid("steps", c.steps(), "must be a multiple of pmf.train.local-steps (" + c.localSteps()
                + "), so that every round runs K local steps");
        }
        return c;
    }

    /** Rounds of K local steps that make {@link #steps()}. */
    public long rounds() {
        return steps / localSteps;
    }
}
