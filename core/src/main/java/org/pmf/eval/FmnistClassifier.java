package org.pmf.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.io.Npz;
import org.pmf.io.NpzArchive;
import org.pmf.io.ParamTensors;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Relu;
import org.pmf.optim.Optimizer;
import org.pmf.optim.OptimizerConfig;

/**
 * The small Fashion-MNIST CNN the project trains itself, because no pretrained feature network can be
 * downloaded: its penultimate activations are the features of "FD-FMNIST" and of k-NN precision /
 * recall, its logits give the class accuracy of class-conditional samples.
 *
 * <p>Input [B, 3, 32, 32] in [-1, 1] (see {@link FashionMnist}); the network sees the mean of the
 * three channels (Fashion-MNIST is grey; a generator's channels may differ slightly). Three
 * overlapping 3x3 convolutions with ReLU: 1 -> 32 channels at 32 x 32, 32 -> 64 with stride 2
 * (16 x 16), 64 -> 64 with stride 2 (8 x 8); a dense layer to {@value #FEATURES} ReLU features; a
 * dense layer to 10 logits. Trained with Adam on softmax cross-entropy, with random shifts of up to
 * 2 pixels and horizontal flips. Written on plain INDArrays with the project's layers
 * ({@link Conv3x3}, {@link Linear}); weights are stored as an npz, one array per parameter name.
 */
public final class FmnistClassifier {

    public static final int FEATURES = 128;
    private static final int SIDE = FashionMnist.SIDE;
    private static final int C1 = 32;
    private static final int C2 = 64;
    private static final int C3 = 64;
    private static final int FLAT = 8 * 8 * C3;
    private static final int INFERENCE_BATCH = 500;
    /** Largest shift of the training augmentation: the 28 x 28 image sits in 2 pixels of background. */
    private static final int MAX_SHIFT = 2;

    /** Penultimate features [B, 128] and logits [B, 10]. */
    public record Outputs(INDArray features, INDArray logits) {
    }

    /**
     * How the classifier is trained.
     *
     * @param epochs       passes over the training images
     * @param batchSize    images per Adam step
     * @param learningRate Adam's rate at the first step, decayed linearly to 0 at the last
     * @param seed         seed of the initial weights, the order of the images and the augmentation
     * @param augment      random shifts (up to 2 pixels) and horizontal flips of the training images
     */
    public record Training(int epochs, int batchSize, double learningRate, long seed, boolean augment) {
    }

    /** Activations of one forward pass, kept for the backward. */
    private static final class Trace {
        Conv3x3.Trace conv1;
        INDArray mask1;
        INDArray act1;
        Conv3x3.Trace conv2;
        INDArray mask2;
        INDArray act2;
        Conv3x3.Trace conv3;
        INDArray mask3;
        INDArray flat;
        INDArray maskFeatures;
        INDArray features;
        INDArray logits;
    }

    private final ParamSet params;
    private final Conv3x3 conv1;
    private final Conv3x3 conv2;
    private final Conv3x3 conv3;
    private final Linear dense1;
    private final Linear dense2;

    private FmnistClassifier(DataType dataType, long seed) {
        ParamSet.Builder b = new ParamSet.Builder(dataType);
        conv1 = new Conv3x3(b, "conv1", 1, C1, 1);
        conv2 = new Conv3x3(b, "conv2", C1, C2, 2);
        conv3 = new Conv3x3(b, "conv3", C2, C3, 2);
        dense1 = new Linear(b, "dense1", FLAT, FEATURES, Initializer.normal(0, Math.sqrt(2.0 / FLAT)), true, Initializer.zeros(),
            Param.Role.OTHER);
        dense2 = new Linear(b, "dense2", FEATURES, FashionMnist.CLASSES, Initializer.normal(0, Math.sqrt(1.0 / FEATURES)), true,
            Initializer.zeros(), Param.Role.OTHER);
        params = b.build(seed);
    }

    /** A classifier with He-normal weights and zero biases drawn from {@code seed}. */
    public static FmnistClassifier initialised(long seed) {
        return new FmnistClassifier(DataType.FLOAT, seed);
    }

    /** As {@link #initialised(long)} in float64, for gradient checks. */
    static FmnistClassifier initialisedDouble(long seed) {
        return new FmnistClassifier(DataType.DOUBLE, seed);
    }

    ParamSet params() {
        return params;
    }

    /** Loads weights written by {@link #save}; names and shapes must match exactly. */
    public static FmnistClassifier load(Path file) throws IOException {
        FmnistClassifier c = new FmnistClassifier(DataType.FLOAT, 0);
        NpzArchive npz = Npz.read(file);
        Map<String, INDArray> targets = ParamTensors.views(c.params, c.params.values());
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            if (!npz.contains(e.getKey())) {
                throw new IOException(file + ": classifier weights lack '" + e.getKey() + "' (holds " + npz.arrays().keySet()
                    + "); delete the file to retrain it");
            }
            INDArray a = npz.get(e.getKey());
            if (!Arrays.equals(a.shape(), e.getValue().shape())) {
                throw new IOException(file + ": classifier weight '" + e.getKey() + "' is " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(e.getValue().shape()) + "; delete the file to retrain it");
            }
        }
        if (npz.arrays().size() != targets.size()) {
            throw new IOException(file + ": unexpected arrays besides the classifier weights: " + npz.arrays().keySet());
        }
        targets.forEach((name, target) -> target.assign(npz.get(name).castTo(DataType.FLOAT)));
        return c;
    }

    /** Writes the weights as an npz (written to a temporary file first, then moved into place). */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Npz.write(tmp, ParamTensors.views(params, params.values()), false);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Trains on {@code data} with Adam, the rate decayed linearly to 0 over the run (the last steps
     * average out minibatch noise), reshuffling every epoch from {@code schedule.seed()}; reports
     * progress lines to {@code progress}. Uses at most {@code limit} images (all if limit <= 0).
     */
    public void train(FashionMnist.Images data, Training schedule, int limit, Consumer<String> progress) {
        int n = limit > 0 ? Math.min(limit, data.count()) : data.count();
        int steps = (n + schedule.batchSize() - 1) / schedule.batchSize();
        SplittableRandom random = new SplittableRandom(schedule.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Buffers forward = new Buffers();
        Buffers backward = new Buffers();
        Optimizer adam = new Optimizer(adamConfig(schedule.learningRate()), params);
        long totalSteps = (long) steps * schedule.epochs();
        long start = System.nanoTime();
        for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
            shuffle(order, random);
            double lossSum = 0;
            int lossCount = 0;
            for (int s = 0; s < steps; s++) {
                int from = s * schedule.batchSize();
                int to = Math.min(n, from + schedule.batchSize());
                int[] idx = Arrays.copyOfRange(order, from, to);
                INDArray x = greyInput(data, idx, schedule.augment() ? random : null, params.dataType());
                forward.rewind();
                backward.rewind();
                Trace tr = forward(x, forward);
                int[] labels = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    labels[i] = data.labels()[idx[i]];
                }
                params.zeroGrads();
                lossSum += backward(tr, labels, backward);
                lossCount++;
                double rate = schedule.learningRate() * (1 - (double) adam.state().count() / totalSteps);
                adam.step(rate);
                if ((s + 1) % 100 == 0 || s + 1 == steps) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long images = (long) epoch * n + to;
                    progress.accept(String.format(Locale.ROOT, "epoch %d/%d step %d/%d  lr %.2e  mean loss %.4f  %.0f images/s",
                        epoch + 1, schedule.epochs(), s + 1, steps, rate, lossSum / lossCount, images / seconds));
                    lossSum = 0;
                    lossCount = 0;
                }
            }
        }
    }

    /** Features and logits of images [B, 3, 32, 32] in [-1, 1], run in batches of 500. */
    public Outputs run(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3 || images.size(2) != SIDE || images.size(3) != SIDE) {
            throw new IllegalArgumentException("classifier input must be [B, 3, 32, 32], got " + Arrays.toString(images.shape()));
        }
        long b = images.size(0);
        INDArray features = Nd4j.create(DataType.FLOAT, b, FEATURES);
        INDArray logits = Nd4j.create(DataType.FLOAT, b, FashionMnist.CLASSES);
        Buffers buf = new Buffers();
        for (long from = 0; from < b; from += INFERENCE_BATCH) {
            long to = Math.min(b, from + INFERENCE_BATCH);
            INDArrayIndex rows = NDArrayIndex.interval(from, to);
            INDArray grey = images.get(rows).castTo(params.dataType()).mean(1).reshape('c', to - from, SIDE, SIDE, 1);
            buf.rewind();
            Trace tr = forward(grey, buf);
            features.get(rows).assign(tr.features);
            logits.get(rows).assign(tr.logits);
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

    /** x: grey images [B, 32, 32, 1] in [-1, 1]. */
    private Trace forward(INDArray x, Buffers buf) {
        Trace t = new Trace();
        t.conv1 = conv1.forward(x, buf);
        t.mask1 = Relu.mask(t.conv1.output, buf);
        t.act1 = Relu.forward(t.conv1.output, buf);
        t.conv2 = conv2.forward(t.act1, buf);
        t.mask2 = Relu.mask(t.conv2.output, buf);
        t.act2 = Relu.forward(t.conv2.output, buf);
        t.conv3 = conv3.forward(t.act2, buf);
        t.mask3 = Relu.mask(t.conv3.output, buf).reshape('c', x.size(0), FLAT);
        t.flat = Relu.forward(t.conv3.output, buf).reshape('c', x.size(0), FLAT);
        INDArray h = dense1.forward(t.flat, buf);
        t.maskFeatures = Relu.mask(h, buf);
        t.features = Relu.forward(h, buf);
        t.logits = dense2.forward(t.features, buf);
        return t;
    }

    /**
     * Adds the gradient of the mean softmax cross-entropy into the parameters' gradients.
     *
     * @return the mean cross-entropy of the batch
     */
    double backward(Trace t, int[] labels, Buffers buf) {
        int b = labels.length;
        INDArray p = Nd4j.exec(new SoftMax(t.logits, buf.like(t.logits), 1))[0];
        double loss = crossEntropy(p, labels);
        // d(mean cross-entropy)/d(logits) = (softmax - one-hot) / B
        for (int i = 0; i < b; i++) {
            p.putScalar(i, labels[i], p.getDouble(i, labels[i]) - 1);
        }
        INDArray dLogits = p.divi(b);
        INDArray dFeatures = Relu.backward(t.maskFeatures, dense2.backward(t.features, dLogits, buf), buf);
        INDArray dFlat = Relu.backward(t.mask3, dense1.backward(t.flat, dFeatures, buf), buf);
        INDArray dAct2 = conv3.backward(t.conv3, dFlat.reshape('c', b, 8, 8, C3), 16, true, buf);
        INDArray dAct1 = conv2.backward(t.conv2, Relu.backward(t.mask2, dAct2, buf), SIDE, true, buf);
        conv1.backward(t.conv1, Relu.backward(t.mask1, dAct1, buf), SIDE, false, buf);
        return loss;
    }

    /** Mean cross-entropy of a batch and its gradient in the parameters' gradients (zeroed first): for tests. */
    double lossAndGradient(INDArray grey, int[] labels) {
        params.zeroGrads();
        return backward(forward(grey, new Buffers()), labels, new Buffers());
    }

    /** Mean cross-entropy of a batch, forward only: for tests. */
    double loss(INDArray grey, int[] labels) {
        INDArray logits = forward(grey, new Buffers()).logits;
        return crossEntropy(Nd4j.exec(new SoftMax(logits, logits.ulike(), 1))[0], labels);
    }

    /** -mean log p[label] from the softmax probabilities [B, 10]. */
    private static double crossEntropy(INDArray probabilities, int[] labels) {
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            loss -= Math.log(Math.max(probabilities.getDouble(i, labels[i]), 1e-30));
        }
        return loss / labels.length;
    }

    /**
     * Grey training images [n, 32, 32, 1] in [-1, 1]: the 28 x 28 image centred in background (-1),
     * shifted by up to 2 pixels each way and flipped left-right with probability 1/2 when
     * {@code augment} is given.
     */
    static INDArray greyInput(FashionMnist.Images data, int[] indices, SplittableRandom augment, DataType type) {
        int src = FashionMnist.SOURCE_SIDE;
        int pad = (SIDE - src) / 2;
        double[] out = new double[indices.length * SIDE * SIDE];
        Arrays.fill(out, -1.0);
        for (int i = 0; i < indices.length; i++) {
            int dy = augment == null ? 0 : augment.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            int dx = augment == null ? 0 : augment.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            boolean flip = augment != null && augment.nextBoolean();
            int base = indices[i] * src * src;
            for (int y = 0; y < src; y++) {
                for (int x = 0; x < src; x++) {
                    int sx = flip ? src - 1 - x : x;
                    out[(i * SIDE + y + pad + dy) * SIDE + x + pad + dx] = (data.pixels()[base + y * src + sx] & 0xff) / 127.5 - 1.0;
                }
            }
        }
        return Nd4j.create(out, new long[] {indices.length, SIDE, SIDE, 1}, type);
    }

    private static OptimizerConfig adamConfig(double rate) {
        return new OptimizerConfig(OptimizerConfig.Kind.ADAM, rate, 0, 1e-8, 0.95, true, 5,
            OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.999, false, 0.0);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
