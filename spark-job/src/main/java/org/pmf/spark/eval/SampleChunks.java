package org.pmf.spark.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.data.PatchLayout;
import org.pmf.data.PixelRange;
import org.pmf.eval.FidInception;
import org.pmf.model.PmfNet;
import org.pmf.perceptual.NamedWeights;
import org.pmf.sample.Sampler;
import org.pmf.spark.CheckpointModel;
import org.pmf.train.StepSeeds;

/**
 * Evaluation samples generated on executors, chunk by chunk: sample i has class
 * {@code classes[i / perClass]}; each chunk draws its noise from a seed derived from (seed, chunk),
 * so the samples do not depend on which executor made them or on retries. A chunk returns its
 * uint8 images, or only their Inception pool features and logits (8 KB per sample instead of
 * shipping 256 px images to the driver).
 */
public final class SampleChunks {

    private SampleChunks() {
    }

    /** Samples [start, end) of the evaluation, the {@code index}-th chunk. */
    public record Chunk(int index, long start, long end) implements Serializable {
    }

    /** What one chunk produced; absent parts are null. */
    public record Output(int index, int[] labels, INDArray pixels, INDArray pool, INDArray logits) implements Serializable {
    }

    /** Consecutive chunks of at most {@code chunkSize} samples covering {@code total}. */
    public static List<Chunk> chunks(long total, int chunkSize) {
        List<Chunk> out = new ArrayList<>();
        for (long s = 0; s < total; s += chunkSize) {
            out.add(new Chunk(out.size(), s, Math.min(total, s + chunkSize)));
        }
        return out;
    }

    /**
     * The task body.
     *
     * @param inceptionWeights Hadoop path of the FID Inception weights, or null to return the images instead
     * @param hadoop           the driver's fs.* settings, to read the weights from the same file systems
     */
    public record Generate(Broadcast<CheckpointModel> model, Sampler sampler, int[] classes, int perClass, long seed,
                           int batchSize, String inceptionWeights, int widthDivisor, Map<String, String> hadoop)
            implements FlatMapFunction<Iterator<Chunk>, Output> {

        @Override
        public Iterator<Output> call(Iterator<Chunk> chunks) throws Exception {
            List<Output> out = new ArrayList<>();
            while (chunks.hasNext()) {
                out.add(generate(chunks.next()));
            }
            return out.iterator();
        }

        private Output generate(Chunk c) {
            int n = Math.toIntExact(c.end() - c.start());
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = classes[(int) ((c.start() + i) / perClass)];
            }
            RandomGenerator rng = StepSeeds.forStep(seed, c.index(), 0);
            PmfNet net = Pools.borrow("net-" + model.id(), () -> model.value().network());
            List<INDArray> pixels = new ArrayList<>();
            try {
                for (int s = 0; s < n; s += batchSize) {
                    int[] batch = java.util.Arrays.copyOfRange(labels, s, Math.min(n, s + batchSize));
                    pixels.add(PixelRange.toUint8(sampler.generate(net, batch, rng)));
                }
            } finally {
                Pools.giveBack("net-" + model.id(), net);
            }
            INDArray all = pixels.size() == 1 ? pixels.get(0) : Nd4j.concat(0, pixels.toArray(INDArray[]::new));
            if (inceptionWeights == null) {
                return new Output(c.index(), labels, all, null, null);
            }
            PatchLayout layout = PatchLayout.rgb(model.value().net().imageSize(), model.value().net().patchSize());
            String key = "inception-" + inceptionWeights + "-" + widthDivisor;
            FidInception inception = Pools.borrow(key, this::loadInception);
            try {
                List<INDArray> pool = new ArrayList<>();
                List<INDArray> logits = new ArrayList<>();
                for (int s = 0; s < n; s += batchSize) {
                    INDArray part = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, Math.min(n, s + batchSize)));
                    INDArray nchw = layout.unpatchify(part.dup('c')).permute(0, 3, 1, 2).castTo(DataType.FLOAT).divi(255.0);
                    FidInception.Outputs o = inception.run(nchw.dup('c'));
                    pool.add(o.pool().dup());
                    logits.add(o.logits().dup());
                }
                return new Output(c.index(), labels, null, Nd4j.concat(0, pool.toArray(INDArray[]::new)),
                    Nd4j.concat(0, logits.toArray(INDArray[]::new)));
            } finally {
                Pools.giveBack(key, inception);
            }
        }

        /** Streams the weights once per executor JVM (they may live on s3a://). */
        private FidInception loadInception() {
            Configuration conf = new Configuration();
            hadoop.forEach(conf::set);
            try {
                return FidInception.load(NamedWeights.fromHadoop(inceptionWeights, conf), widthDivisor);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (pmf.eval.inception.weights-file)", e);
            }
        }
    }

    /**
     * Networks kept per executor JVM between tasks; neither a PmfNet nor a SameDiff graph may run
     * two batches at once, so each concurrent task borrows its own.
     */
    private static final class Pools {
        private static final Map<String, Queue<Object>> POOLS = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        static <T> T borrow(String key, Supplier<T> make) {
            Object o = POOLS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
            return o != null ? (T) o : make.get();
        }

        static void giveBack(String key, Object value) {
            POOLS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(value);
        }
    }
}
