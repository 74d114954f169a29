package org.pmf.spark.inspect;

import java.util.Map;

/**
 * One committed checkpoint of a run as listed, without reading its tensors.
 *
 * @param step      the update count it was saved at
 * @param fileSizes bytes of each file in its step folder, by name
 * @param latest    whether the run's LATEST pointer names it
 */
public record CheckpointSummary(long step, Map<String, Long> fileSizes, boolean latest) {

    public CheckpointSummary {
        fileSizes = Map.copyOf(fileSizes);
    }

    public long totalBytes() {
        return fileSizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
