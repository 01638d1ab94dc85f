package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.journal.Snapshot;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal killed at show time T and started again on its journal reads, from its first frame on,
 * what the same show at the same seed reads having never stopped: each PoP's throughput and request
 * counters, the audience's sessions, each variant's counts, the events and chat. Before, the sessions
 * and counters started again from zero at the restart, and steady-show's PoPs read about half their
 * requests per second for a minute or more.
 */
class RestartPlaysAgainTest {
    private static final ShowDefinition STEADY = new ShowDefinition(ScenarioCatalog.load("steady-show"), 7);

    /** Plays {@code show} to {@code millis}, firing the operators' cues on the way, as both runs do. */
    private static MetricsFrame playTo(Show show, long millis) {
        while (show.core().nowMillis() < millis) {
            long now = show.core().nowMillis();
            if (now == 20_000) {
                show.fireCue(new CueRequest("traffic-surge", List.of(), 2, 30, null, null, "ana"));
            } else if (now == 40_000) {
                show.fireCue(new CueRequest("pop-outage", List.of("ams"), 0, 20, null, null, "ana"));
            }
            show.step();
        }
        return show.frame(ShowState.RUNNING, 1);
    }

    private static PopMetrics pop(MetricsFrame frame, String id) {
        return frame.pops().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aRestartedRehearsalReadsAsTheRunThatNeverStopped() {
        Show never = new Show(STEADY, new MemoryJournal());
        MemoryJournal journal = new MemoryJournal();
        Show killed = Show.open(STEADY, journal);
        long t = 50_000;
        playTo(never, t);
        playTo(killed, t);
        // The node dies here: its last act was journaling its show clock.
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), killed.core().nowMillis()));

        Show restarted = Show.open(STEADY, journal);
        assertEquals(t, restarted.core().nowMillis(), "it resumes where the journal left it");
        for (long at : new long[]{t + 100, t + 1_000, t + 3_000}) {
            MetricsFrame expected = playTo(never, at);
            MetricsFrame after = playTo(restarted, at);
            for (PopMetrics p : expected.pops()) {
                PopMetrics q = pop(after, p.id());
                assertEquals(p.throughputRps(), q.throughputRps(), 1e-9, p.id() + " requests/s at " + at + " ms");
                assertEquals(p.requests(), q.requests(), p.id() + " requests since the start at " + at + " ms");
                assertEquals(p.errors(), q.errors(), p.id() + " errors at " + at + " ms");
                assertEquals(p.last10s(), q.last10s(), p.id() + " latency window at " + at + " ms");
                assertEquals(p.health(), q.health(), p.id() + " health at " + at + " ms");
            }
            assertEquals(never.audience().activeSessions(), restarted.audience().activeSessions(), "sessions at " + at + " ms");
            assertEquals(never.audience().sessionsArrived(), restarted.audience().sessionsArrived(), "arrivals at " + at + " ms");
            assertEquals(expected.variants(), after.variants(), "variant counts at " + at + " ms");
            assertEquals(expected.events(), after.events(), "events at " + at + " ms");
            assertEquals(expected.checkouts(), after.checkouts(), "checkouts at " + at + " ms");
            assertEquals(expected.chat(), after.chat(), "chat at " + at + " ms");
        }
        assertTrue(never.audience().activeSessions() > 1_000, "a real audience: " + never.audience().activeSessions());
        // From the restart on the node journals what the show that never stopped would have.
        assertEquals(restarted.core().durableState().audit(), never.core().durableState().audit());
        assertTrue(journal.records().getLast().atMillis() >= t, "the restarted show writes to the node's journal");
    }

    /**
     * A journal the show cannot make again (here a pause the show's guardrails never made, as a journal
     * of an earlier version of the show might hold): the node resumes from the journal alone, with its
     * durable state exact, rather than from a show that disagrees with what it acknowledged.
     */
    @Test
    void aJournalTheShowCannotMakeAgainIsResumedFromTheJournalAlone() {
        MemoryJournal journal = new MemoryJournal();
        Show killed = Show.open(STEADY, journal);
        playTo(killed, 10_000);
        journal.append(new JournalRecord.VariantPaused(journal.nextSeq(), killed.core().nowMillis(), "checkout-button",
                "treatment", true, "guardrail:old-rule", "from an earlier version"));

        Show restarted = Show.open(STEADY, journal);
        assertEquals(killed.core().nowMillis(), restarted.core().nowMillis());
        assertEquals(java.util.Set.of("treatment"), restarted.core().durableState().pausedVariants().get("checkout-button"),
                "the journal's pause is in force");
        assertEquals(0, restarted.audience().sessionsArrived(), "resumed from the journal alone, the audience starts again");
        assertTrue(restarted.resumedFromJournalAlone().startsWith("resumed from the journal alone at 10.0 s of show time")
                && restarted.resumedFromJournalAlone().contains("the paused and rolled-back variants differ"),
                "what differed, in words: " + restarted.resumedFromJournalAlone());
        assertEquals(null, Show.open(STEADY, killedAt(10_000)).resumedFromJournalAlone(), "a restart that plays its show again says nothing");
    }

    /**
     * A node killed inside a tick, with no show clock after it: during an outage each tick queues
     * checkouts, one record each, stamped with the tick's start, so the journal ends with that tick's
     * records, all of them or only the first. The restart plays that tick too, writes what of it the
     * journal lacks, and reads as the show that never stopped. Before, it stopped at the tick's start,
     * short of the checkouts the journal held, and resumed from the journal alone ("the checkouts
     * differ"), as bench-large killed during its partition at full speed did.
     */
    @Test
    void aNodeKilledInsideATickPlaysItsShowAgain() {
        MemoryJournal journal = new MemoryJournal();
        Show killed = Show.open(STEADY, journal);
        // The node dies right after a tick of the partition that queued a checkout, before its show clock.
        List<JournalRecord> ofTheTick = playToATickThatQueued(killed, journal);
        long tickAt = ofTheTick.getFirst().atMillis();
        long after = killed.core().nowMillis();

        // Killed after the tick's records, and (when it queued more than one) after only its first.
        for (int kept : java.util.stream.IntStream.of(journal.records().size(), journal.records().size() - ofTheTick.size() + 1)
                .distinct().toArray()) {
            MemoryJournal left = copy(journal.records(), kept);
            long written = left.records().size();
            Show restarted = Show.open(STEADY, left);
            assertEquals(null, restarted.resumedFromJournalAlone(), "killed at " + tickAt + " ms with " + written + " records");
            assertEquals(after, restarted.core().nowMillis(), "it resumes after the tick the journal ended in");
            assertEquals(journal.records().size(), left.records().size(), "the tick's records the journal lacked are written");
            for (int i = 0; i < journal.records().size(); i++) {
                assertEquals(io.edgedeck.engine.journal.FileJournal.json(journal.records().get(i)),
                        io.edgedeck.engine.journal.FileJournal.json(left.records().get(i)), "record " + (i + 1));
            }
            assertReadsAsTheShowThatNeverStopped(restarted, after);
        }
    }

    /**
     * Plays {@code killed} (steady-show on {@code journal}) into a partition at iad from 42 s, where each
     * checkout there is queued, one record each, and on to the first tick of it that queued one: that tick's checkouts.
     */
    private static List<JournalRecord> playToATickThatQueued(Show killed, io.edgedeck.engine.journal.Journal journal) {
        playTo(killed, 42_000);
        killed.fireCue(new CueRequest("partition", List.of("iad"), 0, 30, null, null, "ana"));
        playTo(killed, 45_000);
        List<JournalRecord> ofTheTick;
        do {
            assertTrue(killed.core().nowMillis() < 70_000, "a tick that queued a checkout");
            long at = killed.core().nowMillis();
            killed.step();
            ofTheTick = journal.records().stream().filter(r -> r.atMillis() == at && r instanceof JournalRecord.CheckoutQueued).toList();
        } while (ofTheTick.isEmpty());
        return ofTheTick;
    }

    /** {@code restarted}, at {@code after}, reads 2 s later as steady-show with that partition at iad that never stopped. */
    private static void assertReadsAsTheShowThatNeverStopped(Show restarted, long after) {
        Show same = new Show(STEADY, new MemoryJournal());
        playTo(same, 42_000);
        same.fireCue(new CueRequest("partition", List.of("iad"), 0, 30, null, null, "ana"));
        playTo(same, after);
        long next = after + 2_000;
        MetricsFrame expected = playTo(same, next);
        MetricsFrame got = playTo(restarted, next);
        assertEquals(same.audience().sessionsArrived(), restarted.audience().sessionsArrived(), "arrivals");
        assertEquals(expected.checkouts(), got.checkouts(), "checkouts");
        assertEquals(expected.pops().stream().map(PopMetrics::requests).toList(), got.pops().stream().map(PopMetrics::requests).toList(),
                "requests");
    }

    /**
     * A node killed right after a snapshot, written between ticks as a node writes one, where the tick
     * before it queued checkouts (its last records, stamped with the tick's start) and nothing was
     * journaled after them: the restart, from that snapshot on its files, plays the show again to
     * where it was, a tick after those records, and reads as the show that never stopped. Before, the
     * snapshot was dated by its last record, the restart stopped a tick short with that tick's
     * checkouts already counted, and resumed from the journal alone ("the checkouts differ").
     */
    @Test
    void aNodeKilledRightAfterASnapshotPlaysItsShowAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        SnapshotJournal.Policy byHand = new SnapshotJournal.Policy(Long.MAX_VALUE, java.time.Duration.ofDays(1));
        long after;
        try (SnapshotJournal journal = SnapshotJournal.open(dir, byHand)) {
            Show killed = Show.open(STEADY, journal);
            List<JournalRecord> ofTheTick = playToATickThatQueued(killed, journal);
            after = killed.core().nowMillis();
            // Between ticks, as a node writes it.
            Snapshot s = journal.snapshotNow(killed.core().checkouts().state(journal.nextSeq() - 1, killed.core().nowMillis()));
            assertEquals(ofTheTick.getLast().seq(), s.coversSeq(), "the snapshot covers the tick's checkouts, the last records");
            assertEquals(after, s.atMillis(), "dated where the show was");
        }
        // Killed here: nothing more is written.
        try (SnapshotJournal reopened = SnapshotJournal.open(dir, byHand)) {
            assertEquals(0, reopened.recovery().tailRecords(), "the state comes from the snapshot alone");
            Show restarted = Show.open(STEADY, reopened);
            assertEquals(null, restarted.resumedFromJournalAlone(), "it plays its show again");
            assertEquals(after, restarted.core().nowMillis(), "it resumes where the show was");
            assertReadsAsTheShowThatNeverStopped(restarted, after);
        }
    }

    /**
     * A node killed inside a tick that queued several checkouts, its journal file cut between that
     * tick's records (after the first whole one, and in the middle of the second): the restart plays
     * that tick, finds the file's records of it are the first the tick makes, writes the rest, and
     * plays its show again; the file then holds every record of the tick once, as the show that was
     * not killed wrote it. The show is a scenario file: steady-show with a crowd that checks out on
     * every click, and a partition at iad and fra, so a tick queues more than one checkout.
     */
    @Test
    void aJournalCutBetweenTheRecordsOfATickIsCompletedAndTheShowPlaysAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode doc;
        try (java.io.InputStream in = getClass().getResourceAsStream("/io/edgedeck/simulator/scenarios/steady-show.json")) {
            doc = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        doc.put("name", "steady-crowd");
        // A crowd there in 10 s, every click a checkout, and the partition from 20 s: ticks queue several checkouts.
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("audience")).put("startRate", 100);
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/audience/stages/0")).put("durationSeconds", 10);
        doc.withArray("/audience/stages").forEach(stage -> ((com.fasterxml.jackson.databind.node.ObjectNode) stage).put("target", 400));
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/audience/session")).put("clicksPerMinute", 30)
                .put("addToCartProbability", 1.0).put("checkoutProbability", 1.0);
        for (String pop : List.of("iad", "fra")) {
            doc.withArray("/cues").addObject().put("atSeconds", 20).put("type", "partition").put("pop", pop).put("durationSeconds", 60);
        }
        ShowDefinition crowd = new ShowDefinition(io.edgedeck.simulator.scenario.ScenarioParser.parse(json.writeValueAsBytes(doc)), 7, doc);
        java.nio.file.Path file = dir.resolve("journal.jsonl");
        List<JournalRecord> ofTheTick;
        long after;
        try (io.edgedeck.engine.journal.FileJournal journal = io.edgedeck.engine.journal.FileJournal.open(file)) {
            Show killed = Show.open(crowd, journal);
            do {
                assertTrue(killed.core().nowMillis() < 40_000, "a tick that queued more than one checkout");
                long at = killed.core().nowMillis();
                killed.step();
                ofTheTick = journal.records().stream().filter(r -> r.atMillis() == at && r instanceof JournalRecord.CheckoutQueued).toList();
            } while (ofTheTick.size() < 2);
            after = killed.core().nowMillis();
            assertEquals(ofTheTick.getLast().seq(), journal.nextSeq() - 1, "the tick's checkouts are the journal's last records");
        }
        List<String> whole = java.nio.file.Files.readAllLines(file);
        // Line n holds record n: cut after the tick's first record, and in the middle of its second.
        int first = (int) ofTheTick.getFirst().seq();
        String kept = String.join("\n", whole.subList(0, first)) + "\n";
        for (String cut : List.of(kept, kept + whole.get(first).substring(0, whole.get(first).length() / 2))) {
            java.nio.file.Files.writeString(file, cut);
            try (io.edgedeck.engine.journal.FileJournal journal = io.edgedeck.engine.journal.FileJournal.open(file)) {
                Show restarted = Show.open(crowd, journal);
                assertEquals(null, restarted.resumedFromJournalAlone(), "killed after record " + first + " of " + whole.size());
                assertEquals(after, restarted.core().nowMillis(), "it resumes after the tick the journal ended in");
            }
            assertEquals(whole, java.nio.file.Files.readAllLines(file), "every record of the tick, once, as the show wrote them");
        }
    }

    private static MemoryJournal copy(List<JournalRecord> records, int first) {
        MemoryJournal copy = new MemoryJournal();
        records.subList(0, first).forEach(copy::append);
        return copy;
    }

    /** Steady-show played to {@code millis} on a journal, its show clock journaled there as a node does. */
    private static MemoryJournal killedAt(long millis) {
        MemoryJournal journal = new MemoryJournal();
        Show killed = Show.open(STEADY, journal);
        playTo(killed, millis);
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), killed.core().nowMillis()));
        return journal;
    }

    /**
     * A PoP fault in force the show cannot make again (a scripted latency the scenario does not have,
     * as a journal of an earlier version of it might hold), every other part of the durable state the
     * same: the node resumes from the journal alone, the fault in force, and says which fault differed.
     */
    @Test
    void aFaultInForceTheShowCannotMakeAgainIsResumedFromTheJournalAlone() {
        MemoryJournal journal = killedAt(10_000);
        journal.append(new JournalRecord.FaultApplied(journal.nextSeq(), 10_000, "fra", "latency", 80, 40_000, "cue"));

        Show restarted = Show.open(STEADY, journal);
        assertEquals(0, restarted.audience().sessionsArrived(), "resumed from the journal alone");
        assertEquals(80, restarted.edge().faults().inForce().get("fra").get(io.edgedeck.simulator.edge.FaultKind.LATENCY).magnitude());
        assertTrue(restarted.resumedFromJournalAlone().contains("the PoP faults in force differ: latency at fra, the journal has"
                + " magnitude 80, until 40.0 s, playing it again gave none"), restarted.resumedFromJournalAlone());
        assertTrue(restarted.frame(ShowState.RUNNING, 1).timeline().stream().anyMatch(e -> e.atMillis() == 10_000
                && e.label().equals(Show.RESTART_MARK)), "the console's timeline marks the restart");
    }

    /** The chat's learned emote valences the show cannot make again: resumed from the journal alone. */
    @Test
    void emoteValencesTheShowCannotMakeAgainAreResumedFromTheJournalAlone() {
        MemoryJournal journal = killedAt(10_000);
        journal.append(new JournalRecord.EmoteValencesLearned(journal.nextSeq(), 10_000, "main",
                List.of(new JournalRecord.EmoteEvidence("KEKW", 40, 12.5))));

        Show restarted = Show.open(STEADY, journal);
        assertEquals(0, restarted.audience().sessionsArrived(), "resumed from the journal alone");
        assertTrue(restarted.resumedFromJournalAlone().contains("the chat's learned emote valences"),
                restarted.resumedFromJournalAlone());
    }
}
