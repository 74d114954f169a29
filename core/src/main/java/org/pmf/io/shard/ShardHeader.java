package org.pmf.io.shard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Locale;

/**
 * What every example in a shard looks like: {@code patches} (L) patches of {@code patchDim}
 * (p*p*channels) uint8 values, cut from a square {@code imageSize} image with {@code patchSize}
 * patches, plus one int32 label in [0, numClasses). Stored as JSON at the start of the shard so a
 * shard explains itself without the manifest.
 */
public record ShardHeader(int imageSize, int patchSize, int channels, int numClasses) implements java.io.Serializable {

    public static final int FORMAT_VERSION = 1;
    /** How patches and their values are ordered; see PatchLayout in data-prep and the README. */
    public static final String LAYOUT = "patches row-major over the grid; each patch (row, column, channel), channel fastest";

    public ShardHeader {
        if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " must be a positive multiple of patch size " + patchSize);
        }
        if (channels <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("channels " + channels + " and class count " + numClasses + " must be positive");
        }
    }

    /** L = (imageSize / patchSize)^2. */
    public int patches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    /** p * p * channels. */
    public int patchDim() {
        return patchSize * patchSize * channels;
    }

    public int exampleBytes() {
        return patches() * patchDim();
    }

    String toJson() {
        return String.format(Locale.ROOT,
                "{\"format\":\"pmf-shard\",\"version\":%d,\"dtype\":\"uint8\",\"label_dtype\":\"int32\","
                        + "\"example_shape\":[%d,%d],\"image_size\":%d,\"patch_size\":%d,\"channels\":%d,"
                        + "\"num_classes\":%d,\"layout\":\"%s\"}",
                FORMAT_VERSION, patches(), patchDim(), imageSize, patchSize, channels, numClasses, LAYOUT);
    }

    static ShardHeader fromJson(String json, String shardName) {
        try {
            Config c = ConfigFactory.parseString(json);
            int version = c.getInt("version");
            if (!"pmf-shard".equals(c.getString("format")) || version != FORMAT_VERSION) {
                throw new ShardFormatException(shardName, "unsupported format " + c.getString("format") + " version " + version
                        + " (this reader reads pmf-shard version " + FORMAT_VERSION + ")");
            }
            if (!"uint8".equals(c.getString("dtype")) || !"int32".equals(c.getString("label_dtype"))) {
                throw new ShardFormatException(shardName, "unsupported dtypes " + c.getString("dtype") + "/" + c.getString("label_dtype"));
            }
            ShardHeader h = new ShardHeader(c.getInt("image_size"), c.getInt("patch_size"), c.getInt("channels"), c.getInt("num_classes"));
            var shape = c.getIntList("example_shape");
            if (shape.size() != 2 || shape.get(0) != h.patches() || shape.get(1) != h.patchDim()) {
                throw new ShardFormatException(shardName, "example_shape " + shape + " disagrees with image/patch size " + h);
            }
            return h;
        } catch (ConfigException | IllegalArgumentException e) {
            throw new ShardFormatException(shardName, "unreadable header: " + e.getMessage());
        }
    }
}
