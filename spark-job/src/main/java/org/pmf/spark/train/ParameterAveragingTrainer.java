package org.pmf.spark.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.parallel.Workers;
import org.pmf.train.NonFiniteLossException;
import org.pmf.train.StepSeeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous parameter averaging on plain Spark primitives (architecture.md decision 3): each round
 * the driver broadcasts the state, every task runs K local steps on its own partition of the data,
 * and a tree reduction averages parameters and optimizer buffers element-wise.
 *
 * <p>With one task the result equals single-machine training step for step, because the step
 * seeds and data positions do not depend on the number of rounds K. With plain SGD, K = 1 and
 * equal partitions it equals single-machine training on the concatenated batch.
 */
public final class ParameterAveragingTrainer<B> {

    private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);

    /**
     * @param tasks               tasks (data partitions) trained in parallel each round
     * @param localSteps          K: local steps per task between two averagings
     * @param runSeed             seed of the run; step seeds derive from it
     * @param maxNonFiniteRounds  consecutive discarded rounds after which training aborts
     * @param treeDepth           depth of the averaging tree reduction
     * @param threadsPerTask      threads of each task; 0: the task's spark.task.cpus. On ND4J's CPU backend
     *                            a task splits each batch over that many worker threads with single-threaded
     *                            ND4J operations (2.6-2.9x faster than ND4J's own threads on 2 cores,
     *                            bench/train-step.md); on other backends they are ND4J's native threads
     */
    public record Settings(int tasks, int localSteps, long runSeed, int maxNonFiniteRounds, int treeDepth,
                           int threadsPerTask) implements java.io.Serializable {
        public Settings {
            if (tasks < 1 || localSteps < 1 || maxNonFiniteRounds < 1 || treeDepth < 1 || threadsPerTask < 0) {
                throw new IllegalArgumentException("tasks, localSteps, maxNonFiniteRounds and treeDepth must be >= 1, threadsPerTask >= 0");
            }
        }

        /** Settings whose tasks use spark.task.cpus threads each. */
        public Settings(int tasks, int localSteps, long runSeed, int maxNonFiniteRounds, int treeDepth) {
            this(tasks, localSteps, runSeed, maxNonFiniteRounds, treeDepth, 0);
        }
    }

    private final JavaSparkContext spark;
    private final ReplicaFactory<B> factory;
    private final Settings settings;
    private final List<RoundListener> listeners;

    public ParameterAveragingTrainer(JavaSparkContext spark, ReplicaFactory<B> factory, Settings settings,
                                     List<RoundListener> listeners) {
        this.spark = spark;
        this.factory = factory;
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
    }

    /** Runs rounds until {@code totalRounds} rounds are done (counting those already in {@code state}). */
    public TrainerState run(TrainerState state, long totalRounds) throws Exception {
        int consecutiveNonFinite = 0;
        JavaRDD<Integer> partitions = spark.parallelize(
            IntStream.range(0, settings.tasks()).boxed().toList(), settings.tasks());
        while (state.round() < totalRounds) {
            long start = System.nanoTime();
            Broadcast<TrainerState> shared = spark.broadcast(state);
            spark.setJobDescription("pMF round " + (state.round() + 1) + " of " + totalRounds);
            TaskResult sum = partitions
                .mapPartitionsWithIndex(new RoundTask<>(factory, shared, settings), false)
                .treeReduce(TaskResult::plus, settings.treeDepth());
            shared.destroy();
            long wall = System.nanoTime() - start;
            long step = state.step() + settings.localSteps();
            boolean discard = !sum.nonFinite().isEmpty();
            TrainerState next;
            if (discard) {
                consecutiveNonFinite++;
                LOG.warn("round {} discarded, keeping the previous state: {}", state.round() + 1, sum.nonFinite());
                next = new TrainerState(state.arrays(), state.round() + 1, step, state.examples() + sum.examples());
            } else {
                consecutiveNonFinite = 0;
                next = new TrainerState(sum.averagedState(), state.round() + 1, step, state.examples() + sum.examples());
            }
            long perTaskBusy = (sum.computeNanos() + sum.ioNanos()) / Math.max(1, sum.tasks());
            RoundReport report = new RoundReport(next.round(), next.step(), next.examples(), sum.tasks(),
                (long) factory.batchSize() * sum.tasks(), sum.meanMetrics(), wall, sum.computeNanos(), sum.ioNanos(),
                Math.max(0, wall - perTaskBusy), discard, sum.nonFinite());
            for (RoundListener l : listeners) {
                l.onRound(report, next);
            }
            if (consecutiveNonFinite >= settings.maxNonFiniteRounds()) {
                throw new NonFiniteLossException("aborting after " + consecutiveNonFinite
                    + " consecutive rounds with non-finite losses (last: round " + next.round() + ", "
                    + sum.nonFinite() + "); the last committed checkpoint is intact");
            }
            state = next;
        }
        for (RoundListener l : listeners) {
            l.onEnd(state);
        }
        return state;
    }

    /** The task body: load the broadcast state, run K local steps, return a copy of the state. */
    private static final class RoundTask<B>
            implements org.apache.spark.api.java.function.Function2<Integer, java.util.Iterator<Integer>,
                java.util.Iterator<TaskResult>> {

        private static final long serialVersionUID = 1L;
        private final ReplicaFactory<B> factory;
        private final Broadcast<TrainerState> shared;
        private final Settings settings;

        RoundTask(ReplicaFactory<B> factory, Broadcast<TrainerState> shared, Settings settings) {
            this.factory = factory;
            this.shared = shared;
            this.settings = settings;
        }

        @Override
        public java.util.Iterator<TaskResult> call(Integer partition, java.util.Iterator<Integer> ignored) throws Exception {
            int workers = shareOutThreads();
            TrainerState state = shared.value();
            Replica<B> replica = ReplicaPool.borrow(factory, workers);
            try {
                replica.load(state.arrays());
                Map<String, Double> sums = new LinkedHashMap<>();
                List<String> nonFinite = new ArrayList<>();
                long start = System.nanoTime();
                long io = 0;
                try (BatchSource<B> data = factory.batches(partition, settings.tasks(), state.step())) {
                    for (int k = 0; k < settings.localSteps(); k++) {
                        long step = state.step() + k;
                        long ioStart = System.nanoTime();
                        B batch = data.next();
                        io += System.nanoTime() - ioStart;
                        Map<String, Double> m = replica.step(step, batch,
                            StepSeeds.forStep(settings.runSeed(), step, partition));
                        for (Map.Entry<String, Double> e : m.entrySet()) {
                            if (!Double.isFinite(e.getValue())) {
                                nonFinite.add("partition " + partition + ", step " + step + ": "
                                    + e.getKey() + " = " + e.getValue());
                            }
                            sums.merge(e.getKey(), e.getValue(), Double::sum);
                        }
                        if (!nonFinite.isEmpty()) {
                            break;
                        }
                    }
                }
                long compute = System.nanoTime() - start - io;
                Map<String, INDArray> copy = new LinkedHashMap<>();
                replica.state().forEach((k, v) -> copy.put(k, v.dup()));
                return List.of(new TaskResult(copy, sums, settings.localSteps(),
                    (long) settings.localSteps() * factory.batchSize(), compute, io, nonFinite)).iterator();
            } finally {
                ReplicaPool.giveBack(factory, workers, replica);
            }
        }

        /**
         * Gives the task its share of the executor's cores and returns how many worker threads its
         * replica steps on. ND4J's native thread settings are per JVM and by default as wide as the
         * machine, so an executor running several tasks at once would oversubscribe its cores
         * (measured in local[2] on 2 cores: 12 img/s with 2 threads per task, 17 with 1). On the CPU
         * backend a task's threads are workers, each running single-threaded ND4J operations on its
         * share of the batch; elsewhere (CUDA) one thread feeds the device with the task's native threads.
         */
        private int shareOutThreads() {
            int threads = settings.threadsPerTask() > 0 ? settings.threadsPerTask()
                : Math.max(1, org.apache.spark.TaskContext.get().cpus());
            boolean cpu = org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU();
            Workers.limitNativeThreads(cpu ? 1 : threads);
            return cpu ? threads : 1;
        }
    }

    /**
     * Replicas kept per executor JVM between rounds, so buffers (and worker threads) are made once
     * per task slot, not once per round. Concurrent tasks in one executor each borrow their own
     * replica. Replicas stay for the executor's life; their worker threads are daemons.
     */
    private static final class ReplicaPool {
        private record Key(ReplicaFactory<?> factory, int workers) {
        }

        private static final Map<Key, ConcurrentLinkedQueue<Replica<?>>> POOLS = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        static <B> Replica<B> borrow(ReplicaFactory<B> factory, int workers) {
            Replica<?> r = POOLS.computeIfAbsent(new Key(factory, workers), k -> new ConcurrentLinkedQueue<>()).poll();
            return r != null ? (Replica<B>) r : factory.newReplica(Workers.of(workers));
        }

        static <B> void giveBack(ReplicaFactory<B> factory, int workers, Replica<B> replica) {
            POOLS.computeIfAbsent(new Key(factory, workers), k -> new ConcurrentLinkedQueue<>()).add(replica);
        }
    }
}
