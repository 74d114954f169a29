package org.pmf.perceptual;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
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

    /** The loss of the enabled terms, or empty when every term is off; weights files on the local disk or any Hadoop file system. */
    public static Optional<PerceptualLoss> fromConfig(PerceptualConfig c, PatchLayout layout, DataType type) {
        return fromConfig(c, layout, type, new Configuration());
    }

    /**
     * The loss of the enabled terms, or empty when every term is off.
     *
     * @param hadoop settings of the file systems the weights files are on (e.g. the s3a endpoint)
     */
    public static Optional<PerceptualLoss> fromConfig(PerceptualConfig c, PatchLayout layout, DataType type, Configuration hadoop) {
        return sharingWeights(c, layout, type, hadoop).get();
    }

    /**
     * Reads the enabled terms' weights files now, once, and makes a loss of them per call: the
     * losses share the networks' weights and each keeps its own activations, as the batch workers
     * of one training step need (sixteen workers would otherwise hold sixteen copies of ConvNeXt-V2-Base).
     */
    public static Supplier<Optional<PerceptualLoss>> sharingWeights(PerceptualConfig c, PatchLayout layout, DataType type,
                                                                    Configuration hadoop) {
        requireWeightFiles(c, hadoop);
        NamedWeights lpips = c.lpips().enabled() ? NamedWeights.fromHadoop(c.lpips().weightsFile(), hadoop) : null;
        NamedWeights convnext = c.convnext().enabled() ? NamedWeights.fromHadoop(c.convnext().weightsFile(), hadoop) : null;
        return () -> {
            List<WeightedDistanceLoss.Term> terms = new ArrayList<>();
            if (lpips != null) {
                terms.add(new WeightedDistanceLoss.Term(LpipsVgg.load(lpips, c.lpipsWidthDivisor(), type), c.lpips().weight()));
            }
            if (convnext != null) {
                ConvNextV2Features.Shape shape = new ConvNextV2Features.Shape(c.convnextDims(), c.convnextDepths());
                terms.add(new WeightedDistanceLoss.Term(ConvNextV2Features.load(convnext, shape, type), c.convnext().weight()));
            }
            if (terms.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new WeightedDistanceLoss(terms, layout, c.maxT(), c.resolution(), c.crop(), c.adaptiveEps(), type));
        };
    }

    /**
     * Checks, without loading them, that every enabled term names an existing .safetensors or .npz
     * file: a Spark driver calls this at start-up so that a wrong path fails before any executor
     * starts, naming the key.
     */
    public static void requireWeightFiles(PerceptualConfig c, Configuration hadoop) {
        if (c.lpips().enabled()) {
            requireFile(c.lpips(), "lpips", "LPIPS-VGG16", "lpips --lpips-pth vgg.pth --out lpips_vgg16.safetensors", hadoop);
        }
        if (c.convnext().enabled()) {
            requireFile(c.convnext(), "convnext", "ConvNeXt-V2", "convnext --out convnextv2_base.safetensors", hadoop);
        }
    }

    private static void requireFile(PerceptualConfig.Term term, String key, String network, String converterArgs, Configuration hadoop) {
        String fullKey = "pmf.perceptual." + key + ".weights-file";
        String how = ". Pretrained weights cannot be downloaded by this project: produce the file once on a machine where "
            + "the original weights are available, with `python3 " + CONVERTER + " " + converterArgs + "` (see the script's "
            + "header for its requirements), then set " + fullKey + " to it (a local path or any Hadoop URI, e.g. s3a://); "
            + "or set pmf.perceptual." + key + ".enabled = false";
        if (term.weightsFile().isBlank()) {
            throw new ConfigError(fullKey, "is empty but the " + network + " term is enabled" + how);
        }
        Path file = new Path(term.weightsFile());
        String name = file.getName();
        if (!name.endsWith(".safetensors") && !name.endsWith(".npz")) {
            throw new ConfigError(fullKey, "= \"" + term.weightsFile() + "\": must be a .safetensors or .npz file" + how);
        }
        boolean exists;
        try {
            exists = file.getFileSystem(hadoop).isFile(file);
        } catch (IOException e) {
            throw new ConfigError(fullKey, "= \"" + term.weightsFile() + "\": cannot be reached: " + e.getMessage());
        }
        if (!exists) {
            throw new ConfigError(fullKey, "= \"" + term.weightsFile() + "\": no such file" + how);
        }
    }
}
