package org.pmf.report;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.io.Json;

/**
 * The metrics a run logged, one row per applied (or skipped) update, read from the JSON-lines
 * files {@link org.pmf.train.MetricsListener} writes: {@code metrics-from-step-NNNNNNNN.jsonl}, one
 * per session of a training command. A run resumed from step s re-does the steps after s, so rows
 * of an earlier file beyond s are superseded by the later file's. What the inspect command, the
 * notebooks and the per-checkpoint loss curves read.
 */
public final class MetricsHistory {

    private static final String PREFIX = "metrics-from-step-";
    private static final String SUFFIX = ".jsonl";

    /**
     * One logged update.
     *
     * @param step    the update count after it
     * @param skipped whether the update was skipped (non-finite loss)
     * @param values  every numeric field but the step: images_seen, elapsed_s, learning_rate, loss, ...
     */
    public record Row(long step, boolean skipped, Map<String, Double> values) {
        public Row {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** A metric against the step, e.g. the loss curve. */
    public record Series(String name, long[] steps, double[] values) {
    }

    private final List<Row> rows;

    public MetricsHistory(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Reads every metrics file of a run folder; a folder without any gives an empty history. */
    public static MetricsHistory read(FileSystem fs, Path runDir) throws IOException {
        return read(fs, runDir, Long.MAX_VALUE);
    }

    /**
     * Reads the metrics files of the sessions that started before {@code beforeStep} (so not the
     * file a session starting at {@code beforeStep} has just created).
     */
    public static MetricsHistory read(FileSystem fs, Path runDir, long beforeStep) throws IOException {
        FileStatus[] files;
        try {
            files = fs.listStatus(runDir, p -> p.getName().startsWith(PREFIX) && p.getName().endsWith(SUFFIX)
                && fromStep(p.getName()) >= 0 && fromStep(p.getName()) < beforeStep);
        } catch (FileNotFoundException e) {
            return new MetricsHistory(List.of());
        }
        java.util.Arrays.sort(files, Comparator.comparingLong(f -> fromStep(f.getPath().getName())));
        List<Row> merged = new ArrayList<>();
        for (FileStatus f : files) {
            long fromStep = fromStep(f.getPath().getName());
            merged.removeIf(r -> r.step() > fromStep);
            merged.addAll(readFile(fs, f.getPath()));
        }
        return new MetricsHistory(merged);
    }

    /** The name of the metrics file of a session that starts at {@code step}. */
    public static String fileName(long step) {
        return String.format(java.util.Locale.ROOT, "%s%08d%s", PREFIX, step, SUFFIX);
    }

    /** The step a metrics file's session started at, or -1 for another file. */
    private static long fromStep(String name) {
        String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        return digits.matches("\\d{1,18}") ? Long.parseLong(digits) : -1;
    }

    /** The rows up to and including {@code step}: what a session resuming from that step keeps. */
    public MetricsHistory truncatedAfter(long step) {
        return new MetricsHistory(rows.stream().filter(r -> r.step() <= step).toList());
    }

    /**
     * The rows of one file. A malformed last line is dropped (a run killed mid-write, or a file still
     * being written, ends in a partial line); a malformed line before others is damage, and an error
     * naming the file and line.
     */
    static List<Row> readFile(FileSystem fs, Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            String damage = null;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (damage != null) {
                    throw new IOException(damage);
                }
                try {
                    rows.add(parseRow(line));
                } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                    damage = file + " line " + number + ": not a metrics row (" + e.getMessage() + ")";
                }
            }
        }
        return rows;
    }

    private static Row parseRow(String line) {
        Map<?, ?> m = (Map<?, ?>) Json.parse(line);
        long step = (Long) m.get("step");
        boolean skipped = Boolean.TRUE.equals(m.get("skipped"));
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = (String) e.getKey();
            Object v = e.getValue();
            if (key.equals("step") || key.equals("skipped")) {
                continue;
            }
            if (v instanceof Number n) {
                values.put(key, n.doubleValue());
            } else if (v instanceof String s) {
                // MetricsListener writes NaN and infinities as strings: JSON has no such numbers.
                values.put(key, Double.parseDouble(s));
            }
        }
        return new Row(step, skipped, values);
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Every metric name that occurs, in first-seen order. */
    public List<String> names() {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.values().keySet()));
        return List.copyOf(names);
    }

    /** The row logged at {@code step}, or else the last one before it: the metrics a checkpoint was saved with. */
    public java.util.Optional<Row> at(long step) {
        Row found = null;
        for (Row r : rows) {
            if (r.step() <= step && (found == null || r.step() >= found.step())) {
                found = r;
            }
        }
        return java.util.Optional.ofNullable(found);
    }

    /** The named metric against the step, over the rows that have it. */
    public Series series(String name) {
        List<Row> with = rows.stream().filter(r -> r.values().containsKey(name)).toList();
        long[] steps = new long[with.size()];
        double[] values = new double[with.size()];
        for (int i = 0; i < with.size(); i++) {
            steps[i] = with.get(i).step();
            values[i] = with.get(i).values().get(name);
        }
        return new Series(name, steps, values);
    }

    /**
     * At most {@code maxRows} rows, each the mean of a run of consecutive rows (finite values only)
     * labelled with the run's last step: a readable loss curve of a 400k-step run.
     */
    public MetricsHistory smoothed(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, not " + maxRows);
        }
        if (rows.size() <= maxRows) {
            return this;
        }
        List<Row> out = new ArrayList<>();
        int n = rows.size();
        for (int b = 0; b < maxRows; b++) {
            int from = (int) ((long) b * n / maxRows);
            int to = (int) ((long) (b + 1) * n / maxRows);
            Map<String, double[]> sums = new LinkedHashMap<>();
            boolean skipped = false;
            for (Row r : rows.subList(from, to)) {
                skipped |= r.skipped();
                r.values().forEach((k, v) -> {
                    if (Double.isFinite(v)) {
                        double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                        s[0] += v;
                        s[1]++;
                    }
                });
            }
            Map<String, Double> means = new LinkedHashMap<>();
            sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
            out.add(new Row(rows.get(to - 1).step(), skipped, means));
        }
        return new MetricsHistory(out);
    }
}
