package org.pmf.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fixed number of threads, the caller's included, that run a list of independent tasks and
 * return when every one has finished: the shares of a split batch, the optimizer's independent
 * updates. Threads take the next task as they free up, so list the costly tasks first.
 *
 * <p>Work split here replaces ND4J's own splitting of each operation over its native threads: on the
 * CPU presets most operations are too small for that to pay (two native threads ran the {@code small}
 * training step slower than one, bench/train-step.md). With more than one thread, ND4J is therefore
 * set to one native thread per operation, for the whole JVM, until {@link #close()} restores its
 * previous setting.
 */
public final class Workers implements AutoCloseable {

    /** Runs every task on the caller's thread and leaves ND4J's threads as they are. */
    public static final Workers CALLER_ONLY = new Workers(1, false);

    private final int threads;
    private final ExecutorService pool;
    private final int[] nativeThreadsBefore;
    private boolean closed;

    private Workers(int threads, boolean singleThreadedOps) {
        this.threads = threads;
        this.nativeThreadsBefore = singleThreadedOps
            ? new int[] {Nd4j.getEnvironment().maxMasterThreads(), Nd4j.factory().blas().getMaxThreads()} : null;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "pmf-worker");
            t.setDaemon(true);
            return t;
        });
        if (singleThreadedOps) {
            limitNativeThreads(1);
        }
    }

    /** {@code threads} threads (at least 1); more than one makes ND4J's operations single-threaded. */
    public static Workers of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return threads == 1 ? CALLER_ONLY : new Workers(threads, true);
    }

    /**
     * {@code threads} threads with ND4J single-threaded until {@link #close()}, even for one thread:
     * for work whose float sums must not depend on how many threads run it (a single-threaded
     * matrix product adds in one order).
     */
    public static Workers withSingleThreadedOps(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new Workers(threads, true);
    }

    /**
     * Sets the native threads of every ND4J operation in this JVM: element-wise loops and matrix
     * products alike. For a caller that shares the cores out itself (Spark tasks of one executor).
     */
    public static void limitNativeThreads(int threads) {
        setNativeThreads(threads, threads);
    }

    /**
     * ND4J's element-wise loops take as many threads as its "master threads" setting allows (its
     * {@code setMaxThreads} cannot go below the pool it started with, so it is not used); matrix
     * products are OpenBLAS's, with their own setting.
     */
    private static void setNativeThreads(int elementwise, int blas) {
        Nd4j.getEnvironment().setMaxMasterThreads(elementwise);
        Nd4j.factory().blas().setMaxThreads(blas);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs the tasks and returns their results in the tasks' order. Returns (or throws) only when
     * every task has ended, so no task outlives the call; the first failure is thrown with the
     * others attached as suppressed exceptions.
     */
    public <T> List<T> run(List<? extends Callable<T>> tasks) {
        int n = tasks.size();
        List<T> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
        Throwable[] failures = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    results.set(i, tasks.get(i).call());
                } catch (Throwable e) {
                    failures[i] = e;
                }
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        for (int i = 1; i < Math.min(threads, n); i++) {
            helpers.add(pool.submit(drain));
        }
        drain.run();
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;   // the helpers still touch our arrays: wait them out
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a worker thread failed outside its task", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable first = null;
        for (Throwable f : failures) {
            if (f != null && first == null) {
                first = f;
            } else if (f != null) {
                first.addSuppressed(f);
            }
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException("a task failed", first);
        }
        return results;
    }

    /** Stops the threads and gives ND4J back the native threads it had before; {@link #CALLER_ONLY} stays usable. */
    @Override
    public synchronized void close() {
        if (closed || this == CALLER_ONLY) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
        if (nativeThreadsBefore != null) {
            setNativeThreads(nativeThreadsBefore[0], nativeThreadsBefore[1]);
        }
    }
}
