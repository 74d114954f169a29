package org.pmf.io.shard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.io.Json;

/**
 * {@code manifest.json}, written last into a shard directory: its presence means the data set is
 * complete. Lists the shards (count, size, CRC-32), the class index (class i = {@code classes[i]},
 * sorted wnids as ImageFolder orders them), the preprocessing and the run that made it.
 */
public record Manifest(String runId, ShardHeader header, String preprocessing, long seed, int examplesPerShard,
                       List<String> classes, List<ShardInfo> shards, long badInputs)
        implements java.io.Serializable {

    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        classes = List.copyOf(classes);
        shards = List.copyOf(shards);
    }

    public long totalExamples() {
        return shards.stream().mapToLong(ShardInfo::count).sum();
    }

    /** Every shard's path, in manifest order, given the directory the manifest was read from. */
    public List<Path> shardPaths(Path dir) {
        return shards.stream().map(s -> new Path(dir, s.name())).toList();
    }

    public String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"format\": \"pmf-shards\",\n  \"version\": 1,\n");
        b.append("  \"run_id\": ").append(Json.quote(runId)).append(",\n");
        b.append("  \"image_size\": ").append(header.imageSize()).append(",\n");
        b.append("  \"patch_size\": ").append(header.patchSize()).append(",\n");
        b.append("  \"channels\": ").append(header.channels()).append(",\n");
        b.append("  \"num_classes\": ").append(header.numClasses()).append(",\n");
        b.append("  \"example_shape\": [").append(header.patches()).append(", ").append(header.patchDim()).append("],\n");
        b.append("  \"layout\": ").append(Json.quote(ShardHeader.LAYOUT)).append(",\n");
        b.append("  \"preprocessing\": ").append(Json.quote(preprocessing)).append(",\n");
        b.append("  \"seed\": ").append(seed).append(",\n");
        b.append("  \"examples_per_shard\": ").append(examplesPerShard).append(",\n");
        b.append("  \"total_examples\": ").append(totalExamples()).append(",\n");
        b.append("  \"bad_inputs\": ").append(badInputs).append(",\n");
        b.append("  \"classes\": [");
        for (int i = 0; i < classes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(Json.quote(classes.get(i)));
        }
        b.append("],\n  \"shards\": [\n");
        for (int i = 0; i < shards.size(); i++) {
            ShardInfo s = shards.get(i);
            b.append("    {\"name\": ").append(Json.quote(s.name())).append(", \"count\": ").append(s.count())
                    .append(", \"bytes\": ").append(s.bytes()).append(", \"crc32\": ").append(s.crc32())
                    .append(i + 1 < shards.size() ? "},\n" : "}\n");
        }
        b.append("  ]\n}\n");
        return b.toString();
    }

    public static Manifest fromJson(String json, String where) {
        try {
            Config c = ConfigFactory.parseString(json);
            ShardHeader header = new ShardHeader(c.getInt("image_size"), c.getInt("patch_size"), c.getInt("channels"), c.getInt("num_classes"));
            List<ShardInfo> shards = new ArrayList<>();
            for (Config s : c.getConfigList("shards")) {
                shards.add(new ShardInfo(s.getString("name"), s.getLong("count"), s.getLong("bytes"), s.getLong("crc32")));
            }
            return new Manifest(c.getString("run_id"), header, c.getString("preprocessing"), c.getLong("seed"),
                    c.getInt("examples_per_shard"), c.getStringList("classes"), shards, c.getLong("bad_inputs"));
        } catch (ConfigException | IllegalArgumentException e) {
            throw new ShardFormatException(where, "unreadable manifest: " + e.getMessage());
        }
    }

    /** Reads {@code dir/manifest.json}. */
    public static Manifest read(FileSystem fs, Path dir) throws IOException {
        Path p = new Path(dir, FILE_NAME);
        try (InputStream in = fs.open(p)) {
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), p.toString());
        }
    }

    /** Writes {@code dir/manifest.json} (object stores publish it atomically on close). */
    public void write(FileSystem fs, Path dir) throws IOException {
        try (OutputStream out = fs.create(new Path(dir, FILE_NAME), true)) {
            out.write(toJson().getBytes(StandardCharsets.UTF_8));
        }
    }
}
