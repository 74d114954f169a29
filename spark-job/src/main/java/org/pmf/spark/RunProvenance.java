package org.pmf.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.io.Json;
import org.pmf.io.shard.Manifest;

/**
 * Where a stretch of training came from: written by the train command each time it starts (fresh
 * or resumed) as {@code provenance-from-step-NNNNNNNN.json} in the run folder, next to the
 * checkpoints. Checkpoints hold tensors, counters and the configuration; this file ties every step
 * from {@code fromStep} on to the code that ran and the data it read, so a checkpoint's provenance
 * is that of the newest file starting at or before its step.
 *
 * @param fromStep       the step training started (or resumed) from
 * @param startedAt      when, ISO-8601 UTC
 * @param codeVersion    project version of the running jar
 * @param gitCommit      commit the jar was built from ("unknown" outside a checkout)
 * @param seed           pmf.run.seed
 * @param data           the shard folder (pmf.train.data)
 * @param manifestSha256 SHA-256 of its manifest.json: the exact shards and preprocessing
 * @param examples       examples listed in the manifest
 * @param sparkVersion   Spark version of the driver
 * @param nd4jBackend    ND4J backend of the driver (CPU or CUDA)
 * @param javaVersion    Java version of the driver
 */
public record RunProvenance(long fromStep, String startedAt, String codeVersion, String gitCommit, long seed, String data,
                            String manifestSha256, long examples, String sparkVersion, String nd4jBackend, String javaVersion) {

    static final String PREFIX = "provenance-from-step-";
    static final String SUFFIX = ".json";

    /** The provenance of a run starting now at {@code fromStep} on the shards in {@code dataDir}. */
    public static RunProvenance capture(long fromStep, long seed, FileSystem dataFs, Path dataDir, Manifest manifest,
                                        String sparkVersion) throws IOException {
        Path manifestFile = new Path(dataDir, Manifest.FILE_NAME);
        MessageDigest sha = sha256();
        try (InputStream in = dataFs.open(manifestFile)) {
            sha.update(in.readAllBytes());
        }
        return new RunProvenance(fromStep, Instant.now().toString(), BuildInfo.version(), BuildInfo.commit(), seed,
            dataDir.makeQualified(dataFs.getUri(), dataFs.getWorkingDirectory()).toString(), HexFormat.of().formatHex(sha.digest()),
            manifest.totalExamples(), sparkVersion, Nd4j.getBackend().getClass().getSimpleName(), System.getProperty("java.version"));
    }

    public String fileName() {
        return String.format("%s%08d%s", PREFIX, fromStep, SUFFIX);
    }

    /** Writes (or replaces: a restart from the same step is the same stretch) this run's file. */
    public void write(FileSystem fs, Path runDir) throws IOException {
        try (OutputStream out = fs.create(new Path(runDir, fileName()), true)) {
            out.write(toJson().getBytes(StandardCharsets.UTF_8));
        }
    }

    public String toJson() {
        return "{\"from_step\":" + fromStep + ",\"started_at\":" + Json.quote(startedAt)
            + ",\"code_version\":" + Json.quote(codeVersion) + ",\"git_commit\":" + Json.quote(gitCommit)
            + ",\"seed\":" + seed + ",\"data\":" + Json.quote(data) + ",\"manifest_sha256\":" + Json.quote(manifestSha256)
            + ",\"examples\":" + examples + ",\"spark_version\":" + Json.quote(sparkVersion)
            + ",\"nd4j_backend\":" + Json.quote(nd4jBackend) + ",\"java_version\":" + Json.quote(javaVersion) + "}\n";
    }

    /** Parses {@link #toJson()}; {@code source} names the file in errors. */
    public static RunProvenance fromJson(String text, String source) {
        try {
            Map<?, ?> m = (Map<?, ?>) Json.parse(text);
            return new RunProvenance((Long) m.get("from_step"), (String) m.get("started_at"), (String) m.get("code_version"),
                (String) m.get("git_commit"), (Long) m.get("seed"), (String) m.get("data"), (String) m.get("manifest_sha256"),
                (Long) m.get("examples"), (String) m.get("spark_version"), (String) m.get("nd4j_backend"),
                (String) m.get("java_version"));
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a provenance record: " + e, e);
        }
    }

    /** Every provenance file of a run folder, oldest start first. */
    public static List<RunProvenance> readAll(FileSystem fs, Path runDir) throws IOException {
        List<RunProvenance> all = new ArrayList<>();
        FileStatus[] files;
        try {
            files = fs.listStatus(runDir, p -> p.getName().startsWith(PREFIX) && p.getName().endsWith(SUFFIX));
        } catch (FileNotFoundException e) {
            return all;
        }
        for (FileStatus f : files) {
            try (InputStream in = fs.open(f.getPath())) {
                all.add(fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), f.getPath().toString()));
            }
        }
        all.sort(Comparator.comparingLong(RunProvenance::fromStep));
        return all;
    }

    /**
     * The record of the stretch that produced the checkpoint of {@code step}: the newest start before
     * it. A run resumed from step s starts a new record at s, but the checkpoint of step s itself was
     * written by the stretch before.
     */
    public static Optional<RunProvenance> covering(List<RunProvenance> all, long step) {
        RunProvenance found = null;
        for (RunProvenance p : all) {
            if (p.fromStep() < step || (p.fromStep() == 0 && step == 0)) {
                found = p;
            }
        }
        return Optional.ofNullable(found);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
