package org.pmf.io.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionStreamTest {

    /** 8x8 images, patch 4: 4 patches of 48 bytes, 3 classes. */
    private static final ShardHeader HEADER = new ShardHeader(8, 4, 3, 3);

    @TempDir
    java.nio.file.Path tmp;
    private FileSystem fs;
    private Path dir;
    private Manifest manifest;

    /** Five shards of 3, 4, 5, 6, 7 examples; example k carries the value k in its first byte (k < 256). */
    @BeforeEach
    void writeShards() throws Exception {
        fs = FileSystem.getLocal(new Configuration());
        dir = new Path(tmp.toUri());
        List<ShardInfo> infos = new ArrayList<>();
        int k = 0;
        for (int s = 0; s < 5; s++) {
            String name = String.format("part-%05d", s);
            try (OutputStream out = fs.create(new Path(dir, name));
                 ShardWriter w = new ShardWriter(out, name, HEADER)) {
                for (int i = 0; i < 3 + s; i++) {
                    byte[] example = new byte[HEADER.exampleBytes()];
                    example[0] = (byte) k;
                    w.write(example, k % 3);
                    k++;
                }
                infos.add(w.finish());
            }
        }
        manifest = new Manifest("test", HEADER, "none", 0, 7, List.of("a", "b", "c"), infos, 0);
    }

    private static int[] ids(ShardBatch b) {
        int[] out = new int[b.count()];
        for (int i = 0; i < b.count(); i++) {
            out[i] = b.pixels()[i * HEADER.exampleBytes()] & 0xff;
        }
        return out;
    }

    @Test
    void eachEpochVisitsEveryExampleOfThePartitionOnce() {
        try (PartitionStream p0 = new PartitionStream(fs, dir, manifest, 0, 2, 42, 0);
             PartitionStream p1 = new PartitionStream(fs, dir, manifest, 1, 2, 42, 0)) {
            // partition 0 owns shards 0, 2, 4 (3 + 5 + 7 examples), partition 1 shards 1, 3 (4 + 6)
            assertEquals(15, p0.examplesPerEpoch());
            assertEquals(10, p1.examplesPerEpoch());
            Set<Integer> seen0 = new HashSet<>();
            for (int id : ids(p0.next(15))) {
                seen0.add(id);
            }
            Set<Integer> seen1 = new HashSet<>();
            for (int id : ids(p1.next(10))) {
                seen1.add(id);
            }
            assertEquals(15, seen0.size());
            assertEquals(10, seen1.size());
            seen0.retainAll(seen1);
            assertTrue(seen0.isEmpty(), "partitions share examples " + seen0);
        }
    }

    @Test
    void startingAtAPositionReadsWhatAFullReadReadsThere() {
        int[] full;
        try (PartitionStream s = new PartitionStream(fs, dir, manifest, 0, 2, 42, 0)) {
            full = ids(s.next(40));   // crosses shard and epoch boundaries
        }
        for (int start : new int[] {1, 7, 15, 22}) {
            try (PartitionStream s = new PartitionStream(fs, dir, manifest, 0, 2, 42, start)) {
                int[] part = ids(s.next(40 - start));
                assertArrayEquals(java.util.Arrays.copyOfRange(full, start, 40), part, "start " + start);
            }
        }
    }

    @Test
    void epochsAreShuffledDifferentlyAndLabelsTravelWithTheirExamples() {
        try (PartitionStream s = new PartitionStream(fs, dir, manifest, 0, 1, 7, 0)) {
            ShardBatch first = s.next(25);
            ShardBatch second = s.next(25);
            assertNotEquals(java.util.Arrays.toString(ids(first)), java.util.Arrays.toString(ids(second)));
            int[] id = ids(first);
            for (int i = 0; i < id.length; i++) {
                assertEquals(id[i] % 3, first.labels()[i]);
            }
        }
    }

    @Test
    void moreTasksThanShardsIsRefusedWithAnExplanation() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PartitionStream(fs, dir, manifest, 0, 6, 1, 0));
        assertTrue(e.getMessage().contains("5 shards, fewer than the 6 training tasks"), e.getMessage());
    }
}
