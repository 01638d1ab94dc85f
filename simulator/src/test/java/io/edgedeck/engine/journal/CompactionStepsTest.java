package io.edgedeck.engine.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A compaction failing at each of its steps: before the rename nothing is dropped and the journal
 * writes where it was; after it the journal writes to the file that has its name, and a directory
 * that could not be synced is synced by the next write. Either way a restart finds every change
 * written, the ones after the failure too.
 */
class CompactionStepsTest {
    private static final JournalRecord.ShowStarted FIRST = new JournalRecord.ShowStarted(1, 0, "test", 3);

    private static JournalRecord record(long seq) {
        return new JournalRecord.ShowStarted(seq, seq * 1000, "test", 3);
    }

    private static List<Long> seqs(List<JournalRecord> records) {
        return records.stream().map(JournalRecord::seq).toList();
    }

    @Test
    void aDirectorySyncFailingAfterTheRenameLosesNoChangeWrittenAfterIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        AtomicInteger failures = new AtomicInteger(1);
        AtomicInteger syncs = new AtomicInteger();
        FileJournal journal = FileJournal.open(file, c -> c, d -> {
            syncs.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new IOException("Input/output error");
            }
            DirectorySync.sync(d);
        });
        journal.append(FIRST);
        for (long seq = 2; seq <= 5; seq++) {
            journal.append(record(seq));
        }
        int before = syncs.get();
        assertThrows(IOException.class, () -> journal.compactThrough(3));
        assertEquals(4, journal.firstSeq(), "the rewrite has the journal's name: records 1 to 3 are gone from it");
        assertFalse(Files.exists(dir.resolve("journal.jsonl" + FileJournal.COMPACTING)));

        journal.append(record(6));
        assertEquals(before + 2, syncs.get(), "the change after it synced the directory before it counted as written");
        journal.append(record(7));
        assertEquals(before + 2, syncs.get(), "once synced, a change syncs no directory");
        journal.close();

        try (FileJournal reopened = FileJournal.open(file)) {
            assertEquals(List.of(4L, 5L, 6L, 7L), seqs(reopened.records()));
        }
    }

    @Test
    void aChangeRefusedBecauseTheDirectoryStillCannotBeSyncedLeavesNoByteInTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        AtomicInteger failures = new AtomicInteger(2);
        FileJournal journal = FileJournal.open(file, c -> c, d -> {
            if (failures.getAndDecrement() > 0) {
                throw new IOException("Input/output error");
            }
            DirectorySync.sync(d);
        });
        journal.append(FIRST);
        for (long seq = 2; seq <= 5; seq++) {
            journal.append(record(seq));
        }
        assertThrows(IOException.class, () -> journal.compactThrough(3));
        long size = Files.size(file);
        // The sync fails again: the change is refused, and none of it reached the file a power loss could bring back
        assertThrows(JournalUnavailableException.class, () -> journal.append(record(6)));
        assertEquals(size, Files.size(file), "a refused change wrote nothing");
        journal.close();
        try (FileJournal reopened = FileJournal.open(file)) {
            assertEquals(List.of(4L, 5L), seqs(reopened.records()));
        }
    }

    @Test
    void aForceOfTheRewriteFailingLeavesTheJournalAsItWasAndWriting(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        AtomicInteger opened = new AtomicInteger();
        // The first channel is the journal's, the second the compaction's rewrite, whose force fails.
        FileJournal journal = FileJournal.open(file, c -> {
            FullDisk disk = new FullDisk(c);
            disk.failForce = opened.getAndIncrement() == 1;
            return disk;
        });
        journal.append(FIRST);
        for (long seq = 2; seq <= 5; seq++) {
            journal.append(record(seq));
        }
        assertThrows(IOException.class, () -> journal.compactThrough(3));
        assertEquals(2, opened.get());
        assertEquals(1, journal.firstSeq(), "nothing dropped");
        assertFalse(Files.exists(dir.resolve("journal.jsonl" + FileJournal.COMPACTING)));
        journal.append(record(6));
        journal.close();
        try (FileJournal reopened = FileJournal.open(file)) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(reopened.records()));
        }
    }
}
