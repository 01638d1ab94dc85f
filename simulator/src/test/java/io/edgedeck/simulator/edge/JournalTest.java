package io.edgedeck.simulator.edge;

import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.DurableState;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal's journal: the core's records (flags, guardrails, checkouts) and the simulated edge's
 * faults, all rebuilt by a fresh core and simulated edge opened on it.
 */
class JournalTest {

    /** What a restart must rebuild: the core's durable state and the faults in force. */
    record Rebuilt(DurableState core, Map<String, Map<FaultKind, SimulatedFaults.ActiveFault>> faults) {
        static Rebuilt of(TestEdges t) {
            return new Rebuilt(t.core().durableState(), t.edge().faults().inForce());
        }
    }

    /** A show with overlapping faults and checkouts, stopped while some are still pending. */
    static TestEdges open(Journal journal) {
        return TestEdges.open(9, 2000, journal);
    }

    /** A fresh core and edge opened on a copy of a journal's records, as a restarted node opens its file. */
    private static TestEdges restored(List<JournalRecord> records) {
        MemoryJournal copy = new MemoryJournal();
        records.forEach(copy::append);
        return open(copy);
    }

    private static TestEdges runWithFaults(Journal journal) {
        return runWithFaults(journal, (tick, t) -> { });
    }

    /** As the show above, calling {@code afterTick} after every tick (a node's snapshots). */
    static TestEdges runWithFaults(Journal journal, java.util.function.ObjIntConsumer<TestEdges> afterTick) {
        TestEdges t = open(journal);
        SimulatedEdge e = t.edge();
        var flags = t.core().experiments();
        flags.create(FlagDefinition.booleanFlag("one-click", "One-click checkout", "growth", 1000, Scope.GLOBAL, "s1", 9),
                "ana", "start the rollout", 0);
        flags.create(new FlagDefinition("banner", "Offer banner", "merch",
                List.of(new Variant("control", 5000), new Variant("treatment", 5000)), "control",
                new Scope.Region("eu"), "banner", 0, false, 9), "ana", "A/B test", 0);
        SplittableRandom r = new SplittableRandom(4);
        for (int tick = 0; tick < 4000; tick++) {
            if (tick == 500) e.applyFault("fra", new Fault.Partition(), 10_000, "cue");
            if (tick == 700) e.applyFault("ams", new Fault.Outage(), 0, "producer");
            if (tick == 900) e.applyFault("iad", new Fault.AcquirerSlowdown(4000), 15_000, "cue");
            if (tick == 1200) e.applyFault("iad", new Fault.JitterStorm(60), 0, "cue");
            if (tick == 2500) e.liftFault("ams", FaultKind.OUTAGE, "producer");
            if (tick == 3800) e.applyFault("fra", new Fault.Outage(), 0, "producer");
            if (tick == 1000) flags.change("one-click", 1, FlagUpdate.rollout(2000), "ana", "ramp to 20%", t.core().nowMillis());
            if (tick == 1500) flags.kill("one-click", "ben", "checkout errors", t.core().nowMillis());
            if (tick == 2000) t.core().guardrails().fireRollback("banner", "treatment", "ben", "chat hates it", t.core().nowMillis());
            if (tick == 2200) flags.setPaused("banner", "treatment", true, "ben", "hold new exposures", t.core().nowMillis());
            for (int i = 0; i < 8; i++) {
                int route = e.pickRoute(r.nextInt(2), r.nextDouble());
                if (i == 0) e.checkout(route); else e.serve(route);
            }
            t.advance();
            afterTick.accept(t, tick);
        }
        return t;
    }

    @Test
    void replayingTheJournalRebuildsTheSameState() {
        MemoryJournal journal = new MemoryJournal();
        Rebuilt live = Rebuilt.of(runWithFaults(journal));
        assertFalse(live.faults().values().stream().allMatch(Map::isEmpty), "faults still in force at the end");
        assertTrue(live.core().checkoutsQueued() > 0);
        assertEquals(2, live.core().flags().size());
        assertTrue(live.core().audit().size() >= 6, "creates, change, kill, firing, rollback, pause are audited");
        assertEquals(live, Rebuilt.of(restored(journal.records())));
    }

    @Test
    void aFileJournalReadsBackWhatWasWritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Rebuilt live;
        try (FileJournal journal = FileJournal.open(file)) {
            live = Rebuilt.of(runWithFaults(journal));
        }
        try (FileJournal reopened = FileJournal.open(file)) {
            assertFalse(reopened.tornTailRemoved());
            assertEquals(live, Rebuilt.of(open(reopened)));
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
    void aLastRecordOfAKindThisVersionDoesNotKnowIsRefusedNotCutOff(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        String journal = """
                {"type":"show.started","seq":1,"atMillis":0,"scenario":"x","seed":1}
                {"type":"telemetry.future","seq":2,"atMillis":5,"whatever":true}
                """;
        Files.writeString(file, journal);
        IOException refused = assertThrows(IOException.class, () -> FileJournal.open(file));
        assertTrue(refused.getMessage().contains("record 2 of a kind this version of EdgeDeck does not know ('telemetry.future')"),
                refused.getMessage());
        assertEquals(journal, Files.readString(file), "nothing was cut off");
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
