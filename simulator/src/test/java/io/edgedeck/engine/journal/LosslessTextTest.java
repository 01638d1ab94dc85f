package io.edgedeck.engine.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever text a record holds, the journal and a snapshot give it back exactly as it was applied: a
 * lone UTF-16 surrogate (a text cut in the middle of an emoji) included, which Java's own UTF-8
 * encoding would write as {@code ?}, so that two names differing only there would come back as one.
 */
class LosslessTextTest {
    /** Two targets and a reason that differ only in a lone surrogate, beside a whole emoji. */
    private static List<JournalRecord> records() {
        return List.of(
                new JournalRecord.ShowStarted(1, 0, "lossless", 7),
                new JournalRecord.Audited(2, 10, "ana", "flag.change", "x\uD800", "a", "b", "lone \uD800 surrogate"),
                new JournalRecord.Audited(3, 20, "ana", "flag.change", "x\uDC00", "a", "b", "whole \uD83D\uDE00 emoji"));
    }

    @Test
    void aLoneSurrogateReadsBackFromTheJournalAsItWasWrittenNotAsAQuestionMark(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        try (FileJournal journal = FileJournal.open(file)) {
            journal.appendAll(records());
        }
        try (FileJournal reopened = FileJournal.open(file)) {
            assertEquals(records(), reopened.records());
        }
        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(written.contains("x?"), written);
        assertTrue(written.contains("\uD83D\uDE00"), "a whole pair is written as its one UTF-8 character: " + written);
    }

    @Test
    void aLoneSurrogateReadsBackFromASnapshotAsItWasWritten(@TempDir Path dir) throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        Path file = store.write(new Snapshot(3, 20, 0, records()));
        assertEquals(records(), SnapshotStore.read(file).records());
    }
}
