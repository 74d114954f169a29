package org.pmf.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.pmf.io.Npz;
import org.pmf.io.NpzArchive;

/**
 * The small Fashion-MNIST CNN the project trains itself, because no pretrained feature network can be
 * downloaded: its penultimate activations are the features of "FD-FMNIST" and of k-NN precision /
 * recall, its logits give the class accuracy of class-conditional samples.
 *
 * <p>Input [B, 3, 32, 32] float in [-1, 1] (see {@link FashionMnist}). A 4x4 stride-4 convolution to
 * 96 channels (8 x 8 grid), a 2x2 stride-2 convolution to 128 channels (4 x 4 grid), both ReLU, a
 * dense layer to {@value #FEATURES} ReLU features, a dense layer to 10 logits. Built and trained with SameDiff
 * (Adam, softmax cross-entropy); weights are stored as an npz under the variable names below.
 */
public final class FmnistClassifier {

    public static final int FEATURES = 128;
    private static final int PATCH1_IN = 3 * 4 * 4;
    private static final int PATCH1_OUT = 96;
    private static final int PATCH2_IN = 2 * 2 * PATCH1_OUT;
    private static final int PATCH2_OUT = 128;
    private static final int FLAT = 4 * 4 * PATCH2_OUT;
    private static final String LOSS = "loss";
    private static final String IMAGES = "images";
    private static final String LABELS = "labels";
    private static final String FEATURES_OUT = "features";
    private static final String LOGITS_OUT = "logits";
    private static final int INFERENCE_BATCH = 500;

    /** Penultimate features [B, 128] and logits [B, 10]. */
    public record Outputs(INDArray features, INDArray logits) {
    }

    /** How the classifier is trained. */
    public record Training(int epochs, int batchSize, double learningRate, long seed) {
    }

    private final SameDiff sd;

    private FmnistClassifier(Map<String, INDArray> weights) {
        this.sd = SameDiff.create();
        build(weights);
    }

    /** A classifier with He-normal weights and zero biases drawn from {@code seed}. */
    public static FmnistClassifier initialised(long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes().entrySet()) {
            long[] shape = e.getValue();
            if (e.getKey().endsWith(".bias")) {
                w.put(e.getKey(), Nd4j.zeros(DataType.FLOAT, shape));
            } else {
                long fanIn = Arrays.stream(shape).limit(shape.length - 1).reduce(1, (a, b) -> a * b);
                w.put(e.getKey(), Nd4j.randn(DataType.FLOAT, shape).muli(Math.sqrt(2.0 / fanIn)));
            }
        }
        return new FmnistClassifier(w);
    }

    /** Loads weights written by {@link #save}; names and shapes must match exactly. */
    public static FmnistClassifier load(Path file) throws IOException {
        NpzArchive npz = Npz.read(file);
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes().entrySet()) {
            if (!npz.contains(e.getKey())) {
                throw new IOException(file + ": classifier weights lack '" + e.getKey() + "' (holds " + npz.arrays().keySet()
                    + "); delete the file to retrain it");
            }
            INDArray a = npz.get(e.getKey());
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw new IOException(file + ": classifier weight '" + e.getKey() + "' is " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(e.getValue()) + "; delete the file to retrain it");
            }
            w.put(e.getKey(), a.castTo(DataType.FLOAT));
        }
        if (npz.arrays().size() != w.size()) {
            throw new IOException(file + ": unexpected arrays besides the classifier weights: " + npz.arrays().keySet());
        }
        return new FmnistClassifier(w);
    }

    /** Writes the weights as an npz (written to a temporary file first, then moved into place). */
    public void save(Path file) throws IOException {
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (String name : shapes().keySet()) {
            w.put(name, sd.getArrForVarName(name));
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Npz.write(tmp, w, false);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Trains on {@code data} with Adam (learning rate decayed linearly to 0), reshuffling every epoch from {@code schedule.seed()}; reports
     * progress lines to {@code progress}. Uses at most {@code limit} images (all if limit <= 0).
     */
    public void train(FashionMnist.Images data, Training schedule, int limit, Consumer<String> progress) {
        int n = limit > 0 ? Math.min(limit, data.count()) : data.count();
        int steps = (n + schedule.batchSize() - 1) / schedule.batchSize();
        // Linear decay to 0 over the run: the last steps average out minibatch noise, worth about a
        // point of test accuracy when only a couple of epochs fit in the CPU budget.
        sd.setTrainingConfig(TrainingConfig.builder()
            .updater(new Adam(new PolySchedule(ScheduleType.ITERATION, schedule.learningRate(), 1.0, steps * schedule.epochs())))
            .dataSetFeatureMapping(IMAGES)
            .dataSetLabelMapping(LABELS)
            .build());
        Random random = new Random(schedule.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long start = System.nanoTime();
        for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
            shuffle(order, random);
            for (int s = 0; s < steps; s++) {
                int from = s * schedule.batchSize();
                int to = Math.min(n, from + schedule.batchSize());
                int[] idx = Arrays.copyOfRange(order, from, to);
                DataSet batch = new DataSet(data.networkInput(idx), oneHot(data, idx));
                sd.fit(batch);
                if ((s + 1) % 100 == 0 || s + 1 == steps) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long images = (long) epoch * n + to;
                    // the loss after the step, on the batch just trained on (a cheap, noisy progress signal)
                    double loss = sd.output(Map.of(IMAGES, batch.getFeatures(), LABELS, batch.getLabels()), LOSS)
                        .get(LOSS).getDouble(0);
                    progress.accept(String.format("epoch %d/%d step %d/%d  batch loss %.4f  %.0f images/s",
                        epoch + 1, schedule.epochs(), s + 1, steps, loss, images / seconds));
                }
            }
        }
    }

    /** Features and logits of images [B, 3, 32, 32] in [-1, 1], run in batches of 500. */
    public Outputs run(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3 || images.size(2) != FashionMnist.SIDE || images.size(3) != FashionMnist.SIDE) {
            throw new IllegalArgumentException("classifier input must be [B, 3, 32, 32], got " + Arrays.toString(images.shape()));
        }
        long b = images.size(0);
        INDArray features = Nd4j.create(DataType.FLOAT, b, FEATURES);
        INDArray logits = Nd4j.create(DataType.FLOAT, b, FashionMnist.CLASSES);
        INDArray x = images.castTo(DataType.FLOAT);
        for (long from = 0; from < b; from += INFERENCE_BATCH) {
            long to = Math.min(b, from + INFERENCE_BATCH);
            org.nd4j.linalg.indexing.INDArrayIndex rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
            Map<String, INDArray> out = sd.output(Map.of(IMAGES, x.get(rows).dup()), FEATURES_OUT, LOGITS_OUT);
            features.get(rows).assign(out.get(FEATURES_OUT));
            logits.get(rows).assign(out.get(LOGITS_OUT));
        }
        return new Outputs(features, logits);
    }

    /** Fraction of {@code images} whose arg-max logit equals {@code labels}. */
    public double accuracy(INDArray images, int[] labels) {
        return accuracyOfLogits(run(images).logits(), labels);
    }

    /** Fraction of rows of {@code logits} [N, 10] whose arg-max equals {@code labels}. */
    public static double accuracyOfLogits(INDArray logits, int[] labels) {
        if (logits.size(0) != labels.length) {
            throw new IllegalArgumentException(logits.size(0) + " images but " + labels.length + " labels");
        }
        long[] predicted = logits.argMax(1).toLongVector();
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    /** Names and shapes of the weights, every kernel stored [in, out]. */
    private static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("patch1.weight", new long[] {PATCH1_IN, PATCH1_OUT});
        s.put("patch1.bias", new long[] {PATCH1_OUT});
        s.put("patch2.weight", new long[] {PATCH2_IN, PATCH2_OUT});
        s.put("patch2.bias", new long[] {PATCH2_OUT});
        s.put("dense1.weight", new long[] {FLAT, FEATURES});
        s.put("dense1.bias", new long[] {FEATURES});
        s.put("dense2.weight", new long[] {FEATURES, FashionMnist.CLASSES});
        s.put("dense2.bias", new long[] {FashionMnist.CLASSES});
        return s;
    }

    /**
     * Both patch layers are convolutions whose stride equals their kernel (4x4 on the image, then 2x2
     * on the 8 x 8 grid), written as a reshape/permute to non-overlapping patches and one matrix
     * multiply: on these CPUs SameDiff trains such a net several times faster than one with
     * overlapping convolutions and pooling, at the same accuracy on Fashion-MNIST.
     */
    private void build(Map<String, INDArray> w) {
        SDVariable x = sd.placeHolder(IMAGES, DataType.FLOAT, -1, 3, FashionMnist.SIDE, FashionMnist.SIDE);
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, FashionMnist.CLASSES);
        // [B, 3, 8*4, 8*4] -> [B, 8, 8, 3, 4, 4] -> one row per 4x4 patch
        SDVariable patches = x.reshape(-1, 3, 8, 4, 8, 4).permute(0, 2, 4, 1, 3, 5).reshape(-1, PATCH1_IN);
        SDVariable h1 = sd.nn.relu(dense(patches, "patch1", w), 0.0);
        // [B, 8, 8, C] with position (2 qy + dy, 2 qx + dx) -> [B, 4, 4, 2, 2, C] -> one row per 2x2 cell
        SDVariable cells = h1.reshape(-1, 4, 2, 4, 2, PATCH1_OUT).permute(0, 1, 3, 2, 4, 5).reshape(-1, PATCH2_IN);
        SDVariable h2 = sd.nn.relu(dense(cells, "patch2", w), 0.0).reshape(-1, FLAT);
        SDVariable features = sd.nn.relu(FEATURES_OUT, dense(h2, "dense1", w), 0.0);
        SDVariable logits = features.mmul(sd.var("dense2.weight", w.get("dense2.weight")))
            .add(LOGITS_OUT, sd.var("dense2.bias", w.get("dense2.bias")));
        sd.loss.softmaxCrossEntropy(LOSS, labels, logits, null);
    }

    private SDVariable dense(SDVariable in, String name, Map<String, INDArray> w) {
        return in.mmul(sd.var(name + ".weight", w.get(name + ".weight"))).add(sd.var(name + ".bias", w.get(name + ".bias")));
    }

    private static INDArray oneHot(FashionMnist.Images data, int[] idx) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, idx.length, FashionMnist.CLASSES);
        for (int i = 0; i < idx.length; i++) {
            y.putScalar(i, data.labels()[idx[i]], 1.0);
        }
        return y;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
