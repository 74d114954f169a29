package org.pmf.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class WorkersTest {

    @Test
    void resultsComeBackInTheTasksOrderWhateverOrderTheyFinishIn() {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int id = i;
            tasks.add(() -> {
                Thread.sleep(9 - id);
                return id * id;
            });
        }
        try (Workers workers = Workers.of(3)) {
            List<Integer> results = workers.run(tasks);
            for (int i = 0; i < 9; i++) {
                assertEquals(i * i, results.get(i));
            }
        }
    }

    /** Each task waits for the other: only two threads running at once can finish them. */
    @Test
    void tasksRunOnSeveralThreadsAtOnce() {
        CountDownLatch both = new CountDownLatch(2);
        Callable<Boolean> meet = () -> {
            both.countDown();
            return both.await(20, TimeUnit.SECONDS);
        };
        try (Workers workers = Workers.of(2)) {
            assertEquals(List.of(true, true), workers.run(List.of(meet, meet)));
        }
    }

    /** A task still running when another fails would race the next call on the same arrays. */
    @Test
    void aFailureIsThrownOnlyAfterEveryOtherTaskHasEnded() {
        AtomicBoolean slowTaskEnded = new AtomicBoolean();
        Callable<Void> failing = () -> {
            throw new IllegalStateException("share 0 failed");
        };
        Callable<Void> slow = () -> {
            Thread.sleep(300);
            slowTaskEnded.set(true);
            return null;
        };
        try (Workers workers = Workers.of(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> workers.run(List.of(failing, slow)));
            assertEquals("share 0 failed", e.getMessage());
            assertTrue(slowTaskEnded.get(), "run returned before the other task ended");
        }
    }

    @Test
    void severalThreadsMakeNd4jSingleThreadedUntilClosed() {
        assertSingleThreadedOpsWhileOpenAndRestoredAfter(() -> Workers.of(2), workers -> assertEquals(2, workers.threads()));
    }

    @Test
    void singleThreadedOpsAreKeptForOneThreadTooAndRestoredOnClose() {
        assertSingleThreadedOpsWhileOpenAndRestoredAfter(() -> Workers.withSingleThreadedOps(1),
            one -> assertEquals(List.of(Thread.currentThread()), one.run(List.of(Thread::currentThread))));
    }

    private static void assertSingleThreadedOpsWhileOpenAndRestoredAfter(Supplier<Workers> open, Consumer<Workers> use) {
        int elementwise = Nd4j.getEnvironment().maxMasterThreads();
        int blas = Nd4j.factory().blas().getMaxThreads();
        try (Workers workers = open.get()) {
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
            use.accept(workers);
        }
        assertEquals(elementwise, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(blas, Nd4j.factory().blas().getMaxThreads());
    }

    @Test
    void oneThreadRunsOnTheCallerAndLeavesNd4jAlone() {
        int before = Nd4j.getEnvironment().maxMasterThreads();
        Workers one = Workers.of(1);
        assertSame(Workers.CALLER_ONLY, one);
        assertEquals(List.of(Thread.currentThread()), one.run(List.of(Thread::currentThread)));
        one.close();
        assertEquals(before, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(List.of(7), Workers.CALLER_ONLY.run(List.of(() -> 7)));
    }
}
