package org.pmf.io.shard;

/** A shard that cannot be used (truncated, bad checksum, foreign header); the message names it. */
public final class ShardFormatException extends RuntimeException {

    public ShardFormatException(String shard, String problem) {
        super("shard " + shard + ": " + problem);
    }

    public ShardFormatException(String shard, String problem, Throwable cause) {
        super("shard " + shard + ": " + problem, cause);
    }
}
