package io.edgedeck.simulator.edge;

import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.Snapshot;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.engine.journal.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots and compaction with real files: a restart from a snapshot and the journal after it
 * rebuilds exactly what a replay of the whole journal does (flags, audit, guardrails, pauses,
 * queued checkouts, the faults in force), replays only the records after the snapshot, and never
 * uses a damaged or unfinished snapshot.
 */
class SnapshotJournalTest {
    /** Snapshots by hand every 300 ticks (3 s of show), through outages, kills, pauses and a firing. */
    private static final SnapshotJournal.Policy BY_HAND = new SnapshotJournal.Policy(Long.MAX_VALUE, Duration.ofDays(1));

    private static JournalTest.Rebuilt run(SnapshotJournal journal) {
        TestEdges t = JournalTest.runWithFaults(journal, (edges, tick) -> {
            if (tick % 300 == 299) {
                try {
                    journal.snapshotNow(edges.core().checkouts().state(journal.nextSeq() - 1, edges.core().nowMillis()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        return JournalTest.Rebuilt.of(t);
    }

    /** The same show with no snapshot: what a replay of its whole journal rebuilds. */
    private static JournalTest.Rebuilt whole(Path dir) throws IOException {
        try (FileJournal journal = FileJournal.open(dir.resolve("whole.jsonl"))) {
            JournalTest.runWithFaults(journal, (t, tick) -> { });
            return JournalTest.Rebuilt.of(JournalTest.open(journal));
        }
    }

    /**
     * A snapshot taken just after a record written without a force (a late batch's apply tick) covers
     * it only once the journal has forced it: a power loss right after the snapshot leaves a journal the
     * snapshot continues, and the restart uses the snapshot rather than setting it aside as damaged.
     */
    @Test
    void aSnapshotOverARecordWrittenUnforcedForcesItFirstSoAPowerLossLeavesItUsable(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path afterLoss = Files.createDirectory(dir.resolve("after-loss"));
        try (SnapshotJournal journal = SnapshotJournal.open(data, BY_HAND)) {
            journal.append(new JournalRecord.ShowStarted(journal.nextSeq(), 0, "show", 7));
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 1_000));
            journal.appendUnforced(new JournalRecord.ShowClock(journal.nextSeq(), 1_980, 2L));
            journal.snapshotNow(new JournalRecord.CheckoutsState(journal.nextSeq() - 1, 1_980, 0, 0, 1, List.of(), List.of()));
            // The power is lost now: the snapshot (forced as it is written) stays, the journal as its last force left it.
            try (var files = Files.list(data)) {
                for (Path f : files.toList()) {
                    Files.copy(f, afterLoss.resolve(f.getFileName()));
                }
            }
            try (java.nio.channels.FileChannel cut = java.nio.channels.FileChannel.open(afterLoss.resolve(SnapshotJournal.FILE),
                    java.nio.file.StandardOpenOption.WRITE)) {
                cut.truncate(journal.file().forcedBytes());
            }
        }
        try (SnapshotJournal again = SnapshotJournal.open(afterLoss, BY_HAND)) {
            assertEquals(List.of(), again.recovery().refused(), "a snapshot set aside as damaged");
            assertNotNull(again.recovery().snapshot());
            assertEquals(3, again.recovery().snapshot().coversSeq());
            assertEquals(4, again.nextSeq());
        }
    }

    @Test
    void aRestartFromTheNewestSnapshotRebuildsWhatTheWholeJournalDoesAndReplaysOnlyTheTail(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        JournalTest.Rebuilt live;
        long written;
        long dropped;
        long last;
        try (SnapshotJournal journal = SnapshotJournal.open(data, BY_HAND)) {
            live = run(journal);
            written = journal.snapshotsWritten();
            dropped = journal.recordsDropped();
            last = journal.nextSeq() - 1;
        }
        assertEquals(13, written, "one snapshot every 300 of 4000 ticks");
        assertTrue(live.core().checkoutsQueued() > 100, "checkouts queued behind the outages: " + live.core().checkoutsQueued());
        assertTrue(dropped > 0, "the journal was compacted");
        assertEquals(whole(dir), live, "the show with snapshots is the show without");
        assertEquals(2, SnapshotStore.open(data).files().size(), "the newest two snapshots are kept");

        try (SnapshotJournal reopened = SnapshotJournal.open(data, BY_HAND)) {
            SnapshotJournal.Recovery r = reopened.recovery();
            assertNotNull(r.snapshot());
            assertEquals(last - r.snapshot().coversSeq(), r.tailRecords(), "only the records after the snapshot are replayed");
            assertTrue(r.tailRecords() < last / 10, r.tailRecords() + " of " + last + " records replayed");
            assertTrue(reopened.file().firstSeq() > 1, "records the older snapshot covers are gone from the file");
            assertEquals(live, JournalTest.Rebuilt.of(JournalTest.open(reopened)));
            assertEquals(live.core().audit().size(), JournalTest.open(reopened).core().experiments().audit().size(),
                    "the whole show's audit trail");
        }
    }

    @Test
    void aDamagedNewestSnapshotIsRefusedAndTheOneBeforeItUsedLosingNothing(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        JournalTest.Rebuilt live;
        try (SnapshotJournal journal = SnapshotJournal.open(data, BY_HAND)) {
            live = run(journal);
        }
        List<Path> files = SnapshotStore.open(data).files();
        Path newest = files.getFirst();
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 40] ^= 0x20;
        Files.write(newest, bytes);
        try (SnapshotJournal reopened = SnapshotJournal.open(data, BY_HAND)) {
            SnapshotJournal.Recovery r = reopened.recovery();
            assertEquals(1, r.refused().size());
            assertTrue(r.refused().getFirst().contains("CRC-32C"), r.refused().getFirst());
            assertTrue(Files.exists(newest.resolveSibling(newest.getFileName() + ".refused")), "set aside, not deleted");
            assertEquals(SnapshotStore.read(files.get(1)).coversSeq(), r.snapshot().coversSeq(), "the one before it");
            assertEquals(live, JournalTest.Rebuilt.of(JournalTest.open(reopened)));
        }
    }

    @Test
    void aCutShortSnapshotIsRefusedToo(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        JournalTest.Rebuilt live;
        try (SnapshotJournal journal = SnapshotJournal.open(data, BY_HAND)) {
            live = run(journal);
        }
        Path newest = SnapshotStore.open(data).files().getFirst();
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (SnapshotJournal reopened = SnapshotJournal.open(data, BY_HAND)) {
            assertTrue(reopened.recovery().refused().getFirst().contains("bytes of records where its header says"),
                    reopened.recovery().refused().toString());
            assertEquals(live, JournalTest.Rebuilt.of(JournalTest.open(reopened)));
        }
    }

    @Test
    void withEverySnapshotDamagedACompactedJournalRefusesToStartRatherThanLoseChanges(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        try (SnapshotJournal journal = SnapshotJournal.open(data, BY_HAND)) {
            run(journal);
        }
        for (Path f : SnapshotStore.open(data).files()) {
            Files.writeString(f, "{\"format\":1,\"coversSeq\":");
        }
        IOException e = assertThrows(IOException.class, () -> SnapshotJournal.open(data, BY_HAND));
        assertTrue(e.getMessage().contains("no whole snapshot covers the records before it"), e.getMessage());
    }

    @Test
    void whatACrashLeavesInTheMiddleOfASnapshotOrACompactionIsRemovedAndNothingIsLost(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        JournalTest.Rebuilt live;
        long last;
        try (SnapshotJournal journal = SnapshotJournal.open(data, BY_HAND)) {
            live = run(journal);
            last = journal.nextSeq() - 1;
        }
        // A snapshot cut off before its rename, and a compacted journal cut off before its rename.
        Path snapshotTemp = data.resolve("snapshot-" + last + ".jsonl.tmp");
        Files.writeString(snapshotTemp, "{\"format\":1,\"coversSeq\":" + last + ",\"atMi");
        Path journalTemp = data.resolve(SnapshotJournal.FILE + FileJournal.COMPACTING);
        Files.writeString(journalTemp, "{\"type\":\"show.clock\",\"seq\":9");
        try (SnapshotJournal reopened = SnapshotJournal.open(data, BY_HAND)) {
            assertFalse(Files.exists(snapshotTemp));
            assertFalse(Files.exists(journalTemp));
            assertTrue(reopened.recovery().refused().isEmpty());
            assertEquals(live, JournalTest.Rebuilt.of(JournalTest.open(reopened)));
        }
    }

    @Test
    void aSnapshotDueByRecordsIsWrittenBetweenTicksAndNotWhileTheJournalCannotBeWritten(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        try (SnapshotJournal journal = SnapshotJournal.open(data, new SnapshotJournal.Policy(50, Duration.ofDays(1)))) {
            JournalTest.runWithFaults(journal, (edges, tick) -> journal.snapshotIfDue(
                    () -> edges.core().checkouts().state(journal.nextSeq() - 1, edges.core().nowMillis())));
            assertTrue(journal.snapshotsWritten() > 5, journal.snapshotsWritten() + " snapshots");
            Snapshot s = journal.snapshot();
            assertTrue(journal.nextSeq() - 1 - s.coversSeq() < 50 + 20, "at most one tick's records past the policy");
        }
    }
}
