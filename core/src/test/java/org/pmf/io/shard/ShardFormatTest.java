package org.pmf.io.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ShardFormatTest {

    private static final ShardHeader HEADER = new ShardHeader(8, 4, 3, 10); // L = 4, P = 48

    @TempDir
    java.nio.file.Path tmp;

    private final FileSystem fs = localFs();

    private static FileSystem localFs() {
        try {
            return FileSystem.getLocal(new Configuration()).getRawFileSystem();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Written(Path path, List<byte[]> examples, int[] labels, ShardInfo info) {
    }

    private Written writeShard(int n) throws IOException {
        Random rnd = new Random(7);
        Path path = new Path(tmp.toUri().toString(), "part-00000.shard");
        List<byte[]> examples = new ArrayList<>();
        int[] labels = new int[n];
        ShardInfo info;
        try (ShardWriter w = new ShardWriter(fs.create(path), "part-00000.shard", HEADER)) {
            for (int i = 0; i < n; i++) {
                byte[] e = new byte[HEADER.exampleBytes()];
                rnd.nextBytes(e);
                labels[i] = rnd.nextInt(10);
                examples.add(e);
                w.write(e, labels[i]);
            }
            info = w.finish();
        }
        return new Written(path, examples, labels, info);
    }

    @Test
    void batchesReturnEveryExampleAndLabelInWriteOrder() throws IOException {
        Written w = writeShard(7);
        assertEquals(7, w.info().count());
        assertEquals(Files.size(java.nio.file.Path.of(w.path().toUri())), w.info().bytes());
        List<byte[]> read = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (ShardReader r = ShardReader.open(fs, w.path())) {
            assertEquals(HEADER, r.header());
            assertEquals(7, r.count());
            while (r.hasNext()) {
                ShardBatch b = r.next(3);
                for (int i = 0; i < b.count(); i++) {
                    read.add(b.example(i));
                    labels.add(b.labels()[i]);
                }
            }
        }
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(w.examples().get(i), read.get(i), "example " + i);
            assertEquals(w.labels()[i], labels.get(i));
        }
    }

    @Test
    void batchTensorIsUint8OfShapeExamplesPatchesPatchDim() throws IOException {
        Written w = writeShard(2);
        try (ShardReader r = ShardReader.open(fs, w.path())) {
            ShardBatch b = r.readAll();
            INDArray x = b.patchesUint8();
            assertEquals(DataType.UINT8, x.dataType());
            assertArrayEquals(new long[] {2, 4, 48}, x.shape());
            byte[] e1 = w.examples().get(1);
            assertEquals(e1[3 * 48 + 5] & 0xff, x.getInt(1, 3, 5));
            assertEquals(w.labels()[1], b.labelsInt32().getInt(1));
        }
    }

    @Test
    void truncatedShardFailsAtOpenNamingTheShard() throws IOException {
        Written w = writeShard(5);
        try (RandomAccessFile f = new RandomAccessFile(w.path().toUri().getPath(), "rw")) {
            f.setLength(f.length() - 100);
        }
        ShardFormatException e = assertThrows(ShardFormatException.class, () -> ShardReader.open(fs, w.path()));
        assertTrue(e.getMessage().contains("part-00000.shard") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void flippedPixelByteFailsTheChecksumWhenTheLastBatchIsRead() throws IOException {
        Written w = writeShard(5);
        try (RandomAccessFile f = new RandomAccessFile(w.path().toUri().getPath(), "rw")) {
            f.seek(200);
            int b = f.read();
            f.seek(200);
            f.write(b ^ 1);
        }
        try (ShardReader r = ShardReader.open(fs, w.path())) {
            r.next(4);
            ShardFormatException e = assertThrows(ShardFormatException.class, () -> r.next(4));
            assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("part-00000.shard"), e.getMessage());
        }
    }

    @Test
    void unfinishedShardIsRejected() throws IOException {
        Path path = new Path(tmp.toUri().toString(), "part-00001.shard");
        try (ShardWriter w = new ShardWriter(fs.create(path), "part-00001.shard", HEADER)) {
            w.write(new byte[HEADER.exampleBytes()], 1);
        }
        ShardFormatException e = assertThrows(ShardFormatException.class, () -> ShardReader.open(fs, path));
        assertTrue(e.getMessage().contains("part-00001.shard"), e.getMessage());
    }

    @Test
    void emptyShardReadsAsNoExamples() throws IOException {
        Written w = writeShard(0);
        try (ShardReader r = ShardReader.open(fs, w.path())) {
            assertEquals(0, r.count());
            assertFalse(r.hasNext());
        }
    }

    @Test
    void manifestSurvivesAJsonRoundTrip() throws IOException {
        Manifest m = new Manifest("run-abc", HEADER, "adm-center-crop", 42, 100, List.of("n01\"x", "n02"),
                List.of(new ShardInfo("part-00000.shard", 7, 1234, 0xfedcba98L)), 3);
        Path dir = new Path(tmp.toUri().toString());
        m.write(fs, dir);
        assertEquals(m, Manifest.read(fs, dir));
        assertEquals(7, m.totalExamples());
        assertEquals(List.of(new Path(dir, "part-00000.shard")), m.shardPaths(dir));
    }
}
