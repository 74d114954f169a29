package org.pmf.io;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run under {@code <output>/<run>/} on any Hadoop file system (file://,
 * hdfs://, s3a://), laid out so that a checkpoint never appears half-written (architecture.md
 * decision 5):
 * <pre>
 *   step-00001000/weights.safetensors      parameters by name
 *   step-00001000/optimizer.safetensors    optimizer state (flat moments, update count)
 *   step-00001000/ema-500.safetensors      one file per EMA, parameters by name
 *   step-00001000/state.json               step, images seen, seed, counters
 *   step-00001000/config.conf              resolved configuration, secrets removed
 *   step-00001000/COMMIT                   written last: every file's size and SHA-256
 *   LATEST                                 "step-00001000", written after COMMIT
 * </pre>
 * Every save goes to a fresh step folder (S3 has no atomic rename). A step folder without a
 * readable COMMIT, or whose files do not match it, does not exist for readers: {@link #committedSteps()}
 * checks the marker and the sizes, {@link #load} and {@link #loadLatest} also the checksums, and
 * {@link #loadLatest} falls back to the next older checkpoint. LATEST is for people and tools; readers
 * do not trust it, because a writer can die between the marker and the pointer.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    // The layout's file names are public for readers that open one file at a time (inspection tools).
    public static final String COMMIT = "COMMIT";
    public static final String LATEST = "LATEST";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String CONFIG = "config.conf";
    private static final String REDACTED = "<redacted>";

    private final FileSystem fs;
    private final Path runDir;
    private final WriteRetry retry;

    public CheckpointStore(FileSystem fs, Path runDir, WriteRetry retry) {
        this.fs = fs;
        this.runDir = runDir;
        this.retry = retry;
    }

    /** A store that tries every save once. */
    public CheckpointStore(FileSystem fs, Path runDir) {
        this(fs, runDir, WriteRetry.NONE);
    }

    /** The store of a run folder given as a URI or local path, e.g. {@code s3a://bucket/runs/demo}. */
    public static CheckpointStore open(String runDir, Configuration hadoop, WriteRetry retry) throws IOException {
        Path p = new Path(runDir);
        return new CheckpointStore(p.getFileSystem(hadoop), p, retry);
    }

    /** A store of a run folder that tries every save once. */
    public static CheckpointStore open(String runDir, Configuration hadoop) throws IOException {
        return open(runDir, hadoop, WriteRetry.NONE);
    }

    public Path runDir() {
        return runDir;
    }

    /** The folder name of a step: {@code step-} and eight or more digits. */
    public static String stepName(long step) {
        return String.format("step-%08d", step);
    }

    /**
     * Writes a checkpoint (tensors, state, config, then COMMIT, then LATEST) and applies the
     * retention policy. Any earlier folder of the same step, committed or not, is replaced. A
     * failed write is retried from scratch as the store's {@link WriteRetry} allows; when every
     * attempt fails, the step has no valid COMMIT and readers keep seeing the previous checkpoint.
     * A failure while deleting old checkpoints is only logged: the new one is already committed.
     */
    public void save(Checkpoint c, CheckpointPolicy retention) throws IOException {
        requireRedacted(c.config());
        Path dir = new Path(runDir, stepName(c.step()));
        for (int attempt = 1; ; attempt++) {
            try {
                writeCommitted(c, dir);
                break;
            } catch (IOException | RuntimeException e) {
                if (attempt >= retry.attempts()) {
                    throw new IOException("cannot write checkpoint " + dir + " after " + attempt + " attempt(s); the newest"
                            + " committed checkpoint is unchanged: " + e.getMessage(), e);
                }
                long pause = retry.pauseAfter(attempt);
                LOG.warn("writing checkpoint {} failed (attempt {} of {}): {}; retrying in {} ms", dir, attempt,
                        retry.attempts(), e.toString(), pause);
                sleep(pause);
            }
        }
        try {
            applyRetention(retention, c.step());
        } catch (IOException e) {
            LOG.warn("checkpoint {} is committed, but deleting older checkpoints failed: {}", dir, e.toString());
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry a checkpoint write");
        }
    }

    private void writeCommitted(Checkpoint c, Path dir) throws IOException {
        if (fs.exists(dir)) {
            fs.delete(dir, true);
        }
        fs.mkdirs(dir);
        Map<String, FileDigest> written = new LinkedHashMap<>();
        written.put(WEIGHTS, writeTensors(dir, WEIGHTS, c.weights(), "weights"));
        written.put(OPTIMIZER, writeTensors(dir, OPTIMIZER, c.optimizer(), "optimizer"));
        for (Map.Entry<String, Map<String, INDArray>> e : c.emas().entrySet()) {
            String name = emaFile(e.getKey());
            written.put(name, writeTensors(dir, name, e.getValue(), "ema " + e.getKey()));
        }
        written.put(STATE, writeBytes(new Path(dir, STATE), c.state().toJson().getBytes(StandardCharsets.UTF_8)));
        written.put(CONFIG, writeBytes(new Path(dir, CONFIG), c.config().getBytes(StandardCharsets.UTF_8)));
        writeBytes(new Path(dir, COMMIT), commitMarker(c.step(), written).getBytes(StandardCharsets.UTF_8));
        writeBytes(new Path(runDir, LATEST), (stepName(c.step()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Steps with a readable COMMIT whose listed files exist with the listed sizes, ascending. */
    public List<Long> committedSteps() throws IOException {
        List<Long> steps = new ArrayList<>();
        for (long step : stepFolders()) {
            if (readMarker(step, false).isPresent()) {
                steps.add(step);
            }
        }
        return steps;
    }

    /** The step named in LATEST, if the file exists and is well formed (not verified against COMMIT). */
    public Optional<Long> latestPointer() throws IOException {
        Path p = new Path(runDir, LATEST);
        if (!fs.exists(p)) {
            return Optional.empty();
        }
        String s = new String(readAll(p), StandardCharsets.UTF_8).trim();
        return s.matches("step-\\d{8,}") ? Optional.of(Long.parseLong(s.substring(5))) : Optional.empty();
    }

    /** The newest checkpoint whose files all match their COMMIT checksums, if any. */
    public Optional<Checkpoint> loadLatest() throws IOException {
        List<Long> steps = committedSteps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Optional<Checkpoint> c = tryLoad(steps.get(i));
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** One committed checkpoint, every file verified against its COMMIT entry. */
    public Checkpoint load(long step) throws IOException {
        Optional<Checkpoint> c = tryLoad(step);
        if (c.isEmpty()) {
            throw new IOException(new Path(runDir, stepName(step)) + " is not a committed checkpoint (missing or invalid "
                    + COMMIT + ", or a file does not match it; see the log)");
        }
        return c.get();
    }

    /**
     * Deletes committed checkpoints the policy does not keep (all but the newest keep-last, except
     * multiples of keep-every and {@code justSaved}) and uncommitted folders older than {@code justSaved},
     * which only a crashed save leaves behind.
     */
    public void applyRetention(CheckpointPolicy policy, long justSaved) throws IOException {
        List<Long> committed = committedSteps();
        TreeSet<Long> keep = new TreeSet<>(committed.subList(Math.max(0, committed.size() - policy.keepLast()), committed.size()));
        keep.add(justSaved);
        for (long step : stepFolders()) {
            boolean isCommitted = committed.contains(step);
            boolean drop = isCommitted ? !keep.contains(step) && !policy.keptForever(step) : step < justSaved;
            if (drop) {
                LOG.info("checkpoint retention: deleting {}{}", stepName(step), isCommitted ? "" : " (never committed)");
                fs.delete(new Path(runDir, stepName(step)), true);
            }
        }
    }

    private Optional<Checkpoint> tryLoad(long step) throws IOException {
        Optional<Map<String, FileDigest>> marker = readMarker(step, true);
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        Path dir = new Path(runDir, stepName(step));
        Map<String, INDArray> weights = readTensors(new Path(dir, WEIGHTS));
        Map<String, INDArray> optimizer = readTensors(new Path(dir, OPTIMIZER));
        Map<String, Map<String, INDArray>> emas = new LinkedHashMap<>();
        for (String file : marker.get().keySet()) {
            if (file.startsWith("ema-") && file.endsWith(".safetensors")) {
                emas.put(file.substring(4, file.length() - ".safetensors".length()), readTensors(new Path(dir, file)));
            }
        }
        Path statePath = new Path(dir, STATE);
        RunState state = RunState.fromJson(new String(readAll(statePath), StandardCharsets.UTF_8), statePath.toString());
        if (state.step() != step) {
            LOG.warn("ignoring {}: {} says step {}", dir, STATE, state.step());
            return Optional.empty();
        }
        String config = new String(readAll(new Path(dir, CONFIG)), StandardCharsets.UTF_8);
        return Optional.of(new Checkpoint(weights, optimizer, emas, state, config));
    }

    /**
     * The files listed in a step's COMMIT, if the marker parses, names this step, and every listed
     * file exists with its size (and, with {@code verifyChecksums}, its SHA-256).
     */
    private Optional<Map<String, FileDigest>> readMarker(long step, boolean verifyChecksums) throws IOException {
        Path dir = new Path(runDir, stepName(step));
        Path markerPath = new Path(dir, COMMIT);
        Map<String, FileDigest> files = new LinkedHashMap<>();
        try {
            Map<?, ?> m = (Map<?, ?>) Json.parse(new String(readAll(markerPath), StandardCharsets.UTF_8));
            if (((Long) m.get("step")) != step) {
                LOG.warn("ignoring {}: {} names step {}", dir, COMMIT, m.get("step"));
                return Optional.empty();
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("files")).entrySet()) {
                Map<?, ?> f = (Map<?, ?>) e.getValue();
                files.put((String) e.getKey(), new FileDigest((Long) f.get("size"), (String) f.get("sha256")));
            }
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (ChecksumException e) {
            LOG.warn("ignoring {}: {} fails the file system's checksum ({})", dir, COMMIT, e.getMessage());
            return Optional.empty();
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            LOG.warn("ignoring {}: unreadable {} ({})", dir, COMMIT, e.toString());
            return Optional.empty();
        }
        for (String required : List.of(WEIGHTS, OPTIMIZER, STATE, CONFIG)) {
            if (!files.containsKey(required)) {
                LOG.warn("ignoring {}: {} does not list {}", dir, COMMIT, required);
                return Optional.empty();
            }
        }
        for (Map.Entry<String, FileDigest> f : files.entrySet()) {
            Path p = new Path(dir, f.getKey());
            long size;
            try {
                size = fs.getFileStatus(p).getLen();
            } catch (FileNotFoundException e) {
                LOG.warn("ignoring {}: {} is missing", dir, f.getKey());
                return Optional.empty();
            }
            if (size != f.getValue().size()) {
                LOG.warn("ignoring {}: {} has {} bytes, {} says {}", dir, f.getKey(), size, COMMIT, f.getValue().size());
                return Optional.empty();
            }
            if (verifyChecksums) {
                String sha;
                try {
                    sha = sha256(p);
                } catch (ChecksumException e) {
                    // The local file system's own .crc side files caught the damage first.
                    LOG.warn("ignoring {}: {} fails the file system's checksum ({})", dir, f.getKey(), e.getMessage());
                    return Optional.empty();
                }
                if (!sha.equals(f.getValue().sha256())) {
                    LOG.warn("ignoring {}: {} has SHA-256 {}, {} says {}", dir, f.getKey(), sha, COMMIT, f.getValue().sha256());
                    return Optional.empty();
                }
            }
        }
        return Optional.of(files);
    }

    private List<Long> stepFolders() throws IOException {
        if (!fs.exists(runDir)) {
            return List.of();
        }
        List<Long> steps = new ArrayList<>();
        for (FileStatus s : fs.listStatus(runDir)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.matches("step-\\d{8,}")) {
                steps.add(Long.parseLong(name.substring(5)));
            }
        }
        Collections.sort(steps);
        return steps;
    }

    /** The file of the EMA with this label in a step folder, e.g. {@code ema-500.safetensors}. */
    public static String emaFile(String label) {
        return "ema-" + label + ".safetensors";
    }

    private record FileDigest(long size, String sha256) {
    }

    private FileDigest writeTensors(Path dir, String name, Map<String, INDArray> tensors, String what) throws IOException {
        Path p = new Path(dir, name);
        MessageDigest sha = newSha256();
        try (FSDataOutputStream raw = fs.create(p, true);
             DigestOutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(raw, 1 << 20), sha)) {
            Safetensors.write(out, tensors, Map.of("pmf.content", what), p.toString());
            out.flush();
        }
        return new FileDigest(fs.getFileStatus(p).getLen(), HexFormat.of().formatHex(sha.digest()));
    }

    private FileDigest writeBytes(Path p, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(p, true)) {
            out.write(bytes);
        }
        return new FileDigest(bytes.length, HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    private static String commitMarker(long step, Map<String, FileDigest> files) {
        StringBuilder b = new StringBuilder("{\"step\":").append(step).append(",\"files\":{");
        String sep = "";
        for (Map.Entry<String, FileDigest> f : files.entrySet()) {
            b.append(sep).append(Json.quote(f.getKey())).append(":{\"size\":").append(f.getValue().size())
                    .append(",\"sha256\":").append(Json.quote(f.getValue().sha256())).append('}');
            sep = ",";
        }
        return b.append("}}\n").toString();
    }

    private Map<String, INDArray> readTensors(Path p) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(fs.open(p), 1 << 20)) {
            return Safetensors.read(in, p.toString()).tensors();
        }
    }

    private byte[] readAll(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private String sha256(Path p) throws IOException {
        MessageDigest sha = newSha256();
        try (InputStream in = new DigestInputStream(fs.open(p), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Refuses configuration text in which a key that looks secret still carries a value. */
    static void requireRedacted(String configText) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(configText);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("checkpoint config is not valid HOCON: " + e.getMessage(), e);
        }
        for (Map.Entry<String, ConfigValue> e : parsed.entrySet()) {
            if (ConfigLoader.isSecret(e.getKey()) && !REDACTED.equals(e.getValue().unwrapped())) {
                throw new IllegalArgumentException("refusing to write " + e.getKey() + " into a checkpoint: render the"
                        + " configuration with ConfigLoader.renderWithoutSecrets");
            }
        }
    }
}
