package org.pmf.dataprep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.ShardFormatException;
import org.pmf.io.shard.ShardHeader;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver: lists inputs, plans shards, runs one Spark task per shard, then writes
 * bad-inputs.tsv and, last, manifest.json. Output directories are tagged with the run id
 * ({@code _run}); a re-run with the same inputs and settings resumes (complete shards are kept),
 * anything else is refused, so two runs never mix.
 */
public final class DataPrepJob {

    public static final String RUN_FILE = "_run";
    public static final String BAD_INPUTS_FILE = "bad-inputs.tsv";
    private static final Logger LOG = LoggerFactory.getLogger(DataPrepJob.class);

    /** What a run did; {@link #summaryLine()} is the job's last line. */
    public record Outcome(Manifest manifest, List<BadInput> badInputs, int shardsWritten, int shardsResumed, double seconds) {

        public String summaryLine() {
            Map<String, Integer> kinds = new TreeMap<>();
            for (BadInput b : badInputs) {
                kinds.merge(b.kind(), 1, Integer::sum);
            }
            return String.format("data-prep done: %d images in %d shards (%d written, %d kept from an earlier attempt), "
                            + "%d bad inputs skipped %s, %.1f s",
                    manifest.totalExamples(), manifest.shards().size(), shardsWritten, shardsResumed, badInputs.size(), kinds, seconds);
        }
    }

    private DataPrepJob() {
    }

    public static Outcome run(JavaSparkContext sc, DataPrepConfig config) throws IOException {
        long start = System.nanoTime();
        Configuration hadoopConf = sc.hadoopConfiguration();
        Path out = new Path(config.output());
        FileSystem outFs = out.getFileSystem(hadoopConf);
        InputListing listing = list(sc, config);
        ShardPlan plan = ShardPlan.make(listing, config);
        ShardHeader header = new ShardHeader(config.imageSize(), config.patchSize(), 3, listing.classes().size());

        claimOutput(outFs, out, plan.runId(), config);
        if (outFs.exists(new Path(out, Manifest.FILE_NAME))) {
            LOG.info("{} is already complete (run {})", out, plan.runId());
            Manifest done = Manifest.read(outFs, out);
            return new Outcome(done, readBadLists(outFs, out, plan.shards()), 0, plan.shards().size(), seconds(start));
        }

        List<ShardPlan.Shard> todo = new ArrayList<>();
        List<ShardTask.Result> results = new ArrayList<>();
        for (ShardPlan.Shard s : plan.shards()) {
            ShardTask.Result kept = completedEarlier(outFs, out, s);
            if (kept != null) {
                results.add(kept);
            } else {
                todo.add(s);
            }
        }
        int resumed = results.size();
        long images = todo.stream().mapToLong(s -> s.images().size()).sum();
        LongAccumulator done = sc.sc().longAccumulator("images preprocessed");
        sc.setJobDescription(String.format("data-prep: %d images -> %d shards at %dpx (run %s)", images, todo.size(), config.imageSize(), plan.runId()));
        ShardTask task = new ShardTask(config, header, new HadoopConf(hadoopConf));
        ScheduledExecutorService progress = startProgress(done, images, config.progressIntervalSeconds());
        try {
            if (!todo.isEmpty()) {
                results.addAll(sc.parallelize(todo, todo.size())
                        .map(s -> task.run(s, () -> done.add(1L)))
                        .collect());
            }
        } finally {
            progress.shutdownNow();
        }
        results.sort(Comparator.comparing(r -> r.shard().name()));
        List<BadInput> bad = new ArrayList<>();
        List<ShardInfo> shards = new ArrayList<>();
        for (ShardTask.Result r : results) {
            shards.add(r.shard());
            bad.addAll(r.badInputs());
        }
        bad.sort(Comparator.comparing(BadInput::name));
        writeBadReport(outFs, out, bad);
        Manifest manifest = new Manifest(plan.runId(), header, config.preprocessingDescription(), config.seed(),
                config.examplesPerShard(), listing.classes(), shards, bad.size());
        manifest.write(outFs, out);
        Outcome outcome = new Outcome(manifest, bad, todo.size(), resumed, seconds(start));
        LOG.info(outcome.summaryLine());
        return outcome;
    }

    private static InputListing list(JavaSparkContext sc, DataPrepConfig config) throws IOException {
        Path in = new Path(config.input());
        return switch (config.inputLayout()) {
            case CLASS_FOLDERS -> ClassFolderInput.list(in.getFileSystem(sc.hadoopConfiguration()), in);
            case TRAIN_ARCHIVE -> TrainArchiveInput.list(sc, in);
            case FLAT_VAL -> FlatValInput.list(in.getFileSystem(sc.hadoopConfiguration()), in,
                    new Path(config.valGroundTruth()), new Path(config.valSynsets()));
        };
    }

    /** Tags a fresh output with the run id; refuses an output that holds anything else. */
    private static void claimOutput(FileSystem fs, Path out, String runId, DataPrepConfig config) throws IOException {
        Path runFile = new Path(out, RUN_FILE);
        if (fs.exists(runFile)) {
            String existing;
            try (InputStream in = fs.open(runFile)) {
                existing = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!existing.equals(runId)) {
                throw new IOException("output " + out + " holds run " + existing + ", not this run " + runId
                        + " (different inputs or settings); use a new output directory or delete it");
            }
            if (config.existingOutput() == DataPrepConfig.ExistingOutput.REFUSE) {
                throw new IOException("output " + out + " already holds run " + runId
                        + " and pmf.data-prep.existing-output = refuse; set it to resume or delete the output");
            }
            return;
        }
        if (fs.exists(out) && fs.listStatus(out).length > 0) {
            throw new IOException("output " + out + " is not empty and not a data-prep output; choose an empty directory");
        }
        try (OutputStream o = fs.create(runFile, false)) {
            o.write((runId + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A shard kept from an earlier attempt of this run: complete file (trailer checks out) and its bad list. */
    private static ShardTask.Result completedEarlier(FileSystem fs, Path out, ShardPlan.Shard s) throws IOException {
        Path shard = new Path(out, s.fileName());
        Path badList = new Path(out, s.badInputsFileName());
        if (!fs.exists(shard) || !fs.exists(badList)) {
            return null;
        }
        try (ShardReader r = ShardReader.open(fs, shard)) {
            List<BadInput> bad = readBadList(fs, badList);
            if (r.count() + bad.size() != s.images().size()) {
                return null;
            }
            return new ShardTask.Result(new ShardInfo(s.fileName(), r.count(), fs.getFileStatus(shard).getLen(), r.storedCrc32()), bad);
        } catch (ShardFormatException e) {
            LOG.info("rewriting incomplete shard {}: {}", shard, e.getMessage());
            return null;
        }
    }

    private static List<BadInput> readBadLists(FileSystem fs, Path out, List<ShardPlan.Shard> shards) throws IOException {
        List<BadInput> bad = new ArrayList<>();
        for (ShardPlan.Shard s : shards) {
            bad.addAll(readBadList(fs, new Path(out, s.badInputsFileName())));
        }
        bad.sort(Comparator.comparing(BadInput::name));
        return bad;
    }

    private static List<BadInput> readBadList(FileSystem fs, Path p) throws IOException {
        List<BadInput> bad = new ArrayList<>();
        try (InputStream in = fs.open(p)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    bad.add(BadInput.fromTsvLine(line));
                }
            }
        }
        return bad;
    }

    private static void writeBadReport(FileSystem fs, Path out, List<BadInput> bad) throws IOException {
        try (OutputStream o = fs.create(new Path(out, BAD_INPUTS_FILE), true)) {
            o.write("path\treason\n".getBytes(StandardCharsets.UTF_8));
            for (BadInput b : bad) {
                o.write(b.tsvLine().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static ScheduledExecutorService startProgress(LongAccumulator done, long total, int intervalSeconds) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "data-prep-progress");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            long n = done.value();
            double s = seconds(start);
            double rate = n / Math.max(s, 1e-9);
            String eta = rate > 0 ? String.format("%.0f s", (total - n) / rate) : "unknown";
            LOG.info(String.format("data-prep progress: %d/%d images, %.1f images/s, ETA %s", n, total, rate, eta));
        }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        return timer;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
