package org.pmf.spark.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pmf.spark.RunProvenance;
import org.pmf.report.MetricsHistory;

/** The inspect API's results as {@link Table}s, shared by the inspect command and the notebooks. */
public final class InspectTables {

    private InspectTables() {
    }

    public static Table checkpoints(List<CheckpointSummary> checkpoints) {
        List<List<String>> rows = new ArrayList<>();
        for (CheckpointSummary c : checkpoints) {
            rows.add(List.of(String.valueOf(c.step()), String.valueOf(c.fileSizes().size()), String.valueOf(c.totalBytes()),
                megabytes(c.totalBytes()), c.latest() ? "LATEST" : ""));
        }
        return new Table(List.of("step", "files", "bytes", "MB", "pointer"), rows);
    }

    public static Table files(CheckpointSummary c) {
        List<List<String>> rows = new ArrayList<>();
        c.fileSizes().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> rows.add(List.of(e.getKey(), String.valueOf(e.getValue()), megabytes(e.getValue()))));
        return new Table(List.of("file", "bytes", "MB"), rows);
    }

    /** The named metrics against the step (every metric when none is named); rows lacking one leave it empty. */
    public static Table metrics(MetricsHistory history, String... names) {
        List<String> columns = names.length == 0 ? history.names() : List.of(names);
        List<String> header = new ArrayList<>(List.of("step"));
        header.addAll(columns);
        List<List<String>> rows = new ArrayList<>();
        for (MetricsHistory.Row r : history.rows()) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(r.step())));
            for (String n : columns) {
                Double v = r.values().get(n);
                cells.add(v == null ? "" : number(v));
            }
            rows.add(cells);
        }
        return new Table(header, rows);
    }

    /** Every metric as logged at each of the given steps (or the last row before it), one column per step. */
    public static Table metricsAt(MetricsHistory history, long... steps) {
        List<String> header = new ArrayList<>(List.of("metric"));
        List<MetricsHistory.Row> picked = new ArrayList<>();
        for (long s : steps) {
            header.add("step " + s);
            picked.add(history.at(s).orElse(null));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String name : history.names()) {
            List<String> cells = new ArrayList<>(List.of(name));
            for (MetricsHistory.Row r : picked) {
                Double v = r == null ? null : r.values().get(name);
                cells.add(v == null ? "" : number(v));
            }
            rows.add(cells);
        }
        return new Table(header, rows);
    }

    public static Table statistics(List<TensorStats> stats) {
        List<List<String>> rows = new ArrayList<>();
        for (TensorStats s : stats) {
            rows.add(List.of(s.name(), s.shapeText(), String.valueOf(s.count()), number(s.mean()), number(s.std()),
                number(s.norm()), number(s.min()), number(s.max())));
        }
        return new Table(List.of("tensor", "shape", "count", "mean", "std", "norm", "min", "max"), rows);
    }

    public static Table differences(List<TensorDiff> diffs) {
        List<List<String>> rows = new ArrayList<>();
        for (TensorDiff d : diffs) {
            rows.add(List.of(d.name(), number(d.normA()), number(d.normB()), number(d.relative())));
        }
        return new Table(List.of("tensor", "norm a", "norm b", "relative difference"), rows);
    }

    public static Table provenance(List<RunProvenance> records) {
        List<List<String>> rows = new ArrayList<>();
        for (RunProvenance p : records) {
            rows.add(List.of(String.valueOf(p.fromStep()), p.startedAt(), p.codeVersion(), p.gitCommit(), String.valueOf(p.seed()),
                p.data(), p.manifestSha256(), String.valueOf(p.examples()), p.sparkVersion(), p.nd4jBackend(), p.javaVersion()));
        }
        return new Table(List.of("from step", "started", "version", "commit", "seed", "data", "manifest sha256", "examples",
            "spark", "nd4j", "java"), rows);
    }

    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : Double.toString(v);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
