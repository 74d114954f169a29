package org.pmf.dataprep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.dataprep.image.AdmCenterCrop;
import org.pmf.dataprep.image.ImageDecoder;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.ShardBatch;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardReader;
import org.pmf.testing.ImageNetStyleTree;

/** The Spark job end to end in local mode on a small generated ImageNet-style tree. */
class DataPrepJobTest {

    @TempDir
    static java.nio.file.Path tmp;

    private static JavaSparkContext sc;
    private static ImageNetStyleTree tree;
    private static DataPrepConfig config;
    private static DataPrepJob.Outcome first;
    private static FileSystem fs;

    @BeforeAll
    static void runOnce() throws Exception {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("DataPrepJobTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        tree = ImageNetStyleTree.create(tmp.resolve("train"));
        config = config(tree.root(), tmp.resolve("out1"), DataPrepConfig.InputLayout.CLASS_FOLDERS, DataPrepConfig.OnBadInput.SKIP);
        fs = FileSystem.getLocal(new Configuration());
        first = DataPrepJob.run(sc, config);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
    }

    private static DataPrepConfig config(java.nio.file.Path in, java.nio.file.Path out, DataPrepConfig.InputLayout layout, DataPrepConfig.OnBadInput onBad) {
        return new DataPrepConfig(in.toUri().toString(), layout, "", "", out.toUri().toString(), 32, 8, 4, 7L, onBad,
                DataPrepConfig.ExistingOutput.RESUME, 1);
    }

    private static byte[] directlyPreprocessed(ImageRef ref) throws Exception {
        byte[] data = Files.readAllBytes(java.nio.file.Path.of(new Path(ref.path()).toUri().getPath()));
        return PatchLayout.patchify(AdmCenterCrop.apply(ImageDecoder.decode(data), 32), 8);
    }

    @Test
    void shardsHoldEveryGoodImagePreprocessedInPlanOrder() throws Exception {
        ShardPlan plan = ShardPlan.make(ClassFolderInput.list(fs, new Path(config.input())), config);
        Map<String, String> bad = tree.plantedBadInputs();
        Path out = new Path(config.output());
        int examples = 0;
        for (ShardPlan.Shard s : plan.shards()) {
            List<ImageRef> good = new ArrayList<>();
            for (ImageRef r : s.images()) {
                if (!bad.containsKey(new Path(r.path()).toUri().getPath())) {
                    good.add(r);
                }
            }
            try (ShardReader reader = ShardReader.open(fs, new Path(out, s.fileName()))) {
                ShardBatch all = reader.readAll();
                assertEquals(good.size(), all.count(), s.fileName());
                for (int i = 0; i < good.size(); i++) {
                    assertArrayEquals(directlyPreprocessed(good.get(i)), all.example(i), s.fileName() + " example " + i);
                    assertEquals(good.get(i).label(), all.labels()[i]);
                }
                examples += all.count();
            }
        }
        assertEquals(tree.goodImages(), examples);
    }

    @Test
    void manifestListsShardsCountsChecksumsAndTheClassIndex() throws Exception {
        Manifest m = Manifest.read(fs, new Path(config.output()));
        assertEquals(ImageNetStyleTree.CLASSES, m.classes());
        assertEquals(tree.goodImages(), m.totalExamples());
        assertEquals(tree.plantedBadInputs().size(), m.badInputs());
        int images = tree.goodImages() + tree.plantedBadInputs().size();
        assertEquals((images + 3) / 4, m.shards().size());
        assertEquals(32, m.header().imageSize());
        assertEquals(8, m.header().patchSize());
        for (ShardInfo s : m.shards()) {
            byte[] file = Files.readAllBytes(tmp.resolve("out1").resolve(s.name()));
            assertEquals(file.length, s.bytes(), s.name());
            CRC32 crc = new CRC32();
            crc.update(file, 0, file.length - 8);
            assertEquals(crc.getValue(), s.crc32(), s.name());
        }
    }

    @Test
    void badInputReportListsExactlyThePlantedFilesWithTheirReasons() throws Exception {
        Map<String, String> reported = new TreeMap<>();
        for (BadInput b : first.badInputs()) {
            reported.put(new Path(b.name()).toUri().getPath(), b.reason());
        }
        assertEquals(tree.plantedBadInputs().keySet(), reported.keySet());
        for (var e : tree.plantedBadInputs().entrySet()) {
            assertTrue(reported.get(e.getKey()).startsWith(e.getValue()), e.getKey() + ": " + reported.get(e.getKey()));
        }
        List<String> lines = Files.readAllLines(tmp.resolve("out1").resolve(DataPrepJob.BAD_INPUTS_FILE));
        assertEquals(1 + tree.plantedBadInputs().size(), lines.size());
        String summary = first.summaryLine();
        assertTrue(summary.contains(tree.plantedBadInputs().size() + " bad inputs skipped"), summary);
        assertTrue(summary.contains("unreadable=1") && summary.contains("empty file (0 bytes)=1"), summary);
    }

    @Test
    void secondRunIsByteIdentical() throws Exception {
        DataPrepConfig again = config(tree.root(), tmp.resolve("out2"), DataPrepConfig.InputLayout.CLASS_FOLDERS, DataPrepConfig.OnBadInput.SKIP);
        DataPrepJob.run(sc, again);
        Map<String, byte[]> a = ImageNetStyleTree.filesOf(tmp.resolve("out1"));
        Map<String, byte[]> b = ImageNetStyleTree.filesOf(tmp.resolve("out2"));
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
        }
    }

    @Test
    void rerunResumesKeepingCompleteShardsAndRewritesADamagedOne() throws Exception {
        java.nio.file.Path outDir = tmp.resolve("out-resume");
        DataPrepConfig c = config(tree.root(), outDir, DataPrepConfig.InputLayout.CLASS_FOLDERS, DataPrepConfig.OnBadInput.SKIP);
        DataPrepJob.run(sc, c);
        Map<String, byte[]> before = ImageNetStyleTree.filesOf(outDir);
        Files.delete(outDir.resolve(Manifest.FILE_NAME));
        java.nio.file.Path shard = outDir.resolve("part-00001.shard");
        byte[] full = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(full, full.length - 30));
        Files.deleteIfExists(outDir.resolve(".part-00001.shard.crc"));
        DataPrepJob.Outcome resumed = DataPrepJob.run(sc, c);
        assertEquals(1, resumed.shardsWritten());
        assertEquals(before.size() - 0, ImageNetStyleTree.filesOf(outDir).size());
        Map<String, byte[]> after = ImageNetStyleTree.filesOf(outDir);
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
        DataPrepJob.Outcome complete = DataPrepJob.run(sc, c);
        assertEquals(0, complete.shardsWritten());
    }

    @Test
    void outputOfADifferentRunIsRefused() {
        DataPrepConfig other = new DataPrepConfig(config.input(), config.inputLayout(), "", "", config.output(), 32, 8, 4, 8L,
                DataPrepConfig.OnBadInput.SKIP, DataPrepConfig.ExistingOutput.RESUME, 1);
        IOException e = assertThrows(IOException.class, () -> DataPrepJob.run(sc, other));
        assertTrue(e.getMessage().contains("holds run"), e.getMessage());
    }

    @Test
    void failSwitchStopsTheJobNamingTheBadFile() {
        DataPrepConfig strict = config(tree.root(), tmp.resolve("out-strict"), DataPrepConfig.InputLayout.CLASS_FOLDERS, DataPrepConfig.OnBadInput.FAIL);
        Exception e = assertThrows(Exception.class, () -> DataPrepJob.run(sc, strict));
        String text = String.valueOf(e.getMessage());
        assertTrue(tree.plantedBadInputs().keySet().stream().anyMatch(text::contains), text);
        assertTrue(text.contains("on-bad-input = fail"), text);
    }

    @Test
    void trainArchiveInputGivesTheSameShardsAsTheFolders() throws Exception {
        ImageNetStyleTree archivable = ImageNetStyleTree.createArchivable(tmp.resolve("archivable/train"));
        java.nio.file.Path archive = archivable.packAsTrainArchive(tmp.resolve("archivable"));
        DataPrepJob.run(sc, config(archivable.root(), tmp.resolve("out-folders"), DataPrepConfig.InputLayout.CLASS_FOLDERS, DataPrepConfig.OnBadInput.SKIP));
        DataPrepJob.Outcome fromArchive = DataPrepJob.run(sc, config(archive, tmp.resolve("out-archive"), DataPrepConfig.InputLayout.TRAIN_ARCHIVE, DataPrepConfig.OnBadInput.SKIP));
        Map<String, byte[]> a = ImageNetStyleTree.filesOf(tmp.resolve("out-folders"));
        Map<String, byte[]> b = ImageNetStyleTree.filesOf(tmp.resolve("out-archive"));
        int shards = 0;
        for (String name : a.keySet()) {
            if (name.endsWith(".shard")) {
                assertArrayEquals(a.get(name), b.get(name), name);
                shards++;
            }
        }
        assertEquals(fromArchive.manifest().shards().size(), shards);
        assertEquals(archivable.plantedBadInputs().size(), fromArchive.badInputs().size());
        assertEquals(ImageNetStyleTree.CLASSES, fromArchive.manifest().classes());
    }
}
