package org.pmf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {

    /** A clock the test moves by hand, in nanoseconds. */
    private final long[] now = {1_000};

    @Test
    void batchesFlowUntilTheClockPassesTheBudget() {
        TimeBudget<Integer> b = new TimeBudget<>(Stream.iterate(0, i -> i + 1).iterator(), 2.0, () -> now[0]);
        assertTrue(b.hasNext());
        assertEquals(0, b.next());
        now[0] += 119_000_000_000L;
        assertEquals(1, b.next());
        assertEquals(119.0 / 60, b.minutesUsed(), 1e-12);
        assertEquals(119.0 / 120, b.fractionUsed(), 1e-12, "what the progress line reports");
        now[0] += 1_000_000_000L;
        assertFalse(b.hasNext(), "two minutes are spent");
        assertThrows(NoSuchElementException.class, b::next);
    }

    @Test
    void noBudgetMeansTheBatchesDecideAndExhaustedBatchesEndEarly() {
        TimeBudget<String> unlimited = new TimeBudget<>(List.of("a", "b").iterator(), 0, () -> now[0]);
        now[0] = Long.MAX_VALUE - 5;
        assertEquals("a", unlimited.next());
        assertEquals(0, unlimited.fractionUsed(), "no budget, nothing used");
        assertEquals("b", unlimited.next());
        assertFalse(unlimited.hasNext());
        Iterator<String> none = new TimeBudget<>(List.<String>of().iterator(), 10, () -> now[0]);
        assertFalse(none.hasNext());
    }
}
