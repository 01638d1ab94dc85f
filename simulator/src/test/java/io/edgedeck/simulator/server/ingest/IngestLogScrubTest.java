package io.edgedeck.simulator.server.ingest;

import io.edgedeck.simulator.server.OwnerOnlyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingest log rewrites its records past a cutoff, in one step, and reads them back as scrubbed. */
class IngestLogScrubTest {
    private record Read(long ordinal, long at, String payload, boolean scrubbed) {
    }

    private static List<Read> reopen(Path file) throws Exception {
        List<Read> out = new ArrayList<>();
        IngestLog.open(file, (ordinal, at, payload, scrubbed) -> out.add(new Read(ordinal, at, new String(payload, StandardCharsets.UTF_8), scrubbed)))
                .close();
        return out;
    }

    /** A new log holding {@code n} raw records, {@code raw-alice-I} arriving at 1000 + I. */
    private static IngestLog withAlice(Path file, int n) throws Exception {
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { });
        for (int i = 0; i < n; i++) {
            log.append(1_000 + i, ("raw-alice-" + i).getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        }
        return log;
    }

    @Test
    void recordsBeforeTheCutoffAreRewrittenAndTheRestKeptAsTheyCame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        IngestLog log = withAlice(file, 5);
        assertEquals(1_000, log.oldestRawEpochMillis().orElseThrow());
        IngestLog.Scrubbed done = log.scrub(1_003, p -> new String(p, StandardCharsets.UTF_8).replace("alice", "k.x")
                .getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        assertEquals(3, done.records());
        assertEquals(1_003, log.oldestRawEpochMillis().orElseThrow());
        assertEquals(5L, log.append(1_010, "raw-alice-5".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS),
                "a scrub keeps every record in its place, so the next ordinal follows on");
        assertEquals(0, log.scrub(1_003, p -> p).get(5, TimeUnit.SECONDS).records(), "nothing new is past the cutoff");
        assertEquals(3, log.scrub(1_011, p -> "gone".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).records());
        assertTrue(log.oldestRawEpochMillis().isEmpty());
        log.close();

        List<Read> back = reopen(file);
        assertEquals(6, back.size());
        assertEquals(new Read(0, 1_000, "raw-k.x-0", true), back.get(0));
        assertEquals(new Read(2, 1_002, "raw-k.x-2", true), back.get(2));
        assertEquals(new Read(3, 1_003, "gone", true), back.get(3));
        assertEquals(new Read(5, 1_010, "gone", true), back.get(5));
        assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains("alice"));
        assertFalse(Files.exists(dir.resolve("ingest.log.scrubbing")));
    }

    /**
     * A scrub whose directory cannot be synced once its rewrite took the log's name (a disk error
     * on demand: the directory sync that fails stands in for it) is done all the same; only the name
     * may not be durable, so no batch is acknowledged until the directory is synced, and one is as
     * soon as it can be.
     */
    @Test
    void aScrubWhoseDirectoryCannotBeSyncedIsDoneAndNoBatchIsAcknowledgedUntilItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        AtomicBoolean failing = new AtomicBoolean();
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { }, UnaryOperator.identity(), d -> {
            if (failing.get()) {
                throw new IOException("Input/output error");
            }
            OwnerOnlyFiles.syncDirectory(d);
        });
        log.append(1_000, "raw-alice-0".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        failing.set(true);
        assertEquals(1, log.scrub(1_001, p -> "k.x".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).records());
        assertTrue(log.oldestRawEpochMillis().isEmpty());
        assertThrows(ExecutionException.class,
                () -> log.append(1_010, "raw-bob-1".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        assertEquals("Input/output error", log.writeFailure().getMessage());
        failing.set(false);
        assertEquals(1L, log.append(1_020, "raw-carol-1".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS),
                "the refused batch left nothing in the log");
        assertNull(log.writeFailure());
        log.close();
        assertEquals(List.of(new Read(0, 1_000, "k.x", true), new Read(1, 1_020, "raw-carol-1", false)), reopen(file));
    }

    /**
     * A scrub whose rewrite cannot be opened as the log (out of file descriptors, say; the channel
     * view that fails stands in for the open) fails and changes nothing: the log still takes records,
     * in the file it reads back from.
     */
    @Test
    void aScrubThatCannotOpenItsRewriteAsTheLogLeavesTheLogWritable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        AtomicInteger opened = new AtomicInteger();
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { }, channel -> {
            if (opened.getAndIncrement() > 0) {
                throw new UncheckedIOException(new IOException("Too many open files"));
            }
            return channel;
        });
        log.append(1_000, "raw-alice-0".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> log.scrub(1_001, p -> "k.x".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("Too many open files"), failed.getCause().toString());
        assertEquals(1L, log.append(1_010, "raw-bob-1".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        assertNull(log.writeFailure());
        log.close();
        assertEquals(List.of(new Read(0, 1_000, "raw-alice-0", false), new Read(1, 1_010, "raw-bob-1", false)), reopen(file));
        assertFalse(Files.exists(dir.resolve("ingest.log.scrubbing")), "the rewrite, holding raw ids, was left");
    }

    /**
     * Records written with no raw id (a raw sample) between raw ones: a scrub keeps them in their
     * places as they are, and the oldest raw record is the oldest that holds raw ids.
     */
    @Test
    void recordsWrittenScrubbedAmongRawOnesAreKeptInTheirPlaces(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { });
        log.append(1_000, "keyed-0".getBytes(StandardCharsets.UTF_8), true).get(5, TimeUnit.SECONDS);
        assertTrue(log.oldestRawEpochMillis().isEmpty(), "a record written scrubbed holds no raw id");
        log.append(1_001, "raw-alice-1".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        log.append(1_002, "keyed-2".getBytes(StandardCharsets.UTF_8), true).get(5, TimeUnit.SECONDS);
        log.append(1_003, "raw-alice-3".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        log.append(1_004, "keyed-4".getBytes(StandardCharsets.UTF_8), true).get(5, TimeUnit.SECONDS);
        assertEquals(1_001, log.oldestRawEpochMillis().orElseThrow());

        IngestLog.Scrubbed done = log.scrub(1_003, p -> new String(p, StandardCharsets.UTF_8).replace("alice", "k.x")
                .getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        assertEquals(1, done.records(), "only the raw record past the cutoff is rewritten");
        assertEquals(1_003, log.oldestRawEpochMillis().orElseThrow());
        assertEquals(1, log.scrub(1_010, p -> new String(p, StandardCharsets.UTF_8).replace("alice", "k.x")
                .getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).records());
        assertTrue(log.oldestRawEpochMillis().isEmpty());
        log.close();

        assertEquals(List.of(new Read(0, 1_000, "keyed-0", true), new Read(1, 1_001, "raw-k.x-1", true),
                new Read(2, 1_002, "keyed-2", true), new Read(3, 1_003, "raw-k.x-3", true), new Read(4, 1_004, "keyed-4", true)),
                reopen(file));
        assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains("alice"));
    }

    /** A log of scrubbed records only, reopened: nothing raw, and a later raw record is the oldest raw one. */
    @Test
    void aLogWrittenScrubbedHasNoRawRecordAfterAReopen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { });
        log.append(1_000, "keyed-0".getBytes(StandardCharsets.UTF_8), true).get(5, TimeUnit.SECONDS);
        log.close();
        log = IngestLog.open(file, (o, at, p, s) -> { });
        assertTrue(log.oldestRawEpochMillis().isEmpty());
        assertEquals(1L, log.append(1_005, "keyed-1".getBytes(StandardCharsets.UTF_8), true).get(5, TimeUnit.SECONDS));
        log.append(1_006, "raw-alice-2".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        assertEquals(1_006, log.oldestRawEpochMillis().orElseThrow());
        log.close();
        assertEquals(List.of(new Read(0, 1_000, "keyed-0", true), new Read(1, 1_005, "keyed-1", true),
                new Read(2, 1_006, "raw-alice-2", false)), reopen(file));
    }

    /** A crash while a scrub wrote its rewrite: the log is as it was, and the half-written rewrite is gone. */
    @Test
    void aScrubCutShortByACrashLeavesTheLogWholeAndItsRewriteIsDeleted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        withAlice(file, 3).close();
        byte[] whole = Files.readAllBytes(file);
        Path rewrite = dir.resolve("ingest.log.scrubbing");
        Files.write(rewrite, java.util.Arrays.copyOf(whole, whole.length / 2));

        List<Read> back = reopen(file);
        assertEquals(List.of(new Read(0, 1_000, "raw-alice-0", false), new Read(1, 1_001, "raw-alice-1", false),
                new Read(2, 1_002, "raw-alice-2", false)), back);
        assertFalse(Files.exists(rewrite), "the rewrite held raw ids too");
    }

    @Test
    void aTornTailAfterScrubbedRecordsIsStillCutOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.log");
        IngestLog log = IngestLog.open(file, (o, at, p, s) -> { });
        log.append(1, "a".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        log.append(2, "b".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        log.scrub(2, p -> "A".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        log.close();
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            c.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2}));
        }
        List<Read> back = reopen(file);
        assertEquals(List.of(new Read(0, 1, "A", true), new Read(1, 2, "b", false)), back);
    }
}
