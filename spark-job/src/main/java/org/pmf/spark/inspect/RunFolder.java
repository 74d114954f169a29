package org.pmf.spark.inspect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.io.CheckpointStore;
import org.pmf.spark.RunProvenance;
import org.pmf.report.MetricsHistory;

/**
 * A training run's folder on any Hadoop file system ({@code file://}, {@code hdfs://},
 * {@code s3a://}), opened for reading while the run trains or after: its committed checkpoints,
 * metrics and provenance. The entry point of the notebooks and of the inspect command:
 * <pre>
 *   RunFolder run = RunFolder.open("s3a://bucket/runs/b16", spark.sparkContext().hadoopConfiguration());
 *   CheckpointFolder newest = run.latest().orElseThrow();
 * </pre>
 * Only committed checkpoints are listed (CheckpointStore: a COMMIT marker whose files exist with
 * their sizes); a step folder being written is invisible until it commits.
 */
public final class RunFolder {

    private final CheckpointStore store;
    private final FileSystem fs;
    private final Path dir;

    private RunFolder(CheckpointStore store, FileSystem fs, Path dir) {
        this.store = store;
        this.fs = fs;
        this.dir = dir;
    }

    /** Opens a run folder, e.g. {@code s3a://bucket/runs/b16}; it must exist. */
    public static RunFolder open(String runDir, Configuration hadoop) throws IOException {
        Path p = new Path(runDir);
        FileSystem fs = p.getFileSystem(hadoop);
        if (!fs.exists(p)) {
            throw new IOException("run folder " + runDir + " does not exist");
        }
        return new RunFolder(new CheckpointStore(fs, p), fs, p);
    }

    public Path path() {
        return dir;
    }

    /** The committed checkpoints, oldest first, with their file sizes. */
    public List<CheckpointSummary> checkpoints() throws IOException {
        Optional<Long> latest = store.latestPointer();
        List<CheckpointSummary> out = new ArrayList<>();
        for (long step : store.committedSteps()) {
            out.add(summary(step, latest.isPresent() && latest.get() == step));
        }
        return out;
    }

    /** The committed checkpoint of {@code step}; an error listing the committed steps if there is none. */
    public CheckpointFolder checkpoint(long step) throws IOException {
        List<Long> steps = store.committedSteps();
        if (!steps.contains(step)) {
            throw new IllegalArgumentException(dir + " has no committed checkpoint of step " + step + "; committed: " + steps);
        }
        Optional<Long> latest = store.latestPointer();
        return new CheckpointFolder(fs, new Path(dir, CheckpointStore.stepName(step)),
            summary(step, latest.isPresent() && latest.get() == step));
    }

    /** The newest committed checkpoint, if any. */
    public Optional<CheckpointFolder> latest() throws IOException {
        List<Long> steps = store.committedSteps();
        return steps.isEmpty() ? Optional.empty() : Optional.of(checkpoint(steps.get(steps.size() - 1)));
    }

    /** Every metric the run logged so far, resumptions merged. */
    public MetricsHistory metrics() throws IOException {
        return MetricsHistory.read(fs, dir);
    }

    /** One record per start of the train command, oldest first. */
    public List<RunProvenance> provenance() throws IOException {
        return RunProvenance.readAll(fs, dir);
    }

    /** The code, data and seed that produced the checkpoint of {@code step}. */
    public Optional<RunProvenance> provenanceOf(long step) throws IOException {
        return RunProvenance.covering(provenance(), step);
    }

    /** Per-tensor movement from checkpoint {@code a} to {@code b}, both with the chosen weights (raw or an EMA label). */
    public List<TensorDiff> compare(long a, long b, String weights) throws IOException {
        return TensorDiff.between(checkpoint(a).tensors(weights), checkpoint(b).tensors(weights));
    }

    private CheckpointSummary summary(long step, boolean latest) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (FileStatus f : fs.listStatus(new Path(dir, CheckpointStore.stepName(step)))) {
            String name = f.getPath().getName();
            // the local file system's checksum side files are not part of the checkpoint
            if (f.isFile() && !(name.startsWith(".") && name.endsWith(".crc"))) {
                sizes.put(name, f.getLen());
            }
        }
        return new CheckpointSummary(step, sizes, latest);
    }
}
