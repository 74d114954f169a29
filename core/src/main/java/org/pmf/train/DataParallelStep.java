package org.pmf.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.model.PmfNet;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.parallel.Workers;
import org.pmf.perceptual.PerceptualLoss;

/**
 * One pMF training step with the batch split over worker threads. Each worker runs a
 * {@link PmfTrainingStep} on its share with its own {@link PmfNet#replica() replica} of the network
 * (the same weights, its own activations and gradients); the shares' gradients are then summed into
 * the network's, each weighted by its share of the batch. Every term of the step's loss is a batch
 * mean of per-example terms, so the result is the gradient of the whole batch's loss.
 *
 * <p>Why split the batch rather than let ND4J split each operation over its native threads: on the
 * CPU presets most operations are too small for that to pay ({@link Workers}, bench/train-step.md).
 *
 * <p>With one worker the step is exactly {@link PmfTrainingStep}'s, with the same random draws.
 * With n workers, share i draws from its own generator, seeded by the i-th number drawn from the
 * step's generator: a run is reproducible for a given number of workers.
 */
public final class DataParallelStep {

    private final PmfNet net;
    private final Workers workers;
    private final List<PmfTrainingStep> shares = new ArrayList<>();

    /**
     * @param net        the network whose gradients receive the batch's gradient
     * @param perceptual makes the optional perceptual term, once per share (its networks keep per-call state)
     * @param workers    the threads; the batch is split into as many shares
     */
    public DataParallelStep(PmfNet net, ObjectiveOptions options, Supplier<Optional<PerceptualLoss>> perceptual, Workers workers) {
        this.net = net;
        this.workers = workers;
        shares.add(new PmfTrainingStep(net, options, perceptual.get()));
        for (int i = 1; i < workers.threads(); i++) {
            shares.add(new PmfTrainingStep(net.replica(), options, perceptual.get()));
        }
    }

    /** Wall time of each phase of the last step, as the first share saw it (the shares run side by side). */
    public StepPhases phases() {
        return shares.get(0).phases();
    }

    /**
     * Replaces the network's gradients with the gradient of this step's loss on {@code batch}.
     *
     * @return the step's metrics (see {@link PmfTrainingStep#computeGradients}), batch means over all shares
     */
    public Map<String, Double> computeGradients(PmfTrainingStep.Batch batch, RandomGenerator rng) {
        int b = batch.size();
        int n = Math.min(shares.size(), b);
        if (n == 1) {
            return shares.get(0).computeGradients(batch, rng);
        }
        List<Callable<Map<String, Double>>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PmfTrainingStep step = shares.get(i);
            PmfTrainingStep.Batch part = share(batch, i, n);
            SplittableRandom partRng = new SplittableRandom(rng.nextLong());
            tasks.add(() -> step.computeGradients(part, partRng));
        }
        List<Map<String, Double>> metrics = workers.run(tasks);

        INDArray grads = net.params().grads();
        grads.muli(weight(0, n, b));
        for (int i = 1; i < n; i++) {
            grads.addi(shares.get(i).net().params().grads().muli(weight(i, n, b)));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            double w = weight(i, n, b);
            metrics.get(i).forEach((k, v) -> mean.merge(k, w * v, Double::sum));
        }
        return mean;
    }

    /** Share i of n: examples [i b / n, (i + 1) b / n). */
    private static PmfTrainingStep.Batch share(PmfTrainingStep.Batch batch, int i, int n) {
        int b = batch.size();
        int from = (int) ((long) i * b / n);
        int to = (int) ((long) (i + 1) * b / n);
        INDArray images = batch.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        return new PmfTrainingStep.Batch(images, Arrays.copyOfRange(batch.labels(), from, to));
    }

    private static double weight(int i, int n, int b) {
        return ((long) (i + 1) * b / n - (long) i * b / n) / (double) b;
    }
}
