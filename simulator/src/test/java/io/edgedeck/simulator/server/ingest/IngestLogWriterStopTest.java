package io.edgedeck.simulator.server.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error on the ingest log's writer thread (here thrown by a scrub's callback) stops the log for
 * good, and says so: what waited on the writer and every later append is refused at once, never left
 * waiting, and the log is marked failing for {@code /healthz} and {@code /metrics}. What was
 * acknowledged before is in the file.
 */
class IngestLogWriterStopTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What {@code future} failed with, within 5 s; a future still waiting then fails the test. */
    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        return assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void anErrorOnTheWriterThreadRefusesWhatWaitsAndEveryLaterAppendAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { });
        IngestWrites writes = new IngestWrites(log);
        assertEquals(0L, log.append(1_000, bytes("before")).get(5, TimeUnit.SECONDS));

        CountDownLatch scrubbing = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        OutOfMemoryError error = new OutOfMemoryError("test");
        CompletableFuture<IngestLog.Scrubbed> scrub = log.scrub(Long.MAX_VALUE, payload -> {
            scrubbing.countDown();
            try {
                fail.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw error;
        });
        assertTrue(scrubbing.await(5, TimeUnit.SECONDS));
        CompletableFuture<Long> waiting = log.append(1_001, bytes("waiting"));
        fail.countDown();

        Throwable scrubFailed = failure(scrub);
        assertInstanceOf(IngestLog.WriterStopped.class, scrubFailed);
        assertSame(error, scrubFailed.getCause());
        Throwable refused = failure(waiting);
        assertInstanceOf(IngestLog.WriterStopped.class, refused);
        assertSame(error, log.stopped());

        CompletableFuture<Long> later = log.append(1_002, bytes("later"));
        assertTrue(later.isCompletedExceptionally(), "an append after the writer stopped is refused at once");
        assertInstanceOf(IngestLog.WriterStopped.class, failure(later));
        assertInstanceOf(IngestLog.WriterStopped.class, failure(log.scrub(Long.MAX_VALUE, p -> p)));

        String failing = writes.failure();
        assertTrue(failing != null && failing.contains("out of memory: test") && failing.contains("until the node is started again"),
                String.valueOf(failing));
        String why = IngestWrites.why(refused);
        assertTrue(why.contains("takes no more batches") && why.contains("started again"), why);
        log.close();

        List<String> back = new ArrayList<>();
        try (IngestLog reopened = IngestLog.open(file, (o, at, p, s) -> back.add(o + ":" + new String(p, StandardCharsets.UTF_8)))) {
            assertTrue(reopened.damage().isEmpty(), reopened.damage().toString());
            assertNull(new IngestWrites(reopened).failure(), "a node started again takes batches again");
            assertEquals(1L, reopened.append(1_003, bytes("again")).get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of("0:before"), back, "only what was acknowledged is in the log");
    }

    /**
     * The writer thread runs out of memory while it handles another failure (here, saying why a
     * scrub failed): the log still stops, and every caller waiting on it, the scrub's too, is
     * answered rather than left waiting for a writer that is gone.
     */
    @Test
    void anErrorWhileHandlingAFailureStillAnswersEveryoneWaiting(@TempDir Path dir) throws Exception {
        IngestLog log = IngestLog.open(dir.resolve("ingest.log"), (o, at, p, s) -> { });
        assertEquals(0L, log.append(1_000, bytes("before")).get(5, TimeUnit.SECONDS));
        CountDownLatch scrubbing = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        OutOfMemoryError saying = new OutOfMemoryError("while saying why");
        CompletableFuture<IngestLog.Scrubbed> scrub = log.scrub(Long.MAX_VALUE, payload -> {
            scrubbing.countDown();
            try {
                fail.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException() {
                @Override
                public String getMessage() {
                    throw saying;
                }
            };
        });
        assertTrue(scrubbing.await(5, TimeUnit.SECONDS));
        CompletableFuture<Long> waiting = log.append(1_001, bytes("waiting"));
        fail.countDown();

        Throwable scrubFailed = failure(scrub);
        assertInstanceOf(IngestLog.WriterStopped.class, scrubFailed);
        assertSame(saying, scrubFailed.getCause());
        assertInstanceOf(IngestLog.WriterStopped.class, failure(waiting));
        assertSame(saying, log.stopped());
        assertInstanceOf(IngestLog.WriterStopped.class, failure(log.append(1_002, bytes("later"))));
        log.close();
    }
}
