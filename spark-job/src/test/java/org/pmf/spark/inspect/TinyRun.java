package org.pmf.spark.inspect;

import com.typesafe.config.Config;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.pmf.config.ConfigLoader;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.ShardHeader;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardWriter;

/**
 * A run small enough for unit tests of the inspect API: 16x16 images in patches of 4, 5 classes,
 * two shards of striped images, and the tiny network shrunk to one block per part. Checkpoints
 * every 4 steps, 2 local steps per averaging round.
 */
final class TinyRun {

    static final int CLASSES = 5;
    private static final ShardHeader HEADER = new ShardHeader(16, 4, 3, CLASSES);

    private TinyRun() {
    }

    /** Writes shards with a manifest under {@code dir}. */
    static void writeShards(Path dir) throws Exception {
        FileSystem local = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.toUri());
        List<ShardInfo> shards = new ArrayList<>();
        for (int shard = 0; shard < 2; shard++) {
            String name = "part-0000" + shard + ".shard";
            try (OutputStream file = local.create(new org.apache.hadoop.fs.Path(out, name));
                 ShardWriter writer = new ShardWriter(file, name, HEADER)) {
                for (int example = 0; example < 10; example++) {
                    int label = (example + shard) % CLASSES;
                    byte[] pixels = new byte[HEADER.exampleBytes()];
                    for (int k = 0; k < pixels.length; k++) {
                        pixels[k] = (byte) ((k / 12 + label * 40) % 256); // stripes whose phase tells the class
                    }
                    writer.write(pixels, label);
                }
                shards.add(writer.finish());
            }
        }
        List<String> names = List.of("c0", "c1", "c2", "c3", "c4");
        new Manifest("tiny", HEADER, "striped test images", 0, 10, names, shards, 0).write(local, out);
    }

    /** The run {@code name} under {@code root}/runs, on the shards in {@code root}/shards, for {@code steps} steps. */
    static Config config(Path root, String name, long steps) throws java.io.IOException {
        Path file = root.resolve("tiny-run.conf");
        java.nio.file.Files.writeString(file, """
            pmf {
              run { seed = 3 }
              train { tasks = 1, batch-size = 4, local-steps = 2 }
              checkpoint { every-steps = 4, keep-last = 10 }
              model {
                preset = "tiny", num-classes = %d, image-size = 16, hidden-size = 32, heads = 2
                trunk-depth = 1, head-depth = 1, bottleneck = 16, swiglu-hidden = 48
              }
            }
            """.formatted(CLASSES));
        Map<String, String> run = new TreeMap<>();
        run.put("pmf.run.name", name);
        run.put("pmf.run.output", root.resolve("runs").toString());
        run.put("pmf.train.data", root.resolve("shards").toString());
        run.put("pmf.train.steps", Long.toString(steps));
        return ConfigLoader.loadFiles(List.of(file), run);
    }
}
