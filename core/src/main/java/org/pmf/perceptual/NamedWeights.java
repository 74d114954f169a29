package org.pmf.perceptual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.Npz;
import org.pmf.io.Safetensors;

/**
 * The tensors of one weights file, looked up by name with their shapes checked. A network asks for
 * every tensor it needs ({@link #require}); afterwards {@link #requireAllUsed} rejects files holding
 * tensors no layer took (a file for another architecture or a misnamed conversion), so a wrong file
 * fails at start-up with the file, the tensor and the shapes in the message.
 */
public final class NamedWeights {

    private final String source;
    private final Map<String, INDArray> tensors;
    private final TreeSet<String> used = new TreeSet<>();
    private final Map<String, INDArray> prepared = new java.util.concurrent.ConcurrentHashMap<>();

    private NamedWeights(String source, Map<String, INDArray> tensors) {
        this.source = source;
        this.tensors = tensors;
    }

    /** Tensors already in memory; {@code source} names them in error messages. */
    public static NamedWeights of(String source, Map<String, INDArray> tensors) {
        return new NamedWeights(source, new LinkedHashMap<>(tensors));
    }

    /** Reads a local {@code .safetensors} file or a numpy {@code .npz} archive (one array per tensor name). */
    public static NamedWeights fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("weights file " + file + " does not exist");
        }
        return fromHadoop(file.toAbsolutePath().toString(), new org.apache.hadoop.conf.Configuration());
    }

    /**
     * Reads a {@code .safetensors} file or an {@code .npz} archive from any Hadoop file system
     * (file://, hdfs://, s3a://), streamed: executors load it without a local copy.
     */
    public static NamedWeights fromHadoop(String file, org.apache.hadoop.conf.Configuration conf) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        String name = path.getName();
        if (!name.endsWith(".safetensors") && !name.endsWith(".npz")) {
            throw new IllegalArgumentException("weights file " + file + " must end in .safetensors or .npz");
        }
        try (java.io.InputStream in = new java.io.BufferedInputStream(path.getFileSystem(conf).open(path), 1 << 20)) {
            return of(file, name.endsWith(".safetensors") ? Safetensors.read(in, file).tensors() : Npz.read(in, file).arrays());
        } catch (IOException e) {
            throw new IllegalArgumentException("weights file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public String source() {
        return source;
    }

    /**
     * The constant {@code key} derived from this file's tensors (cast, reshaped, transposed), made on
     * the first request: graphs built from one NamedWeights share their constants rather than each
     * holding a copy (every batch worker of a training step builds its own perceptual networks).
     */
    public INDArray prepared(String key, java.util.function.Supplier<INDArray> make) {
        return prepared.computeIfAbsent(key, k -> make.get());
    }

    /** The tensor called {@code name}, which must have exactly {@code shape}. */
    public INDArray require(String name, long... shape) {
        INDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("weights file " + source + ": tensor '" + name + "' is missing"
                + " (the file holds " + tensors.size() + " tensors" + nearby(name) + ")");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("weights file " + source + ": tensor '" + name + "' has shape "
                + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape)
                + " (is the file for another architecture or width?)");
        }
        used.add(name);
        return t;
    }

    /** Fails when the file holds tensors that no layer asked for. */
    public void requireAllUsed() {
        TreeSet<String> unused = new TreeSet<>(tensors.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("weights file " + source + ": " + unused.size()
                + " tensors are not used by the network, first '" + unused.first()
                + "' (is the file for another architecture or depth?)");
        }
    }

    private String nearby(String name) {
        String prefix = name.contains(".") ? name.substring(0, name.indexOf('.') + 1) : name;
        return tensors.keySet().stream().filter(k -> k.startsWith(prefix)).findFirst()
            .map(k -> ", e.g. '" + k + "'").orElse(tensors.isEmpty() ? "" : ", e.g. '" + tensors.keySet().iterator().next() + "'");
    }
}
