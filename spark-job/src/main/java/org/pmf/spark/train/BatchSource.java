package org.pmf.spark.train;

/**
 * A task's stream of batches, positioned by the caller. Implementations are deterministic in
 * (run seed, partition, position) so that a retried task reads exactly the same examples.
 *
 * @param <B> the batch type
 */
public interface BatchSource<B> extends AutoCloseable {

    /** The next batch of the stream. */
    B next();

    @Override
    default void close() throws Exception {
    }
}
