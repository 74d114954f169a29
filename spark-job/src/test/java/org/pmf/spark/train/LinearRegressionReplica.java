package org.pmf.spark.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A least-squares model trained by plain SGD (optionally with momentum, to have an optimizer
 * buffer to average): small enough that the averaging oracles can be computed by hand.
 * The step uses its rng to add a little noise to the targets, so step seeds matter.
 */
final class LinearRegressionReplica implements Replica<LinearRegressionReplica.Batch> {

    record Batch(INDArray x, INDArray y) {
        static Batch concat(Batch a, Batch b) {
            return new Batch(Nd4j.vstack(a.x, b.x), Nd4j.vstack(a.y, b.y));
        }
    }

    /** Factory shipped to executors; a record so executor-side replica pools recognise it. */
    record Factory(int features, int batch, double lr, double momentum, long dataSeed)
            implements ReplicaFactory<Batch> {
        /** A closed-form step too small to split: the workers go unused. */
        @Override
        public Replica<Batch> newReplica(org.pmf.parallel.Workers workers) {
            return new LinearRegressionReplica(features, lr, momentum);
        }

        @Override
        public BatchSource<Batch> batches(int partition, int partitions, long firstBatch) {
            return new BatchSource<>() {
                long next = firstBatch;

                @Override
                public Batch next() {
                    return batchAt(partition, next++);
                }
            };
        }

        @Override
        public int batchSize() {
            return batch;
        }

        Batch batchAt(int partition, long index) {
            SplittableRandom r = new SplittableRandom(dataSeed * 1_000_003L + partition * 7919L + index);
            double[][] x = new double[batch][features];
            double[][] y = new double[batch][1];
            for (int i = 0; i < batch; i++) {
                double t = 0;
                for (int j = 0; j < features; j++) {
                    x[i][j] = r.nextGaussian();
                    t += x[i][j] * (j + 1);
                }
                y[i][0] = t + 0.1 * r.nextGaussian();
            }
            return new Batch(Nd4j.create(x), Nd4j.create(y));
        }
    }

    private final double lr;
    private final double momentum;
    private final INDArray w;
    private final INDArray velocity;

    LinearRegressionReplica(int features, double lr, double momentum) {
        this.lr = lr;
        this.momentum = momentum;
        this.w = Nd4j.zeros(DataType.DOUBLE, features, 1);
        this.velocity = Nd4j.zeros(DataType.DOUBLE, features, 1);
    }

    @Override
    public void load(Map<String, INDArray> state) {
        w.assign(state.get("w"));
        velocity.assign(state.get("velocity"));
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("w", w);
        m.put("velocity", velocity);
        return m;
    }

    @Override
    public Map<String, Double> step(long step, Batch batch, RandomGenerator rng) {
        INDArray jitter = Nd4j.create(new double[] {1e-3 * rng.nextGaussian()}, new long[] {1, 1}, DataType.DOUBLE);
        INDArray residual = batch.x().mmul(w).subi(batch.y()).addi(jitter.getDouble(0));
        double n = batch.x().rows();
        INDArray grad = batch.x().transpose().mmul(residual).muli(2.0 / n);
        velocity.muli(momentum).addi(grad);
        w.subi(velocity.mul(lr));
        double loss = residual.mul(residual).sumNumber().doubleValue() / n;
        return Map.of("loss", loss);
    }
}
