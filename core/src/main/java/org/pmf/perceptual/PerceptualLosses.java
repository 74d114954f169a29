package org.pmf.perceptual;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.pmf.config.ConfigError;
import org.pmf.data.PatchLayout;

/**
 * Builds the configured {@link PerceptualLoss} at start-up, refusing to start when an enabled term
 * has no weights file, with a message saying how to produce one.
 */
public final class PerceptualLosses {

    private static final String CONVERTER = "core/src/main/python/convert_perceptual_weights.py";

    private PerceptualLosses() {
    }

    /** The loss of the enabled terms, or empty when every term is off. */
    public static Optional<PerceptualLoss> fromConfig(PerceptualConfig c, PatchLayout layout, DataType type) {
        List<WeightedDistanceLoss.Term> terms = new ArrayList<>();
        if (c.lpips().enabled()) {
            NamedWeights w = weights(c.lpips(), "lpips", "LPIPS-VGG16", "lpips --lpips-pth vgg.pth --out lpips_vgg16.safetensors");
            terms.add(new WeightedDistanceLoss.Term(LpipsVgg.load(w, c.lpipsWidthDivisor(), type), c.lpips().weight()));
        }
        if (c.convnext().enabled()) {
            NamedWeights w = weights(c.convnext(), "convnext", "ConvNeXt-V2", "convnext --out convnextv2_base.safetensors");
            ConvNextV2Features.Shape shape = new ConvNextV2Features.Shape(c.convnextDims(), c.convnextDepths());
            terms.add(new WeightedDistanceLoss.Term(ConvNextV2Features.load(w, shape, type), c.convnext().weight()));
        }
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WeightedDistanceLoss(terms, layout, c.maxT(), c.resolution(), c.crop(), c.adaptiveEps(), type));
    }

    private static NamedWeights weights(PerceptualConfig.Term term, String key, String network, String converterArgs) {
        String fullKey = "pmf.perceptual." + key + ".weights-file";
        String how = ". Pretrained weights cannot be downloaded by this project: produce the file once on a machine where "
            + "the original weights are available, with `python3 " + CONVERTER + " " + converterArgs + "` (see the script's "
            + "header for its requirements), then set " + fullKey + " to it; or set pmf.perceptual." + key + ".enabled = false";
        if (term.weightsFile().isBlank()) {
            throw new ConfigError(fullKey, "is empty but the " + network + " term is enabled" + how);
        }
        Path file = Path.of(term.weightsFile());
        if (!Files.isRegularFile(file)) {
            throw new ConfigError(fullKey, "= \"" + term.weightsFile() + "\": no such file" + how);
        }
        String name = file.getFileName().toString();
        if (!name.endsWith(".safetensors") && !name.endsWith(".npz")) {
            throw new ConfigError(fullKey, "= \"" + term.weightsFile() + "\": must be a .safetensors or .npz file" + how);
        }
        return NamedWeights.fromFile(file);
    }
}
