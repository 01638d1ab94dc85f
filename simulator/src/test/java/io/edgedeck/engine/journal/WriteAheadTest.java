package io.edgedeck.engine.journal;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 points 1 and 2, on a disk that fills up under the journal: a change whose record cannot
 * be written is not made (no flag version, no audit entry, nothing a restart would bring back), the
 * partial record the failed write left is cut, and once there is room again the next change is
 * written after the last whole record, so the file opens cleanly with exactly the changes made.
 */
class WriteAheadTest {
    private static final String GUARD = "banner-guard";

    private static CoreConfig config() {
        GuardrailSpec rule = new GuardrailSpec(GUARD, "banner", "treatment", RuleMatch.ANY,
                List.of(new GuardrailSpec.Condition(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15)),
                60, 200, 600, GuardrailAction.ROLLBACK, true);
        FlagDefinition banner = new FlagDefinition("banner", "Offer banner", "merch",
                List.of(new Variant("control", 5000), new Variant("treatment", 5000)), "control", Scope.GLOBAL, "banner", 0, false, 3);
        return TestShows.threePops(3).withFlags("config", List.of(banner)).withGuardrails(List.of(rule));
    }

    private static FlagUpdate split(int treatment) {
        return FlagUpdate.weights(List.of(new Variant("control", 10_000 - treatment), new Variant("treatment", treatment)));
    }

    private static final JournalRecord STARTED = new JournalRecord.ShowStarted(1, 0, "test", 3);
    /** A late batch's tick, as a live node writes it without a force of its own. */
    private static final JournalRecord UNFORCED = new JournalRecord.ShowClock(2, 1000, 0L);

    /** A journal on a disk that can fill up, with its first record written. */
    private static FileJournal started(Path file, FullDisk[] disk) throws IOException {
        FileJournal journal = FileJournal.open(file, c -> disk[0] = new FullDisk(c));
        journal.append(STARTED);
        return journal;
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file);
    }

    @Test
    void everyKindOfChangeIsRefusedWholeWhileTheDiskIsFullAndMadeOnceThereIsRoom(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = FileJournal.open(file, c -> disk[0] = new FullDisk(c));
        EdgeCore core = new EdgeCore(config(), journal);
        core.guardrails().prepare();
        for (int i = 0; i < 100; i++) {
            core.advance();
        }
        long now = core.nowMillis();
        core.experiments().change("banner", 1, split(2000), "ana", "ramp down", now);
        var before = core.durableState();
        String bytesBefore = text(file);

        // Room for half a record: each write fails part-way, as on a full disk.
        List<Consumer<EdgeCore>> changes = List.of(
                c -> c.experiments().change("banner", 2, split(5000), "ana", "back up", now),
                c -> c.experiments().kill("banner", "ana", "errors", now),
                c -> c.experiments().setPaused("banner", "treatment", true, "ben", "hold", now),
                c -> c.experiments().rollbackAt("banner", "treatment", List.of("fra"), "ben", "fra only", now),
                c -> c.guardrails().setArmed(GUARD, false, "ben", "by hand", now),
                c -> c.guardrails().fireRollback("banner", "treatment", "ben", "chat hates it", now),
                c -> c.experiments().audited(now, "ben", "show.pause", "show", "running", "paused", ""));
        for (Consumer<EdgeCore> change : changes) {
            disk[0].leave(40);
            JournalUnavailableException refused = assertThrows(JournalUnavailableException.class, () -> change.accept(core));
            assertTrue(refused.getMessage().contains("No space left on device"), refused.getMessage());
            assertEquals(before, core.durableState(), "nothing of a refused change was applied");
            assertEquals(bytesBefore, text(file), "the partial record was cut at once");
            assertFalse(journal.condition().writable());
        }
        assertEquals(changes.size(), disk[0].failedWrites, "each change reached the disk and failed there");

        disk[0].free();
        core.experiments().kill("banner", "ana", "errors", now);
        assertTrue(journal.condition().writable());
        assertEquals(3, core.experiments().registry().get("banner").orElseThrow().version());
        var after = core.durableState();
        journal.close();

        FileJournal reopened = FileJournal.open(file);
        assertFalse(reopened.tornTailRemoved(), "no torn or partial record anywhere");
        EdgeCore restarted = new EdgeCore(config(), reopened);
        assertEquals(after.flags(), restarted.durableState().flags());
        assertEquals(after.audit(), restarted.durableState().audit(), "the acknowledged changes and nothing else");
        assertEquals(after.guardrailsArmed(), restarted.durableState().guardrailsArmed());
        assertEquals(after.pausedVariants(), restarted.durableState().pausedVariants());
        reopened.close();
    }

    @Test
    void aPartialRecordThatCouldNotBeCutAtOnceIsCutBeforeTheNextAppend(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = started(file, disk);
        disk[0].leave(10);
        disk[0].failTruncate = true;
        assertThrows(JournalUnavailableException.class, () -> journal.append(new JournalRecord.ShowClock(2, 1000)));
        assertTrue(Files.size(file) > text(file).lastIndexOf('\n') + 1L, "the failed write left a partial record");
        disk[0].free();
        journal.append(new JournalRecord.ShowClock(2, 2000));
        journal.close();
        FileJournal reopened = FileJournal.open(file);
        assertFalse(reopened.tornTailRemoved());
        assertEquals(List.of(new JournalRecord.ShowStarted(1, 0, "test", 3), new JournalRecord.ShowClock(2, 2000)), reopened.records());
        reopened.close();
    }

    @Test
    void aFailedForceLeavesNoRecordBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = started(file, disk);
        long size = Files.size(file);
        disk[0].failForce = true;
        assertThrows(JournalUnavailableException.class, () -> journal.append(new JournalRecord.ShowClock(2, 1000)));
        assertEquals(size, Files.size(file), "a record that may not be on the device is not kept");
        assertEquals(2, journal.nextSeq(), "its number is given to the next record");
        journal.close();
    }

    @Test
    void aFailedForceAfterARecordWrittenUnforcedLeavesAFileThatReopensWithTheForcedRecordsOnly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = started(file, disk);
        journal.appendUnforced(UNFORCED);
        disk[0].failForce = true;
        JournalUnavailableException refused = assertThrows(JournalUnavailableException.class,
                () -> journal.append(new JournalRecord.ShowClock(3, 2000)));
        assertTrue(refused.getMessage().contains("Input/output error"), refused.getMessage());
        assertEquals(List.of(STARTED, UNFORCED), journal.records(), "the record written unforced waits in memory");
        // The failed force marked the unforced record's bytes clean without writing them: a power loss takes them.
        disk[0].powerLoss();
        journal.close();
        FileJournal reopened = FileJournal.open(file);
        assertFalse(reopened.tornTailRemoved(), "nothing in doubt was left in the file");
        assertEquals(List.of(STARTED), reopened.records());
        reopened.close();
    }

    @Test
    void aRecordWrittenUnforcedThatAFailedForceLeftInDoubtIsWrittenAgainBeforeTheNextChange(@TempDir Path dir) throws IOException {
        writtenAgainAfter(dir.resolve("journal.jsonl"), j -> assertThrows(JournalUnavailableException.class,
                () -> j.append(new JournalRecord.ShowClock(3, 2000))), List.of());
    }

    @Test
    void aRecordWrittenUnforcedThatASnapshotsFailedForceLeftInDoubtIsWrittenAgainBeforeTheNextChange(@TempDir Path dir)
            throws IOException {
        writtenAgainAfter(dir.resolve("journal.jsonl"), j -> assertThrows(IOException.class, j::force), List.of());
    }

    @Test
    void aRecordWrittenUnforcedThatATicksFailedForceLeftInDoubtIsWrittenAgainBeforeTheTicksHeldRecords(@TempDir Path dir)
            throws IOException {
        JournalRecord tick = new JournalRecord.ShowClock(3, 2000);
        writtenAgainAfter(dir.resolve("journal.jsonl"), j -> j.holdingWhenUnwritable(() -> j.append(tick)), List.of(tick));
    }

    /**
     * A record written unforced, then {@code failingForce} with the device failing each force, then the
     * device well again, two changes made, and a power loss: the journal reopens with every record in
     * order, the unforced one written again from memory (the bytes the failed force left are not).
     */
    private static void writtenAgainAfter(Path file, Consumer<FileJournal> failingForce, List<JournalRecord> heldToo)
            throws IOException {
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = started(file, disk);
        journal.appendUnforced(UNFORCED);
        disk[0].failForce = true;
        failingForce.accept(journal);
        JournalCondition failed = journal.condition();
        disk[0].free();
        List<JournalRecord> expected = new ArrayList<>(List.of(STARTED, UNFORCED));
        expected.addAll(heldToo);
        for (int i = 0; i < 2; i++) {
            JournalRecord change = new JournalRecord.ShowClock(journal.nextSeq(), 5000 + i);
            journal.append(change);
            expected.add(change);
        }
        disk[0].powerLoss();
        journal.close();
        FileJournal reopened = FileJournal.open(file);
        assertFalse(reopened.tornTailRemoved());
        assertEquals(expected, reopened.records());
        reopened.close();
        assertEquals(new JournalCondition(false, "Input/output error", 1 + heldToo.size()), failed,
                "the record written unforced waited in memory, before what the tick held");
    }

    @Test
    void theShowsOwnRecordsWaitInOrderWhileTheDiskIsFullAndAreWrittenFirstWhenItIsNot(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = started(file, disk);
        disk[0].leave(0);
        journal.holdingWhenUnwritable(() -> {
            for (int i = 2; i <= 5; i++) {
                journal.append(new JournalRecord.ShowClock(i, i * 1000L));
            }
        });
        assertEquals(new JournalCondition(false, "No space left on device", 4), journal.condition());
        assertThrows(JournalUnavailableException.class, () -> journal.append(new JournalRecord.ShowClock(6, 6000)),
                "a change someone waits on is refused, never held");
        disk[0].free();
        journal.append(new JournalRecord.ShowClock(6, 6000));
        assertEquals(JournalCondition.WRITABLE, journal.condition());
        journal.close();
        FileJournal reopened = FileJournal.open(file);
        assertEquals(6, reopened.records().size());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1L, reopened.records().get(i).seq());
        }
        reopened.close();
    }

    @Test
    void aJournalKeepsNoMoreThanItsLimitOfHeldRecords(@TempDir Path dir) throws IOException {
        FullDisk[] disk = new FullDisk[1];
        FileJournal journal = started(dir.resolve("journal.jsonl"), disk);
        disk[0].leave(0);
        JournalUnavailableException full = assertThrows(JournalUnavailableException.class, () -> journal.holdingWhenUnwritable(() -> {
            for (long i = 2; i <= FileJournal.MAX_HELD + 2; i++) {
                journal.append(new JournalRecord.ShowClock(i, i));
            }
        }));
        assertTrue(full.getMessage().contains(FileJournal.MAX_HELD + " records of the show wait"), full.getMessage());
        journal.close();
    }

    @Test
    void aStartForcesWhatItFindsBeforeBuildingOnIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        FullDisk[] disk = new FullDisk[1];
        started(file, disk).close();
        // Records a killed node wrote without a force may be in the page cache only: the start forces them first.
        FileJournal reopened = FileJournal.open(file, c -> disk[0] = new FullDisk(c));
        assertEquals(1, disk[0].forces, "forced once as it opened, before any record of its own");
        reopened.close();

        Path empty = dir.resolve("empty.jsonl");
        FileJournal fresh = FileJournal.open(empty, c -> disk[0] = new FullDisk(c));
        assertEquals(0, disk[0].forces, "nothing to force in a journal with no records");
        fresh.close();
    }
}
