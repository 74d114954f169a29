package org.pmf.toy;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.pmf.parallel.Workers;

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
        // one native thread per cell, also when cells run one at a time: a cell's float sums then
        // do not depend on the machine or on how many cells share it
        try (Workers workers = Workers.withSingleThreadedOps(Math.min(parallel, cells.size()))) {
            List<Callable<ToyExperiment.Result>> tasks = new ArrayList<>();
            for (Cell c : byCost) {
                tasks.add(() -> {
                    ToyExperiment.Result r = ToyExperiment.run(o, c.dim(), c.kind(), progress);
                    finished.accept(r);
                    return r;
                });
            }
            List<ToyExperiment.Result> done = workers.run(tasks);
            List<ToyExperiment.Result> results = new ArrayList<>();
            for (Cell c : cells) {
                results.add(done.get(byCost.indexOf(c)));
            }
            return results;
        }
    }
}
