package org.pmf.train;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.data.FashionMnist;
import org.pmf.sample.ClassGrid;
import org.pmf.eval.GuidanceSweep;
import org.pmf.eval.SampleEvaluator;
import org.pmf.io.Json;

/**
 * Writes the evaluation of a run into its folder: {@code evaluation.json} (the metrics at every
 * guidance scale, the best one, and what was evaluated) and {@code samples.png} (ten samples of each
 * class at the best scale, one row per class).
 */
public final class EvaluationReport {

    public static final String METRICS_FILE = "evaluation.json";
    public static final String GRID_FILE = "samples.png";
    private static final int GRID_PER_CLASS = 10;

    private EvaluationReport() {
    }

    /**
     * @param describe extra top-level fields (already JSON-encoded values) in the order given, e.g. step and weights
     */
    public static void write(FileSystem fs, Path runDir, GuidanceSweep.Result result, java.util.Map<String, String> describe)
        throws IOException {
        StringBuilder b = new StringBuilder("{");
        describe.forEach((k, v) -> b.append(Json.quote(k)).append(':').append(v).append(','));
        b.append("\"scales\":[");
        for (int i = 0; i < result.scales().size(); i++) {
            GuidanceSweep.AtScale s = result.scales().get(i);
            b.append(i == 0 ? "" : ",").append(json(s));
        }
        b.append("],\"best\":").append(json(result.best())).append("}\n");
        try (OutputStream out = fs.create(new Path(runDir, METRICS_FILE), true)) {
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        int perClass = Math.min(GRID_PER_CLASS, result.labels().length / FashionMnist.CLASS_NAMES.size());
        try (OutputStream out = fs.create(new Path(runDir, GRID_FILE), true)) {
            ClassGrid.firstOfEachClass(result.images(), result.labels(), FashionMnist.CLASS_NAMES, perClass).writePng(out);
        }
    }

    private static String json(GuidanceSweep.AtScale s) {
        SampleEvaluator.Metrics m = s.metrics();
        return String.format(Locale.ROOT, "{\"omega\":%s,\"count\":%d,\"class_accuracy\":%s,\"fd_fmnist\":%s,\"precision\":%s,\"recall\":%s}",
            s.omega(), m.count(), m.classAccuracy(), m.fd(), m.precision(), m.recall());
    }
}
