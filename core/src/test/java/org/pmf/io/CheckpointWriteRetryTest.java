package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves against a local file system that refuses a given number of file creations, the way an
 * object store throttles or drops connections: the store retries, and a save that never succeeds
 * leaves the previous checkpoint the newest one readers see.
 */
class CheckpointWriteRetryTest {

    @TempDir
    java.nio.file.Path tmp;

    /** Fails the next {@code failures} creations of a file whose name contains {@code victim}. */
    static final class FailingCreates extends RawLocalFileSystem {
        private final String victim;
        private int failures;

        FailingCreates(String victim, int failures) throws IOException {
            this.victim = victim;
            this.failures = failures;
            initialize(URI.create("file:///"), new Configuration());
        }

        int failuresLeft() {
            return failures;
        }

        @Override
        public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                         Progressable progress) throws IOException {
            failIfVictim(f);
            return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
        }

        @Override
        public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                         short replication, long blockSize, Progressable progress) throws IOException {
            failIfVictim(f);
            return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        }

        private void failIfVictim(Path f) throws IOException {
            if (f.getName().contains(victim) && failures > 0) {
                failures--;
                throw new IOException("injected failure creating " + f);
            }
        }
    }

    Path runDir() {
        return new Path(tmp.resolve("runs/demo").toUri());
    }

    @Test
    void aSaveThatFailsTransientlyIsRetriedAndCommits() throws IOException {
        FailingCreates fs = new FailingCreates("COMMIT", 2);
        CheckpointStore store = new CheckpointStore(fs, runDir(), new WriteRetry(3, 1));
        store.save(CheckpointStoreTest.checkpointAt(8), CheckpointStoreTest.KEEP_ALL);
        assertEquals(0, fs.failuresLeft(), "both injected failures were hit");
        assertEquals(List.of(8L), store.committedSteps());
        assertEquals(8L, store.loadLatest().orElseThrow().step());
    }

    @Test
    void aSaveThatKeepsFailingLeavesThePreviousCheckpointNewest() throws IOException {
        FailingCreates fs = new FailingCreates("optimizer", 0);
        CheckpointStore store = new CheckpointStore(fs, runDir(), new WriteRetry(2, 1));
        store.save(CheckpointStoreTest.checkpointAt(4), CheckpointStoreTest.KEEP_ALL);

        CheckpointStore failing = new CheckpointStore(new FailingCreates("optimizer", 2), runDir(), new WriteRetry(2, 1));
        IOException e = assertThrows(IOException.class,
                () -> failing.save(CheckpointStoreTest.checkpointAt(8), CheckpointStoreTest.KEEP_ALL));
        assertTrue(e.getMessage().contains("step-00000008") && e.getMessage().contains("after 2 attempt(s)"), e.getMessage());
        assertEquals(List.of(4L), store.committedSteps(), "the half-written step 8 is invisible");
        assertEquals(4L, store.loadLatest().orElseThrow().step());
    }

    @Test
    void backoffDoublesAfterEachFailedAttempt() {
        WriteRetry r = new WriteRetry(5, 250);
        assertEquals(List.of(250L, 500L, 1000L, 2000L), List.of(r.pauseAfter(1), r.pauseAfter(2), r.pauseAfter(3), r.pauseAfter(4)));
    }
}
