package org.pmf.spark.train;

import java.io.Serializable;
import org.pmf.parallel.Workers;

/**
 * Builds, on an executor, what a task needs: the replica and its data. Shipped to executors in the
 * task closure, so it holds only validated config records, never Spark or ND4J objects.
 *
 * @param <B> the batch type
 */
public interface ReplicaFactory<B> extends Serializable {

    /**
     * A replica with freshly allocated buffers whose steps run on {@code workers} (its state is
     * overwritten before the first step). Replicas are pooled per executor and reused by later tasks
     * of the same run, so the workers live as long as the replica.
     */
    Replica<B> newReplica(Workers workers);

    /**
     * The batches of one partition, positioned at {@code firstBatch}: the batch sequence of a
     * partition is fixed, and round n of a run with K local steps starts at batch n * K.
     */
    BatchSource<B> batches(int partition, int partitions, long firstBatch);

    /** Examples per batch of one task, for the global batch size and images/s. */
    int batchSize();
}
