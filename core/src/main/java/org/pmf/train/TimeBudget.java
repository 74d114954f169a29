package org.pmf.train;

import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * Ends a stream of batches once a time budget is spent: the {@link LocalTrainer} stops when
 * its batches run out, finishes normally, and its listeners (checkpoint, metrics) close the run as
 * at the end of the configured steps. The step that is running when the budget ends completes.
 *
 * <p>The budget is counted on a {@link Clock}: wall time, or the CPU time of this process, which on
 * a host shared with other jobs measures the work done rather than the waiting (with one native
 * thread, a minute of CPU is a minute of an idle core).
 *
 * @param <B> the batch type
 */
public final class TimeBudget<B> implements Iterator<B> {

    /** What the budget is counted in. */
    public enum Clock {
        /** Elapsed real time. */
        WALL(System::nanoTime),
        /** CPU time of every thread of this JVM. */
        CPU(() -> ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());

        private final LongSupplier nanos;

        Clock(LongSupplier nanos) {
            this.nanos = nanos;
        }

        /** The clock's reading in nanoseconds (from an arbitrary origin). */
        public long nanos() {
            return nanos.getAsLong();
        }
    }

    private final Iterator<B> batches;
    private final LongSupplier clock;
    private final long startNanos;
    private final long budgetNanos;

    /** {@code minutes} on {@code clock} from now; 0 or less means no limit. */
    public TimeBudget(Iterator<B> batches, double minutes, Clock clock) {
        this(batches, minutes, clock::nanos);
    }

    /** On any clock reading nanoseconds (tests). */
    TimeBudget(Iterator<B> batches, double minutes, LongSupplier clockNanos) {
        this.batches = batches;
        this.clock = clockNanos;
        this.startNanos = clockNanos.getAsLong();
        this.budgetNanos = minutes > 0 ? (long) (minutes * 60e9) : Long.MAX_VALUE;
    }

    /** False once the budget is spent (or the underlying batches are exhausted). */
    @Override
    public boolean hasNext() {
        return clock.getAsLong() - startNanos < budgetNanos && batches.hasNext();
    }

    /** The share of the budget used so far, in [0, 1]; 0 without a limit. */
    public double fractionUsed() {
        return budgetNanos == Long.MAX_VALUE ? 0 : Math.min(1.0, (double) (clock.getAsLong() - startNanos) / budgetNanos);
    }

    /** Minutes of the budget used so far. */
    public double minutesUsed() {
        return (clock.getAsLong() - startNanos) / 60e9;
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the time budget is spent");
        }
        return batches.next();
    }
}
