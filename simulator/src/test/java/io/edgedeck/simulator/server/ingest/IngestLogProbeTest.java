package io.edgedeck.simulator.server.ingest;

import io.edgedeck.engine.journal.FullDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log says it can be written again, to whom it tells ({@link IngestLog#onWritableAgain}), only once it has written
 * as many bytes at once as the group that failed: a disk with room for a small write but not for a group that size
 * does not end what that group's failure reported, whether a smaller batch or the log's own try wrote the small one.
 */
class IngestLogProbeTest {
    /** More than one try's chunk, and more than the room left. */
    private static final int BIG = 3 * 1024 * 1024;
    private static final int ROOM = 2 * 1024 * 1024;

    /** Waits for three more of the log's tries, or until it said it can be written again. */
    private static void throughThreeTries(IngestLog log, AtomicLong told) throws InterruptedException {
        long tries = log.tries();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (log.tries() < tries + 3 && told.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(log.tries() >= tries + 3 || told.get() != 0, "the log made " + (log.tries() - tries) + " tries in 30 s");
    }

    /**
     * The log, its first record written, that has room for {@link #ROOM} more bytes and has just failed a group of
     * {@link #BIG}: what that failure says. {@code told} hears when it says it can be written again.
     */
    private static IngestLog.WriteFailed failedBig(IngestLog log, AtomicReference<FullDisk> disk, AtomicLong told)
            throws Exception {
        log.onWritableAgain(told::set);
        assertEquals(0L, log.append(1_000, new byte[10]).get(5, TimeUnit.SECONDS));
        disk.get().leave(ROOM);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> log.append(2_000, new byte[BIG]).get(5, TimeUnit.SECONDS));
        return assertInstanceOf(IngestLog.WriteFailed.class, failed.getCause());
    }

    private static void awaitTold(AtomicLong told) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (told.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(told.get() > 0, "the log never said it could be written again");
    }

    @Test
    void aTryOfLessRoomThanTheGroupThatFailedDoesNotSayTheLogIsWritableAgain(@TempDir Path dir) throws Exception {
        AtomicReference<FullDisk> disk = new AtomicReference<>();
        AtomicLong told = new AtomicLong();
        long before = System.currentTimeMillis();
        try (IngestLog log = IngestLogCutBackTest.open(dir.resolve("ingest.log"), disk)) {
            IngestLog.WriteFailed why = failedBig(log, disk, told);
            assertTrue(why.atMillis() >= before, "stamped when the write failed: " + why.atMillis());

            throughThreeTries(log, told);
            assertEquals(0, told.get(), "a try that only had room for less than the group said the log was writable");
            assertNotNull(log.writeFailure(), "the log is failing while a group that size cannot be written");

            disk.get().free();
            awaitTold(told);
            assertTrue(told.get() >= why.atMillis(), "told after the failure: " + told.get() + " < " + why.atMillis());
            assertNull(log.writeFailure());
        }
    }

    @Test
    void aSmallerBatchWrittenAfterABigOneFailedDoesNotEndItButATryOfTheBigOnesSizeDoes(@TempDir Path dir) throws Exception {
        AtomicReference<FullDisk> disk = new AtomicReference<>();
        AtomicLong told = new AtomicLong();
        try (IngestLog log = IngestLogCutBackTest.open(dir.resolve("ingest.log"), disk)) {
            failedBig(log, disk, told);

            // A small batch is taken: the log takes batches (/healthz says so), but one the size that failed still fails.
            assertEquals(1L, log.append(3_000, new byte[100]).get(5, TimeUnit.SECONDS));
            assertNull(log.writeFailure(), "a batch was written");
            throughThreeTries(log, told);
            assertEquals(0, told.get(), "a smaller write said the log could take a group the size that failed");

            disk.get().free();
            awaitTold(told);
            assertEquals(2L, log.append(4_000, new byte[BIG]).get(5, TimeUnit.SECONDS), "a group that size is written now");
        }
    }

    /**
     * A disk with a little room after a large group failed: the log's tries write a little first, and past it (where the
     * disk fails) only once in a while, not as much as the group every try; once the disk has room they grow to the
     * group's size, and only then say the log can be written again.
     */
    @Test
    void triesOnADiskWithLittleRoomWriteLittleAndGrowOnlyOnceInAWhile(@TempDir Path dir) throws Exception {
        AtomicReference<FullDisk> disk = new AtomicReference<>();
        AtomicLong told = new AtomicLong();
        int big = 8 * 1024 * 1024;
        int room = 256 * 1024;
        try (IngestLog log = IngestLogCutBackTest.open(dir.resolve("ingest.log"), disk)) {
            log.onWritableAgain(told::set);
            assertEquals(0L, log.append(1_000, new byte[10]).get(5, TimeUnit.SECONDS));
            disk.get().leave(room);
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> log.append(2_000, new byte[big]).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IngestLog.WriteFailed.class, failed.getCause());
            long tries = log.tries();
            long written = disk.get().bytesWritten();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (log.tries() < tries + 4 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            long wrote = disk.get().bytesWritten() - written;
            long made = log.tries() - tries;
            assertTrue(made >= 4, "the log tried " + made + " times");
            // Each try writes its first bytes (one more may be under way as the bytes are read); one of them wrote past
            // them, as far as the disk had room.
            assertTrue(wrote <= (made + 1) * IngestLog.PROBE_FIRST_BYTES + room, made + " tries wrote " + wrote + " bytes");
            assertEquals(0, told.get());
            assertNotNull(log.writeFailure());

            disk.get().free();
            long until2 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(log.growthBackoffMaxMillis() + 10_000);
            while (told.get() == 0 && System.nanoTime() < until2) {
                Thread.sleep(20);
            }
            assertTrue(told.get() > 0, "the log never said it could be written again");
            assertNull(log.writeFailure());
            assertEquals(1L, log.append(3_000, new byte[big]).get(5, TimeUnit.SECONDS), "a group that size is written now");
        }
    }

    /**
     * A try's growth step that failed makes the next one wait longer; a batch written once the disk has room, as large
     * as the group that failed, starts that wait again at its first length, so the next failure is not tried late.
     */
    @Test
    void aBatchWrittenAfterTheDiskHasRoomStartsTheGrowthWaitAgain(@TempDir Path dir) throws Exception {
        AtomicReference<FullDisk> disk = new AtomicReference<>();
        int big = 8 * 1024 * 1024;
        try (IngestLog log = IngestLogCutBackTest.open(dir.resolve("ingest.log"), disk)) {
            assertEquals(0L, log.append(1_000, new byte[10]).get(5, TimeUnit.SECONDS));
            disk.get().leave(256 * 1024);
            assertThrows(ExecutionException.class, () -> log.append(2_000, new byte[big]).get(5, TimeUnit.SECONDS));
            long tries = log.tries();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (log.tries() < tries + 1 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            // The first try wrote its first bytes, and its next step failed past the room left.
            assertEquals(2 * log.growthBackoffFirstMillis(), log.growthBackoffMillis());

            disk.get().free();
            assertEquals(1L, log.append(3_000, new byte[big]).get(5, TimeUnit.SECONDS), "a group that size is written now");
            assertEquals(log.growthBackoffFirstMillis(), log.growthBackoffMillis());
        }
    }
}
