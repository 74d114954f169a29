package org.pmf.train;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.optim.Ema;
import org.pmf.report.LossCurvePlot;
import org.pmf.report.MetricsHistory;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.sample.ClassGrid;
import org.pmf.sample.Sampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each committed checkpoint, writes what a person checks first into {@code <run>/previews/}:
 * {@code step-NNNNNNNN-samples.png}, a one-step class grid from the chosen EMA, and
 * {@code step-NNNNNNNN-losses.png}, the loss curves of the whole run so far (earlier sessions'
 * metrics files plus this session's steps, held in memory because s3a:// shows an object only once
 * it is closed). A preview that fails is logged and skipped: it must never stop training.
 */
public final class CheckpointPreviews implements TrainListener, CheckpointListener.Observer {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointPreviews.class);
    private static final Map<String, String> CURVES = curves();

    private final PreviewConfig config;
    private final FileSystem fs;
    private final Path runDir;
    private final PmfNetConfig netConfig;
    private final ObjectiveOptions objective;
    private final Ema ema;
    // the run's rows before this session, then this session's: drawn at every checkpoint
    private final List<MetricsHistory.Row> rows = new ArrayList<>();
    private PmfNet samplingNet;

    /**
     * @param ema the run's averages (may be null when {@code config.emaKimg()} is 0)
     */
    public CheckpointPreviews(PreviewConfig config, FileSystem fs, Path runDir, PmfNetConfig netConfig, ObjectiveOptions objective,
                              Ema ema) {
        if (config.emaKimg() > 0 && (ema == null || !ema.config().halfLivesKimg().contains(config.emaKimg()))) {
            throw new org.pmf.config.ConfigError("pmf.preview.ema-kimg", "= " + config.emaKimg()
                + " is not one of pmf.ema.half-lives-kimg " + (ema == null ? "[]" : ema.config().halfLivesKimg()) + "; use 0 for the raw weights");
        }
        this.config = config;
        this.fs = fs;
        this.runDir = runDir;
        this.netConfig = netConfig;
        this.objective = objective;
        this.ema = ema;
    }

    private static Map<String, String> curves() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("mse_V", "mse of compound V");
        m.put("mse_v", "mse of v-head");
        m.put("loss_u", "weighted loss u");
        m.put("loss_v", "weighted loss v");
        return m;
    }

    @Override
    public void onStart(TrainingContext ctx) {
        rows.clear();
        try {
            rows.addAll(MetricsHistory.read(fs, runDir, ctx.step()).truncatedAfter(ctx.step()).rows());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("previews: cannot read earlier metrics of {}: {}", runDir, e.toString());
        }
    }

    @Override
    public void onStep(TrainingContext ctx, Map<String, Double> metrics) {
        rows.add(new MetricsHistory.Row(ctx.step(), false, metrics));
    }

    @Override
    public void saved(TrainingContext ctx) {
        if (!config.enabled()) {
            return;
        }
        String stem = String.format("previews/step-%08d", ctx.step());
        try {
            try (OutputStream out = fs.create(new Path(runDir, stem + "-losses.png"), true)) {
                LossCurvePlot.writePng(new MetricsHistory(rows), CURVES, "run " + runDir.getName() + " to step " + ctx.step()
                    + ": unweighted mse, adaptive-weighted losses", out);
            }
            try (OutputStream out = fs.create(new Path(runDir, stem + "-samples.png"), true)) {
                sampleGrid(ctx).grid(2).writePng(out);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("previews of step {} under {} failed: {}", ctx.step(), runDir, e.toString());
        }
    }

    private ClassGrid sampleGrid(TrainingContext ctx) {
        if (samplingNet == null) {
            // with the v-head, so that its flat parameter vector has the training layout the EMAs use
            samplingNet = PmfNet.create(netConfig, ctx.params().dataType(), true, 0);
        }
        samplingNet.params().values().assign(config.emaKimg() > 0 ? ema.average(config.emaKimg()) : ctx.params().values());
        Sampler sampler = new Sampler(config.omega(), 0, 1, objective.noiseScale(), 1, objective.prediction());
        return ClassGrid.generate(samplingNet, sampler, ClassGrid.spreadClasses(netConfig.numClasses(), config.classes()),
            config.perClass(), config.seed());
    }
}
