package org.pmf.train;

import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Endless training batches from a labelled uint8 patch tensor held in memory, in epochs: every
 * epoch visits each example once in an order drawn from (seed, epoch). The batch of step s holds
 * the examples at stream positions s B ... s B + B - 1, so it depends on the step alone: a run
 * resumed from a checkpoint sees exactly the batches the uninterrupted run would have seen.
 */
public final class InMemoryBatches implements Iterator<PmfTrainingStep.Batch> {

    private final byte[] pixels;
    private final int[] labels;
    private final long[] exampleShape;
    private final int exampleBytes;
    private final int batchSize;
    private final long seed;
    private final LongSupplier step;
    private long cachedEpoch = -1;
    private int[] order;

    /**
     * @param patches   uint8 [N, L, P] images in the patch layout
     * @param labels    one class per example
     * @param step      the step whose batch {@link #next()} returns (the trainer's update count)
     */
    public InMemoryBatches(INDArray patches, int[] labels, int batchSize, long seed, LongSupplier step) {
        if (patches.dataType() != DataType.UBYTE || patches.rank() != 3 || patches.size(0) != labels.length) {
            throw new IllegalArgumentException("need uint8 patches [N, L, P] with one label each, got " + patches.dataType()
                + " " + java.util.Arrays.toString(patches.shape()) + " and " + labels.length + " labels");
        }
        if (batchSize < 1 || labels.length < 1) {
            throw new IllegalArgumentException("need a batch size >= 1 and at least one example");
        }
        this.pixels = patches.dup('c').data().asBytes();
        this.labels = labels.clone();
        this.exampleShape = new long[] {patches.size(1), patches.size(2)};
        this.exampleBytes = Math.toIntExact(patches.size(1) * patches.size(2));
        this.batchSize = batchSize;
        this.seed = seed;
        this.step = step;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    /** The batch of the current step, as float values in [-1, 1] (x / 127.5 - 1, see {@link org.pmf.data.PixelRange}). */
    @Override
    public PmfTrainingStep.Batch next() {
        int n = labels.length;
        float[] values = new float[batchSize * exampleBytes];
        int[] batchLabels = new int[batchSize];
        long first = step.getAsLong() * batchSize;
        for (int i = 0; i < batchSize; i++) {
            long position = first + i;
            int example = orderOf(position / n)[(int) (position % n)];
            batchLabels[i] = labels[example];
            int from = example * exampleBytes;
            int to = i * exampleBytes;
            for (int k = 0; k < exampleBytes; k++) {
                values[to + k] = (pixels[from + k] & 0xff) / 127.5f - 1f;
            }
        }
        return new PmfTrainingStep.Batch(Nd4j.create(values, new long[] {batchSize, exampleShape[0], exampleShape[1]}, 'c'),
            batchLabels);
    }

    private int[] orderOf(long epoch) {
        if (epoch != cachedEpoch) {
            int n = labels.length;
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            cachedEpoch = epoch;
        }
        return order;
    }
}
