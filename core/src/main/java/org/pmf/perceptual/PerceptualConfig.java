package org.pmf.perceptual;

import java.util.List;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/**
 * The perceptual loss terms of the training step ({@code pmf.perceptual}, pmf-method.md section 1.6).
 *
 * @param lpips         LPIPS-VGG16 term
 * @param convnext      ConvNeXt-V2 feature term
 * @param lpipsWidthDivisor   divides every VGG16 width (1 = the real network)
 * @param convnextDims  ConvNeXt-V2 stage widths ([128, 256, 512, 1024] = Base)
 * @param convnextDepths ConvNeXt-V2 stage depths ([3, 3, 27, 3] = Base)
 * @param maxT          the terms apply where t < maxT (strict, as the official code)
 * @param resolution    side of the resized crops fed to the networks
 * @param crop          the paired random-resized crop
 * @param adaptiveEps   c of the adaptive weighting L / sg(L + c), applied to each term
 */
public record PerceptualConfig(Term lpips, Term convnext, int lpipsWidthDivisor, long[] convnextDims, int[] convnextDepths,
                               double maxT, int resolution, RandomResizedCrop crop, double adaptiveEps)
        implements java.io.Serializable {

    /**
     * One term: on or off, its weight lambda, and the converted weights file (.safetensors or .npz,
     * written by core/src/main/python/convert_perceptual_weights.py).
     */
    public record Term(boolean enabled, double weight, String weightsFile) implements java.io.Serializable {
    }

    // Value equality for the arrays too: Spark executors recognise equal replica factories by it.
    @Override
    public boolean equals(Object o) {
        return o instanceof PerceptualConfig p && lpips.equals(p.lpips) && convnext.equals(p.convnext)
            && lpipsWidthDivisor == p.lpipsWidthDivisor && java.util.Arrays.equals(convnextDims, p.convnextDims)
            && java.util.Arrays.equals(convnextDepths, p.convnextDepths) && Double.compare(maxT, p.maxT) == 0
            && resolution == p.resolution && crop.equals(p.crop) && Double.compare(adaptiveEps, p.adaptiveEps) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(lpips, convnext, lpipsWidthDivisor, java.util.Arrays.hashCode(convnextDims),
            java.util.Arrays.hashCode(convnextDepths), maxT, resolution, crop, adaptiveEps);
    }

    public boolean anyEnabled() {
        return lpips.enabled() || convnext.enabled();
    }

    public static PerceptualConfig fromConfig(ConfigSection s) {
        ConfigSection cnx = s.section("convnext");
        List<Integer> dims = cnx.getIntList("dims", 1, 4096);
        List<Integer> depths = cnx.getIntList("depths", 1, 64);
        if (dims.size() != 4) {
            throw cnx.invalid("dims", dims, "exactly 4 stage widths");
        }
        if (depths.size() != 4) {
            throw cnx.invalid("depths", depths, "exactly 4 stage depths");
        }
        ConfigSection crop = s.section("crop");
        double minArea = crop.getDouble("min-area", 1e-3, 1.0);
        double maxArea = crop.getDouble("max-area", 1e-3, 1.0);
        if (minArea > maxArea) {
            throw crop.invalid("min-area", minArea, "at most max-area (" + maxArea + ")");
        }
        double minAspect = crop.getDouble("min-aspect", 0.1, 10.0);
        double maxAspect = crop.getDouble("max-aspect", 0.1, 10.0);
        if (minAspect > maxAspect) {
            throw crop.invalid("min-aspect", minAspect, "at most max-aspect (" + maxAspect + ")");
        }
        int divisor = s.section("lpips").getInt("width-divisor", 1, 64);
        if (64 % divisor != 0) {
            throw new ConfigError(s.fullKey("lpips.width-divisor"), "= " + divisor + " must divide 64");
        }
        return new PerceptualConfig(term(s.section("lpips")), term(cnx), divisor,
            dims.stream().mapToLong(Integer::longValue).toArray(), depths.stream().mapToInt(Integer::intValue).toArray(),
            s.getDouble("max-t", 0.0, 1.0), s.getInt("resolution", 32, 1024),
            new RandomResizedCrop(minArea, maxArea, minAspect, maxAspect), s.getDouble("adaptive-eps", 0.0, 1e6));
    }

    private static Term term(ConfigSection t) {
        return new Term(t.getBoolean("enabled"), t.getDouble("weight", 0.0, 1e6), t.getString("weights-file"));
    }
}
