package org.pmf.toy;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the cells of the toy's table (every D, both kinds), a fixed number at a time, each cell on
 * its own Java thread and every ND4J operation on one native thread. The toy's arrays are small, so
 * one cell cannot keep two cores busy (on the shared 2-core host two OpenMP threads made a step ~8x
 * slower; bench/toy.md "Runtime"); running two cells at once is how the table uses 2 cores. A cell
 * draws everything from its own seeds, so the results do not depend on how many run at once.
 */
final class ToyCells {

    /** One cell of the table. */
    record Cell(int dim, PredictionKind kind) {
    }

    private ToyCells() {
    }

    /**
     * Trains every cell of {@code o}; returns the results in table order (dims as listed, x-pred
     * then u-pred), calling {@code finished} from the training threads as each cell ends.
     *
     * @param parallel cells trained at once (1: one after another on the calling thread's pool)
     */
    static List<ToyExperiment.Result> run(ToyOptions o, int parallel, PrintStream progress, Consumer<ToyExperiment.Result> finished) {
        if (parallel < 1) {
            throw new IllegalArgumentException("toy: cells at once must be at least 1, got " + parallel);
        }
        List<Cell> cells = new ArrayList<>();
        for (int dim : o.dims()) {
            for (PredictionKind kind : PredictionKind.values()) {
                cells.add(new Cell(dim, kind));
            }
        }
        // a cell's time grows with D (bench/toy.md: 51-84 s at D <= 16, 165-184 s at D = 512), so the
        // largest start first and the small ones fill in around them
        List<Cell> byCost = new ArrayList<>(cells);
        byCost.sort(Comparator.comparingInt(Cell::dim).reversed());
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        int savedMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
        int savedBlasThreads = Nd4j.factory().blas().getMaxThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        // the BLAS library keeps its own thread count (from OMP_NUM_THREADS at start-up); without
        // this a cell's matrix products would still use every core, and their float sums would
        // depend on the machine
        Nd4j.factory().blas().setMaxThreads(1);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, cells.size()));
        try {
            List<Future<ToyExperiment.Result>> futures = new ArrayList<>();
            for (Cell c : byCost) {
                futures.add(pool.submit(() -> {
                    ToyExperiment.Result r = ToyExperiment.run(o, c.dim(), c.kind(), progress);
                    finished.accept(r);
                    return r;
                }));
            }
            List<ToyExperiment.Result> results = new ArrayList<>();
            for (Cell c : cells) {
                results.add(get(futures.get(byCost.indexOf(c))));
            }
            return results;
        } finally {
            pool.shutdownNow();
            Nd4j.getEnvironment().setMaxThreads(savedThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(savedMasterThreads);
            Nd4j.factory().blas().setMaxThreads(savedBlasThreads);
        }
    }

    private static ToyExperiment.Result get(Future<ToyExperiment.Result> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("toy: interrupted while waiting for a cell", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("toy: a cell failed", e.getCause());
        }
    }
}
