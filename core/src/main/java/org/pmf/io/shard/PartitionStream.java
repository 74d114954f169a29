package org.pmf.io.shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The endless, shuffled stream of examples of one training partition, positioned by example index,
 * so that a task can start reading at any step and a retried task reads exactly the same examples.
 *
 * <p>Partition {@code p} of {@code P} owns the shards whose index in the manifest is {@code p} modulo
 * {@code P}. Epoch {@code e} visits the partition's shards in an order drawn from
 * (seed, e, p) and each shard's examples in an order drawn from (seed, e, shard): a class-mixed
 * order without random access into object storage. One whole shard is read at a time, and the
 * next one is fetched in the background while the current one is consumed.
 */
public final class PartitionStream implements AutoCloseable {

    private final FileSystem fs;
    private final Path dir;
    private final List<ShardInfo> shards;
    private final int[] owned;
    private final long examplesPerEpoch;
    private final long seed;
    private final int partition;
    private final ExecutorService prefetcher;

    private long position;
    private long epoch = -1;
    private int[] shardOrder;
    private int cursorShard = -1;
    private ShardBatch current;
    private int[] exampleOrder;
    private CompletableFuture<ShardBatch> prefetched;
    private int prefetchedSlot = -1;

    /**
     * @param fs        the file system of the shard folder
     * @param dir       the shard folder (holding {@code manifest.json})
     * @param manifest  the folder's manifest
     * @param partition this task's partition
     * @param partitions how many partitions share the shards; at most the number of shards
     * @param seed      the run seed
     * @param start     the example index to start at (steps done x batch size)
     */
    public PartitionStream(FileSystem fs, Path dir, Manifest manifest, int partition, int partitions, long seed, long start) {
        if (partitions > manifest.shards().size()) {
            throw new IllegalArgumentException(dir + " has " + manifest.shards().size() + " shards, fewer than the "
                + partitions + " training tasks; write more, smaller shards or train with fewer tasks");
        }
        this.fs = fs;
        this.dir = dir;
        this.shards = manifest.shards();
        List<Integer> mine = new ArrayList<>();
        for (int i = partition; i < shards.size(); i += partitions) {
            mine.add(i);
        }
        this.owned = mine.stream().mapToInt(Integer::intValue).toArray();
        long n = 0;
        for (int i : owned) {
            n += shards.get(i).count();
        }
        this.examplesPerEpoch = n;
        this.seed = seed;
        this.partition = partition;
        this.position = start;
        this.prefetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shard-prefetch-" + partition);
            t.setDaemon(true);
            return t;
        });
    }

    public long position() {
        return position;
    }

    /** Examples of this partition in one epoch. */
    public long examplesPerEpoch() {
        return examplesPerEpoch;
    }

    /**
     * The next {@code n} examples as uint8 patches ([n * L * P] bytes, example after example) and
     * labels, crossing shard and epoch boundaries as needed.
     */
    public ShardBatch next(int n) {
        byte[] pixels = null;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            long e = position / examplesPerEpoch;
            long offset = position % examplesPerEpoch;
            if (e != epoch) {
                startEpoch(e);
            }
            int slot = 0;
            while (offset >= shards.get(owned[shardOrder[slot]]).count()) {
                offset -= shards.get(owned[shardOrder[slot]]).count();
                slot++;
            }
            ensureShard(slot);
            if (pixels == null) {
                pixels = new byte[Math.multiplyExact(n, current.header().exampleBytes())];
            }
            int k = exampleOrder[(int) offset];
            int bytes = current.header().exampleBytes();
            System.arraycopy(current.pixels(), k * bytes, pixels, i * bytes, bytes);
            labels[i] = current.labels()[k];
            position++;
        }
        return new ShardBatch(current.header(), n, pixels, labels);
    }

    private void startEpoch(long e) {
        epoch = e;
        shardOrder = permutation(owned.length, new SplittableRandom(mix(seed, e, partition)));
        cursorShard = -1;
        prefetchedSlot = -1;
        prefetched = null;
    }

    private void ensureShard(int slot) {
        if (slot == cursorShard) {
            return;
        }
        current = prefetched != null && prefetchedSlot == slot ? prefetched.join() : read(owned[shardOrder[slot]]);
        int shardIndex = owned[shardOrder[slot]];
        exampleOrder = permutation(current.count(), new SplittableRandom(mix(seed, epoch, 1_000_000L + shardIndex)));
        cursorShard = slot;
        int nextSlot = slot + 1;
        if (nextSlot < owned.length) {
            int nextShard = owned[shardOrder[nextSlot]];
            prefetched = CompletableFuture.supplyAsync(() -> read(nextShard), prefetcher);
            prefetchedSlot = nextSlot;
        } else {
            prefetched = null;
            prefetchedSlot = -1;
        }
    }

    private ShardBatch read(int shardIndex) {
        ShardInfo info = shards.get(shardIndex);
        try (ShardReader r = ShardReader.open(fs, new Path(dir, info.name()))) {
            if (r.count() != info.count()) {
                throw new ShardFormatException(info.name(), "holds " + r.count() + " examples, the manifest says " + info.count());
            }
            return r.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("reading shard " + new Path(dir, info.name()), e);
        }
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        prefetcher.shutdownNow();
    }
}
