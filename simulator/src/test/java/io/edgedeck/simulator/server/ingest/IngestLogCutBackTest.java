package io.edgedeck.simulator.server.ingest;

import io.edgedeck.engine.journal.FullDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group that fails part-way on a full disk, whose cut-back fails too (a disk that fails a
 * truncate cannot be had on demand, so the file's channel is {@link FullDisk}'s): no record is
 * acknowledged after bytes that were not cut off, the log fails until they are, and the next group
 * starts where the last durable record ends. Read back, the log holds exactly the acknowledged
 * records, each at the ordinal it was acknowledged with.
 */
class IngestLogCutBackTest {
    private static final int HEADER = 16;

    /**
     * How often the logs these tests open try the file while it fails: the product's 2 s is waited out by the tests
     * that watch tries, and the tries' growth waits are the same multiples of it.
     */
    static final long TEST_PROBE_MILLIS = 250;

    /** The log at {@code file}, written through a {@link FullDisk} the test reaches through {@code disk}. */
    static IngestLog open(Path file, AtomicReference<FullDisk> disk) throws Exception {
        return IngestLog.open(file, (ordinal, at, payload, scrubbed) -> {
        }, channel -> {
            FullDisk d = new FullDisk(channel);
            disk.set(d);
            return d;
        }, TEST_PROBE_MILLIS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Holds the writer thread in a scrub's callback until released; the scrub then fails and changes nothing. */
    private record Hold(CountDownLatch entered, CountDownLatch release, CompletableFuture<IngestLog.Scrubbed> scrub) {
        static Hold on(IngestLog log) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            return new Hold(entered, release, log.scrub(Long.MAX_VALUE, payload -> {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("held by the test");
            }));
        }

        /** Waits until the writer thread is in the callback. */
        void reached() throws InterruptedException {
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the writer thread never reached the scrub's callback");
        }
    }

    private static List<String> readBack(Path file) throws Exception {
        List<String> records = new ArrayList<>();
        try (IngestLog read = IngestLog.open(file, (ordinal, at, payload, scrubbed) ->
                records.add(ordinal + ":" + new String(payload, StandardCharsets.UTF_8)))) {
            assertTrue(read.damage().isEmpty(), read.damage().toString());
        }
        return records;
    }

    @Test
    void aGroupAfterOneThatCouldNotBeCutBackStartsWhereTheLastDurableRecordEnds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        AtomicReference<FullDisk> disk = new AtomicReference<>();
        long b;
        try (IngestLog log = open(file, disk)) {
            assertEquals(0L, log.append(1_000, bytes("r0")).get(5, TimeUnit.SECONDS));
            Hold hold = Hold.on(log);
            hold.reached();
            // Queued while the writer is held: a1 and a2 make one group, b the next (a scrub with nothing to do parts them).
            CompletableFuture<Long> a1 = log.append(2_000, bytes("a1"));
            CompletableFuture<Long> a2 = log.append(2_001, bytes("a2-that-does-not-fit"));
            log.scrub(0, payload -> payload);
            CompletableFuture<Long> bDone = log.append(3_000, bytes("b"));
            // Room for a1 whole and a few bytes of a2; cutting them back fails once, and then the disk is itself again.
            disk.get().leave(HEADER + 2 + 5);
            disk.get().failTruncate = true;
            disk.get().afterFailedTruncate = disk.get()::free;
            hold.release().countDown();
            assertThrows(ExecutionException.class, () -> a1.get(5, TimeUnit.SECONDS));
            assertThrows(ExecutionException.class, () -> a2.get(5, TimeUnit.SECONDS));
            b = bDone.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of("0:r0", b + ":b"), readBack(file), "b was acknowledged as record " + b);
        assertEquals(1, b);
    }

    @Test
    void whileACutBackFailsNothingIsWrittenAndTheLogFailsUntilATryCutsItOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        AtomicReference<FullDisk> disk = new AtomicReference<>();
        try (IngestLog log = open(file, disk)) {
            assertEquals(0L, log.append(1_000, bytes("r0")).get(5, TimeUnit.SECONDS));
            long durable = Files.size(file);
            disk.get().leave(5);
            disk.get().failTruncate = true;
            assertThrows(ExecutionException.class, () -> log.append(2_000, bytes("a")).get(5, TimeUnit.SECONDS));
            assertEquals(durable + 5, Files.size(file), "the failed write left part of itself");
            assertNotNull(log.writeFailure());

            // Room again, but the bytes cannot be cut off yet: refused, and nothing written after them.
            disk.get().capacity = Long.MAX_VALUE;
            assertThrows(ExecutionException.class, () -> log.append(3_000, bytes("b")).get(5, TimeUnit.SECONDS));
            assertEquals(durable + 5, Files.size(file));
            assertNotNull(log.writeFailure());

            // The disk heals with no batch coming: the log's own tries cut the bytes off.
            disk.get().free();
            long tries = log.tries();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (log.writeFailure() != null && log.tries() < tries + 3 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertNull(log.writeFailure(), "the log still fails after its tries");
            assertEquals(durable, Files.size(file));
            assertEquals(1L, log.append(4_000, bytes("c")).get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of("0:r0", "1:c"), readBack(file));
    }
}
