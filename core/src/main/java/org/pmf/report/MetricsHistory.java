package org.pmf.report;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.io.Json;

/**
 * The metric series of a run: step -> value per metric, gathered from the JSON-lines files that
 * {@link org.pmf.train.MetricsListener} writes, one per driver session
 * ({@code metrics-from-step-NNNNNNNN.jsonl}). A session killed after its last checkpoint left steps
 * that the resumed session trains again; the later session's values win.
 */
public final class MetricsHistory {

    private static final Pattern FILE = Pattern.compile("metrics-from-step-(\\d+)\\.jsonl");
    private final Map<String, TreeMap<Long, Double>> series = new TreeMap<>();

    /** Reads every metrics file of a run folder, oldest session first; a missing folder gives an empty history. */
    public static MetricsHistory read(FileSystem fs, Path runDir) throws IOException {
        return read(fs, runDir, Long.MAX_VALUE);
    }

    /**
     * Reads the metrics files of the sessions that started before {@code step} (so not the file a
     * session starting at {@code step} has just created), oldest first.
     */
    public static MetricsHistory read(FileSystem fs, Path runDir, long step) throws IOException {
        MetricsHistory h = new MetricsHistory();
        if (!fs.exists(runDir)) {
            return h;
        }
        TreeMap<Long, Path> files = new TreeMap<>();
        for (FileStatus s : fs.listStatus(runDir)) {
            Matcher m = FILE.matcher(s.getPath().getName());
            if (s.isFile() && m.matches() && Long.parseLong(m.group(1)) < step) {
                files.put(Long.parseLong(m.group(1)), s.getPath());
            }
        }
        for (Path f : files.values()) {
            try (InputStream in = fs.open(f)) {
                h.addLines(new String(in.readAllBytes(), StandardCharsets.UTF_8), f.toString());
            } catch (FileNotFoundException e) {
                // deleted between listing and reading: nothing to add
            }
        }
        return h;
    }

    /**
     * Adds the lines of one metrics file. A torn last line (the writer died mid-line) is ignored;
     * a malformed line elsewhere is an error naming the file and line.
     */
    public void addLines(String text, String source) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            Map<?, ?> m;
            try {
                m = (Map<?, ?>) Json.parse(line);
            } catch (IllegalArgumentException | ClassCastException e) {
                if (i == lines.length - 1) {
                    break;
                }
                throw new IllegalArgumentException(source + " line " + (i + 1) + " is not a JSON object: " + e.getMessage(), e);
            }
            if (Boolean.TRUE.equals(m.get("skipped")) || !(m.get("step") instanceof Number step)) {
                continue;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Number v && !e.getKey().equals("step")) {
                    add((String) e.getKey(), step.longValue(), v.doubleValue());
                }
            }
        }
    }

    /** Records one value; a later value of the same metric and step replaces the earlier one. */
    public void add(String metric, long step, double value) {
        series.computeIfAbsent(metric, k -> new TreeMap<>()).put(step, value);
    }

    /** Drops every value after {@code step}: what a session that resumes from that step trains again. */
    public void truncateAfter(long step) {
        series.values().forEach(s -> s.tailMap(step, false).clear());
    }

    public List<String> metrics() {
        return new ArrayList<>(series.keySet());
    }

    /** The values of one metric by step, ascending; empty if the metric was never logged. */
    public TreeMap<Long, Double> series(String metric) {
        return new TreeMap<>(series.getOrDefault(metric, new TreeMap<>()));
    }
}
