package org.pmf.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * Shape of a pMF network (pmf-method.md section 3.1): image and patch size, transformer width and
 * depth, bottleneck and SwiGLU widths. The condition-token counts, norm epsilon and RoPE theta are
 * fixed by the official architecture and live in {@link PmfNet}.
 *
 * @param imageSize     side of the square RGB image, in pixels
 * @param patchSize     side of a patch; must divide imageSize
 * @param hidden        transformer width
 * @param heads         attention heads; hidden/heads must be divisible by 4 (2-D RoPE)
 * @param trunkDepth    shared blocks before the two heads
 * @param headDepth     blocks in the u-head, and in the v-head
 * @param bottleneck    width of the linear patch-embedding bottleneck
 * @param swigluHidden  SwiGLU hidden width
 * @param numClasses    class labels; label numClasses is the null (unconditional) class
 */
public record PmfNetConfig(int imageSize, int patchSize, int hidden, int heads, int trunkDepth, int headDepth,
                           int bottleneck, int swigluHidden, int numClasses) implements java.io.Serializable {

    static final String KEY = "pmf.model";

    public PmfNetConfig {
        positive("image-size", imageSize);
        positive("patch-size", patchSize);
        positive("hidden-size", hidden);
        positive("heads", heads);
        positive("trunk-depth", trunkDepth);
        positive("head-depth", headDepth);
        positive("bottleneck", bottleneck);
        positive("swiglu-hidden", swigluHidden);
        positive("num-classes", numClasses);
        if (imageSize % patchSize != 0) {
            throw new ConfigError(KEY + ".patch-size", "= " + patchSize + " is not allowed: it must divide image-size = " + imageSize);
        }
        if (hidden % heads != 0) {
            throw new ConfigError(KEY + ".heads", "= " + heads + " is not allowed: it must divide hidden-size = " + hidden);
        }
        if ((hidden / heads) % 4 != 0) {
            throw new ConfigError(KEY + ".heads", "= " + heads + " is not allowed: the head dimension hidden-size/heads = "
                + (hidden / heads) + " must be divisible by 4 for 2-D RoPE");
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new ConfigError(KEY + "." + key, "= " + value + " is out of range; allowed: a positive integer");
        }
    }

    /** Patches per image side. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Patch tokens per image, L = (S/p)^2. */
    public int patches() {
        return grid() * grid();
    }

    /** Values in one patch vector, p*p*3. */
    public int patchDim() {
        return patchSize * patchSize * 3;
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Condition tokens plus patch tokens. */
    public int tokens() {
        return PmfNet.PREFIX_TOKENS + patches();
    }

    /** The official bottleneck width for a given hidden width: 128 up to 1024, 256 above. */
    public static int officialBottleneck(int hidden) {
        return hidden <= 1024 ? 128 : 256;
    }

    /** int(hidden * 8/3) rounded up to a multiple of 8, as the official torch and hsdp code do. */
    public static int officialSwiglu(int hidden) {
        int h = (int) (hidden * (8.0 / 3.0));
        return (h + 7) / 8 * 8;
    }

    private static PmfNetConfig paper(int image, int hidden, int heads, int depth) {
        return new PmfNetConfig(image, image / 16, hidden, heads, depth - 8, 8, officialBottleneck(hidden),
            officialSwiglu(hidden), 1000);
    }

    /** Named presets: the paper's six models and two CPU sizes on 32x32 images with 10 classes. */
    public static final Map<String, PmfNetConfig> PRESETS;

    static {
        Map<String, PmfNetConfig> m = new LinkedHashMap<>();
        m.put("B/16", paper(256, 768, 12, 16));
        m.put("L/16", paper(256, 1024, 16, 32));
        m.put("H/16", paper(256, 1280, 16, 48));
        m.put("B/32", paper(512, 768, 12, 16));
        m.put("L/32", paper(512, 1024, 16, 32));
        m.put("H/32", paper(512, 1280, 16, 48));
        // The official-fixture configuration: int(64 * 8/3) = 170, not rounded at this size.
        m.put("tiny", new PmfNetConfig(32, 4, 64, 4, 2, 2, 128, 170, 10));
        m.put("small", new PmfNetConfig(32, 4, 192, 3, 4, 2, 128, 512, 10));
        PRESETS = java.util.Collections.unmodifiableMap(m);
    }

    public static PmfNetConfig preset(String name) {
        PmfNetConfig c = PRESETS.get(name);
        if (c == null) {
            throw new ConfigError(KEY + ".preset", "= \"" + name + "\" is not allowed; allowed: " + String.join(", ", PRESETS.keySet()));
        }
        return c;
    }

    /** Reads {@code pmf.model}: a preset name, then any override whose value is not 0. */
    public static PmfNetConfig fromConfig(ConfigSection s) {
        PmfNetConfig p = preset(s.getString("preset"));
        return new PmfNetConfig(
            or(s.getInt("image-size", 0, 8192), p.imageSize),
            or(s.getInt("patch-size", 0, 1024), p.patchSize),
            or(s.getInt("hidden-size", 0, 65536), p.hidden),
            or(s.getInt("heads", 0, 1024), p.heads),
            or(s.getInt("trunk-depth", 0, 1024), p.trunkDepth),
            or(s.getInt("head-depth", 0, 1024), p.headDepth),
            or(s.getInt("bottleneck", 0, 65536), p.bottleneck),
            or(s.getInt("swiglu-hidden", 0, 1 << 20), p.swigluHidden),
            or(s.getInt("num-classes", 0, 1 << 24), p.numClasses));
    }

    private static int or(int override, int presetValue) {
        return override == 0 ? presetValue : override;
    }
}
