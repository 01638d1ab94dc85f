package io.edgedeck.engine.journal;

import io.edgedeck.engine.EdgeEngine;
import io.edgedeck.engine.EngineConfig;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.model.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {

    /** A show with overlapping faults and checkouts, stopped while some are still pending. */
    private static final EngineConfig CONFIG = TestShows.threePops(9, 2000);

    /** A fresh engine opened on a copy of a journal's records, as a restarted node opens its file. */
    private static EdgeEngine restored(List<JournalRecord> records) {
        MemoryJournal copy = new MemoryJournal();
        records.forEach(copy::append);
        return new EdgeEngine(CONFIG, copy);
    }

    private static EdgeEngine runWithFaults(Journal journal) {
        EdgeEngine e = new EdgeEngine(CONFIG, journal);
        var flags = e.experiments();
        flags.create(FlagDefinition.booleanFlag("one-click", "One-click checkout", "growth", 1000, Scope.GLOBAL, "s1", 9),
                "ana", "start the rollout", 0);
        flags.create(new FlagDefinition("banner", "Offer banner", "merch",
                List.of(new Variant("control", 5000), new Variant("treatment", 5000)), "control",
                new Scope.Region("eu"), "banner", 0, false, 9), "ana", "A/B test", 0);
        SplittableRandom r = new SplittableRandom(4);
        for (int t = 0; t < 4000; t++) {
            if (t == 500) e.applyFault("fra", new Fault.Partition(), 10_000, "cue");
            if (t == 700) e.applyFault("ams", new Fault.Outage(), 0, "producer");
            if (t == 900) e.applyFault("iad", new Fault.AcquirerSlowdown(4000), 15_000, "cue");
            if (t == 1200) e.applyFault("iad", new Fault.JitterStorm(60), 0, "cue");
            if (t == 2500) e.liftFault("ams", "outage", "producer");
            if (t == 3800) e.applyFault("fra", new Fault.Outage(), 0, "producer");
            if (t == 1000) flags.change("one-click", 1, FlagUpdate.rollout(2000), "ana", "ramp to 20%", e.nowMillis());
            if (t == 1500) flags.kill("one-click", "ben", "checkout errors", e.nowMillis());
            if (t == 2000) e.guardrails().fireRollback("banner", "treatment", "ben", "chat hates it", e.nowMillis());
            if (t == 2200) flags.setPaused("banner", "treatment", true, "ben", "hold new exposures", e.nowMillis());
            for (int i = 0; i < 8; i++) {
                int route = e.pickRoute(r.nextInt(2), r.nextDouble());
                if (i == 0) e.checkout(route); else e.serve(route);
            }
            e.advance();
        }
        return e;
    }

    @Test
    void replayingTheJournalRebuildsTheSameState() {
        MemoryJournal journal = new MemoryJournal();
        EdgeEngine e = runWithFaults(journal);
        DurableState live = e.durableState();
        assertFalse(live.faults().isEmpty(), "faults still in force at the end");
        assertTrue(live.checkoutsQueued() > 0);
        assertEquals(2, live.flags().size());
        assertTrue(live.audit().size() >= 6, "creates, change, kill, firing, rollback, pause are audited");
        assertEquals(live, restored(journal.records()).durableState());
    }

    @Test
    void aFileJournalReadsBackWhatWasWritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        DurableState live;
        try (FileJournal journal = FileJournal.open(file)) {
            live = runWithFaults(journal).durableState();
        }
        try (FileJournal reopened = FileJournal.open(file)) {
            assertFalse(reopened.tornTailRemoved());
            assertEquals(live, new EdgeEngine(CONFIG, reopened).durableState());
            String first = Files.readAllLines(file).getFirst();
            assertTrue(first.startsWith("{\"type\":\"show.started\",\"seq\":1"), first);
        }
    }

    @Test
    void aTornLastRecordIsCutAndEverythingBeforeItKept(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        int complete;
        try (FileJournal journal = FileJournal.open(file)) {
            runWithFaults(journal);
            complete = journal.records().size();
        }
        Files.writeString(file, "{\"type\":\"fault.applied\",\"seq\":" + (complete + 1) + ",\"atMil", StandardOpenOption.APPEND);
        try (FileJournal reopened = FileJournal.open(file)) {
            assertTrue(reopened.tornTailRemoved());
            assertEquals(complete, reopened.records().size());
            // The journal goes on where the intact part ended.
            reopened.append(new JournalRecord.FaultLifted(reopened.nextSeq(), 1, "fra", "outage", "producer"));
        }
        try (FileJournal again = FileJournal.open(file)) {
            assertFalse(again.tornTailRemoved());
            assertEquals(complete + 1, again.records().size());
        }
    }

    @Test
    void damageBeforeTheLastRecordIsAnErrorNotASilentLoss(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, """
                {"type":"show.started","seq":1,"atMillis":0,"scenario":"x","seed":1}
                {"type":"fault.applied","seq":2,"atMillis":0,"pop":"fra"GARBAGE
                {"type":"fault.lifted","seq":3,"atMillis":5,"pop":"fra","fault":"outage","origin":"p"}
                """);
        IOException e = assertThrows(IOException.class, () -> FileJournal.open(file));
        assertTrue(e.getMessage().contains("record 2"), e.getMessage());
    }
}
