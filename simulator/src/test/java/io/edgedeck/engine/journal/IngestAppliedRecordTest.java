package io.edgedeck.engine.journal;

import io.edgedeck.engine.flags.FlagCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node's core writes, with each change that says how an event is counted, how many ingest log
 * records it had applied; the record reads back with it, other records are written as they were, and
 * a journal written before the field existed reads with none.
 */
class IngestAppliedRecordTest {

    @Test
    void aChangeIsWrittenWithTheIngestRecordsAppliedAndReadsBackWithThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        long[] applied = {-1};
        try (FileJournal journal = FileJournal.open(file)) {
            Journal at = new AtIngestJournal(journal, () -> applied[0]);
            at.append(new JournalRecord.ShowStarted(at.nextSeq(), 0, "show", 7));
            // Not known yet: written as it is.
            at.append(new JournalRecord.FlagChanged(at.nextSeq(), 0, new FlagCommand.Kill("banner", "pat", "early", 0)));
            applied[0] = 42;
            at.appendAll(List.of(
                    new JournalRecord.Audited(at.nextSeq(), 120, "pat", "show.cue", "cue-1", "", "", "go"),
                    new JournalRecord.ShowClock(at.nextSeq() + 1, 120)));
        }
        String written = Files.readString(file);
        assertEquals(1, written.split("ingestApplied", -1).length - 1, written);
        assertTrue(written.contains("\"ingestApplied\":42"), written);
        try (FileJournal again = FileJournal.open(file)) {
            List<JournalRecord> records = again.records();
            assertNull(records.get(1).ingestApplied(), "a change made before the position was known");
            JournalRecord.Audited audited = assertInstanceOf(JournalRecord.Audited.class, records.get(2));
            assertEquals(42L, audited.ingestApplied());
            assertEquals("show.cue", audited.action());
            assertNull(records.get(3).ingestApplied(), "a show.clock record carries none");
        }
    }

    @Test
    void aJournalWrittenBeforeTheFieldReadsWithNone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, """
                {"type":"show.started","seq":1,"atMillis":0,"scenario":"show","seed":7}
                {"type":"variant.rolled-back-at","seq":2,"atMillis":5020,"flag":"checkout-button","variant":"treatment","pops":["fra"],"operator":"pat","reason":"chat"}
                {"type":"audit","seq":3,"atMillis":5030,"actor":"pat","action":"show.cue","target":"cue-1","before":"","after":"","reason":""}
                """);
        try (FileJournal journal = FileJournal.open(file)) {
            List<JournalRecord> records = journal.records();
            assertEquals(3, records.size());
            JournalRecord.VariantRolledBackAt rollback = assertInstanceOf(JournalRecord.VariantRolledBackAt.class, records.get(1));
            assertNull(rollback.ingestApplied());
            assertEquals(List.of("fra"), rollback.pops());
            assertNull(records.get(2).ingestApplied());
            // appended again, it is written without the field
            journal.append(new JournalRecord.Audited(journal.nextSeq(), 5040, "pat", "show.cue", "cue-2", "", "", ""));
        }
        assertFalse(Files.readString(file).contains("ingestApplied"));
    }

    /**
     * The tick a late record the triggers see was applied in is written without a force of its own: it
     * is in the file at once (a node killed now finds it there), numbered among the others, and the
     * next forced write makes it durable with its own; the journal's count of forced writes does not
     * move for it, and it is not counted among the records on the device ({@link AtIngestJournal#writtenMillis}).
     */
    @Test
    void anApplyTickWrittenUnforcedIsInTheFileAtOnceAndForcedWithTheNextWrite(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("journal.jsonl");
        try (FileJournal journal = FileJournal.open(file)) {
            AtIngestJournal at = new AtIngestJournal(journal, () -> 3);
            at.append(new JournalRecord.ShowStarted(at.nextSeq(), 0, "show", 7));
            at.append(new JournalRecord.ShowClock(at.nextSeq(), 1_000));
            long forced = journal.writes();
            at.appendUnforced(new JournalRecord.ShowClock(at.nextSeq(), 1_980, 2L));
            assertEquals(forced, journal.writes(), "no force of its own");
            assertEquals(1_000, at.writtenMillis(), "not yet on the device");
            List<JournalRecord> now = FileJournal.readOnly(file).records();
            assertEquals(3, now.size(), now.toString());
            assertEquals(2L, now.getLast().ingestApplied());
            assertEquals(1_980, now.getLast().atMillis());

            at.append(new JournalRecord.ShowClock(at.nextSeq(), 2_000));
            assertEquals(forced + 1, journal.writes());
        }
        List<JournalRecord> read = FileJournal.readOnly(file).records();
        assertEquals(List.of(1L, 2L, 3L, 4L), read.stream().map(JournalRecord::seq).toList());
    }
}
