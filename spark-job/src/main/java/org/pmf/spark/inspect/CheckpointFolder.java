package org.pmf.spark.inspect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.config.ConfigSection;
import org.pmf.io.CheckpointStore;
import org.pmf.io.RunState;
import org.pmf.io.Safetensors;
import org.pmf.model.PmfNetConfig;
import org.pmf.model.PmfNet;
import org.pmf.spark.CheckpointModel;
import org.pmf.sample.ClassGrid;

/**
 * One committed checkpoint, read a file at a time: its counters and configuration cost a few
 * bytes, and a tensor file is read only when asked for (an H/16 checkpoint holds gigabytes). The
 * weights to use are named {@link #RAW} for the trained parameters or by an EMA label such as "2000".
 */
public final class CheckpointFolder {

    /** The trained parameters, as opposed to one of their EMAs. */
    public static final String RAW = "raw";

    private final FileSystem fs;
    private final Path dir;
    private final CheckpointSummary summary;
    private String cachedWeights;
    private CheckpointModel cachedModel;
    private PmfNet cachedNetwork;

    CheckpointFolder(FileSystem fs, Path dir, CheckpointSummary summary) {
        this.fs = fs;
        this.dir = dir;
        this.summary = summary;
    }

    public long step() {
        return summary.step();
    }

    public Path path() {
        return dir;
    }

    public CheckpointSummary summary() {
        return summary;
    }

    /** Step, images seen, seed and the trainer's counters. */
    public RunState state() throws IOException {
        Path p = new Path(dir, CheckpointStore.STATE);
        return RunState.fromJson(readText(p), p.toString());
    }

    /** The configuration the run trained with (config.conf: resolved, secrets removed), as HOCON text. */
    public String configText() throws IOException {
        return readText(new Path(dir, CheckpointStore.CONFIG));
    }

    /** That configuration with reference.conf under it, for typed reads of any section. */
    public Config config() throws IOException {
        return ConfigFactory.parseString(configText()).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /** The network's shape as trained. */
    public PmfNetConfig network() throws IOException {
        return PmfNetConfig.fromConfig(ConfigSection.of(config(), "pmf").section("model"));
    }

    /** The labels of the EMAs saved with this checkpoint, e.g. [500, 1000, 2000]. */
    public List<String> emaLabels() {
        List<String> labels = new ArrayList<>();
        for (String file : summary.fileSizes().keySet()) {
            if (file.startsWith("ema-") && file.endsWith(".safetensors")) {
                labels.add(file.substring("ema-".length(), file.length() - ".safetensors".length()));
            }
        }
        labels.sort(java.util.Comparator.comparingDouble(CheckpointFolder::numericOrLast).thenComparing(s -> s));
        return labels;
    }

    /** {@link #RAW} followed by every EMA label: the weights one can sample from or inspect. */
    public List<String> weightChoices() {
        List<String> choices = new ArrayList<>(List.of(RAW));
        choices.addAll(emaLabels());
        return choices;
    }

    /** The parameters by name: {@link #RAW} or an EMA label. */
    public Map<String, INDArray> tensors(String weights) throws IOException {
        String file = RAW.equals(weights) ? CheckpointStore.WEIGHTS : CheckpointStore.emaFile(weights);
        if (!summary.fileSizes().containsKey(file)) {
            throw new IllegalArgumentException("checkpoint step " + step() + " has no weights '" + weights + "'; it has "
                + weightChoices());
        }
        Path p = new Path(dir, file);
        try (InputStream in = new BufferedInputStream(fs.open(p), 1 << 20)) {
            return Safetensors.read(in, p.toString()).tensors();
        }
    }

    /** Per-tensor mean, standard deviation, norm, min and max of the chosen weights. */
    public List<TensorStats> statistics(String weights) throws IOException {
        return TensorStats.ofAll(tensors(weights));
    }

    /**
     * One-step samples of the chosen weights: {@code perClass} images of each class, guidance
     * {@code omega} applied for t in [tMin, tMax] (pmf-method.md section 4.2 lists the paper's
     * settings per model).
     */
    public ClassGrid samples(String weights, double omega, double tMin, double tMax, int[] classes, int perClass, long seed)
            throws IOException {
        PmfNet net = network(weights);
        return ClassGrid.generate(net, cachedModel.sampler(omega, tMin, tMax, 1), classes, perClass, seed);
    }

    /** The network holding the chosen weights; the last one is kept, since notebooks re-sample it with other settings. */
    private synchronized PmfNet network(String weights) throws IOException {
        if (!weights.equals(cachedWeights)) {
            cachedModel = CheckpointModel.of(dir.getParent().toString(), step(), weights, configText(), tensors(weights));
            cachedNetwork = cachedModel.network();
            cachedWeights = weights;
        }
        return cachedNetwork;
    }

    private String readText(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double numericOrLast(String label) {
        try {
            return Double.parseDouble(label);
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE;
        }
    }
}
