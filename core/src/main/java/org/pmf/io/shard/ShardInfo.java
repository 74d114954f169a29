package org.pmf.io.shard;

/** One finished shard as the manifest lists it: file name, example count, size and CRC-32. */
public record ShardInfo(String name, long count, long bytes, long crc32) implements java.io.Serializable {
}
