package org.pmf.spark.train;

import java.util.List;
import java.util.Map;

/**
 * What a round did, for progress lines, metric files and checkpoints.
 *
 * @param round           the round just finished (1-based count of rounds done)
 * @param step            local steps per task done after this round
 * @param examples        examples consumed by all tasks after this round
 * @param tasks           tasks that trained in this round
 * @param globalBatch     examples per synchronous step (per-task batch x tasks)
 * @param metrics         mean of each metric over all local steps of the round
 * @param wallNanos       wall time of the round on the driver
 * @param computeNanos    summed time of all tasks' local steps, excluding waits for data
 * @param ioNanos         summed time all tasks waited for their next batch (shard reads not hidden by prefetching)
 * @param syncNanos       wall time outside the tasks' steps: broadcast, scheduling, reduction
 * @param discarded       true when a non-finite metric made the driver keep the previous state
 * @param nonFinite       where non-finite metrics appeared ("partition P, step S: key = value")
 */
public record RoundReport(long round, long step, long examples, int tasks, long globalBatch,
                          Map<String, Double> metrics, long wallNanos, long computeNanos, long ioNanos, long syncNanos,
                          boolean discarded, List<String> nonFinite) {
}
