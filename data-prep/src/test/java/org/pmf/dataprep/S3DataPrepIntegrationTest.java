package org.pmf.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.dataprep.image.AdmCenterCrop;
import org.pmf.dataprep.image.ImageDecoder;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.ShardBatch;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardReader;
import org.pmf.testing.ImageNetStyleTree;
import org.pmf.testing.S3ProxyServer;
import org.pmf.testing.SparkTestCluster;

/**
 * The data-prep application as a user runs it: a driver JVM on local-cluster[2,1,1024] (two real
 * executor JVMs) writing shards through s3a:// to a real S3 server (S3Proxy) on loopback; the
 * shards are then read back through s3a:// with the core reader.
 */
class S3DataPrepIntegrationTest {

    @TempDir
    Path tmp;

    @Test
    void shardsWrittenToS3ByRealExecutorsReadBackEqualDirectPreprocessing() throws Exception {
        ImageNetStyleTree tree = ImageNetStyleTree.create(tmp.resolve("train"));
        try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"))) {
            s3.createBucket("pmf-test");
            SparkTestCluster cluster = SparkTestCluster.create(tmp.resolve("cluster"));
            Map<String, String> props = new HashMap<>();
            s3.hadoopProperties().forEach((k, v) -> props.put("spark.hadoop." + k, v));
            String output = "s3a://pmf-test/imagenet32";
            SparkTestCluster.Run run = cluster.runDriver("org.pmf.dataprep.DataPrepMain", props, List.of(
                    "--input", tree.root().toUri().toString(), "--output", output, "--image-size", "32",
                    "--patch-size", "8", "--examples-per-shard", "4", "--progress-interval-seconds", "2"), 300);
            assertEquals(0, run.exitCode(), run.output());
            String last = run.output().lines().filter(l -> l.startsWith("data-prep done:")).findFirst().orElse(run.output());
            assertTrue(last.startsWith("data-prep done: " + tree.goodImages() + " images in 6 shards"), last);
            assertTrue(last.contains(tree.plantedBadInputs().size() + " bad inputs skipped"), last);
            assertEquals(2, cluster.executorsThatRanTasks(), "both executors ran tasks");

            Configuration conf = new Configuration();
            s3.hadoopProperties().forEach(conf::set);
            org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
            FileSystem fs = out.getFileSystem(conf);
            Manifest m = Manifest.read(fs, out);
            assertEquals(tree.goodImages(), m.totalExamples());
            List<String> read = new ArrayList<>();
            for (ShardInfo s : m.shards()) {
                try (ShardReader r = ShardReader.open(fs, new org.apache.hadoop.fs.Path(out, s.name()))) {
                    assertEquals(s.crc32(), r.storedCrc32());
                    ShardBatch all = r.readAll(); // verifies the checksum
                    for (int i = 0; i < all.count(); i++) {
                        read.add(all.labels()[i] + ":" + Base64.getEncoder().encodeToString(all.example(i)));
                    }
                }
            }
            assertEquals(expectedExamples(tree), read.stream().sorted().toList());
        }
    }

    private static List<String> expectedExamples(ImageNetStyleTree tree) throws Exception {
        List<String> expected = new ArrayList<>();
        for (int label = 0; label < ImageNetStyleTree.CLASSES.size(); label++) {
            try (Stream<Path> files = Files.list(tree.root().resolve(ImageNetStyleTree.CLASSES.get(label)))) {
                for (Path f : files.toList()) {
                    if (tree.plantedBadInputs().containsKey(f.toString())) {
                        continue;
                    }
                    byte[] ex = PatchLayout.patchify(AdmCenterCrop.apply(ImageDecoder.decode(Files.readAllBytes(f)), 32), 8);
                    expected.add(label + ":" + Base64.getEncoder().encodeToString(ex));
                }
            }
        }
        return expected.stream().sorted().toList();
    }
}
