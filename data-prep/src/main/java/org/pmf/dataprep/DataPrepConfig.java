package org.pmf.dataprep;

import java.io.Serializable;
import org.pmf.config.ConfigSection;

/** The {@code pmf.data-prep} section (documented in reference.conf), validated. */
public record DataPrepConfig(String input, InputLayout inputLayout, String valGroundTruth, String valSynsets,
                             String output, int imageSize, int patchSize,
                             int examplesPerShard, long seed, OnBadInput onBadInput, ExistingOutput existingOutput,
                             int progressIntervalSeconds) implements Serializable {

    /** How the input is organised. */
    public enum InputLayout {
        /** {@code <input>/<wnid>/*.JPEG}, as ImageNet's train/ (and a sorted val/). */
        CLASS_FOLDERS,
        /** {@code ILSVRC2012_img_train.tar}: a tar of per-class tars, read in place. */
        TRAIN_ARCHIVE,
        /** Flat {@code ILSVRC2012_val_*.JPEG} with the devkit ground truth and synset list. */
        FLAT_VAL
    }

    public enum OnBadInput { SKIP, FAIL }

    public enum ExistingOutput { RESUME, REFUSE }

    public static DataPrepConfig fromConfig(ConfigSection s) {
        String input = s.getString("input");
        if (input.isBlank()) {
            throw s.invalid("input", "\"\"", "set the input directory or archive (file://, hdfs://, s3a://)");
        }
        String output = s.getString("output");
        if (output.isBlank()) {
            throw s.invalid("output", "\"\"", "set the output directory for shards and manifest.json");
        }
        InputLayout layout = s.getEnum("input-layout", InputLayout.class);
        String groundTruth = s.getString("val-ground-truth");
        String synsets = s.getString("val-synsets");
        if (layout == InputLayout.FLAT_VAL && (groundTruth.isBlank() || synsets.isBlank())) {
            throw s.invalid(groundTruth.isBlank() ? "val-ground-truth" : "val-synsets", "\"\"",
                    "input-layout = flat-val needs val-ground-truth and val-synsets");
        }
        int imageSize = s.getInt("image-size", 8, 4096);
        int patchSize = s.getInt("patch-size", 1, 512);
        if (imageSize % patchSize != 0) {
            throw s.invalid("patch-size", patchSize, "must divide image-size " + imageSize);
        }
        return new DataPrepConfig(input, layout, groundTruth, synsets, output, imageSize, patchSize,
                s.getInt("examples-per-shard", 1, 1_000_000), s.getLong("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.getEnum("on-bad-input", OnBadInput.class), s.getEnum("existing-output", ExistingOutput.class),
                s.getInt("progress-interval-seconds", 1, 3600));
    }

    /** The recorded preprocessing, for the manifest. */
    public String preprocessingDescription() {
        return "ADM center_crop_arr to " + imageSize + "px (PIL BOX halving, BICUBIC, center crop), RGB as PIL convert('RGB'), uint8";
    }
}
