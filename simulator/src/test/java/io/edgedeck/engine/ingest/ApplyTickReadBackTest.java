package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.time.VirtualClock;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node's core applies an ingest log record once it is durable, which may be a tick or more
 * after the one it arrived in; a restart reading the log back counts it in the tick the core applied
 * it in, not its arrival's: at the flag versions each PoP ran then (a PoP may have taken a new version
 * in between, its propagation delay ending there), and in its PoP's second; and, for a record the
 * triggers see, at that tick's time, however late in the same second. Core only: no node, no
 * log file; the records are handed to the read-back as a node's intake hands them.
 */
class ApplyTickReadBackTest {
    private static final String BANNER = "banner";

    /** Three PoPs (fra takes a flag change 100 ms after it is made), one A/B flag. */
    private static CoreConfig config() {
        FlagDefinition banner = new FlagDefinition(BANNER, BANNER, "growth",
                List.of(new Variant("control", 5000), new Variant("treatment", 5000)), "control", Scope.GLOBAL, BANNER, 0, false, 0);
        return TestShows.threePops(0).withFlags("node-config", List.of(banner));
    }

    /** One ingest log record: when it arrived (engine ms) and its one event. */
    private record Logged(long arrivalMillis, IngestEvent event) {
    }

    /** A live node's core, its log so far and its clock. */
    private static final class Live {
        final VirtualClock clock = new VirtualClock();
        final MemoryJournal journal = new MemoryJournal();
        final EdgeCore core;
        final KeyedIntake intake;
        final List<Logged> log = new ArrayList<>();

        Live() {
            this(config());
        }

        Live(CoreConfig config) {
            core = new EdgeCore(config, journal, true);
            intake = new KeyedIntake(core, clock, IngestLimits.DEFAULT);
            // a node on a new data directory: nothing to read back
            core.startReadBack();
            core.endReadBack();
            core.ingestApplied(0);
        }

        /** Ends the ticks up to {@code engineMillis} and journals the clock there, as a node's show does (through its core's journal). */
        void to(long engineMillis) {
            clock.advance(engineMillis - clock.nowMillis());
            core.advanceTo(clock);
            core.journal().append(new JournalRecord.ShowClock(journal.nextSeq(), core.nowMillis()));
        }

        /**
         * Ends the ticks up to {@code engineMillis} and journals nothing: the show journals its clock about
         * once a wall second, so a node can stop (or be killed) well after its last clock record.
         */
        void quietlyTo(long engineMillis) {
            clock.advance(engineMillis - clock.nowMillis());
            core.advanceTo(clock);
        }

        /** The record that arrived at {@code arrivalMillis} is made durable and applied now, as the node's intake does. */
        void apply(long arrivalMillis, IngestEvent event) {
            long ordinal = log.size();
            log.add(new Logged(arrivalMillis, event));
            core.applyingIngestRecord(ordinal, arrivalMillis, intake.triggersSee(List.of(event)));
            core.ingestApplied(ordinal + 1);
            intake.accept(event, arrivalMillis);
        }
    }

    /** A core started again on {@code journal}, the log read back as a node's intake reads it. */
    private static EdgeCore readBack(List<JournalRecord> journal, List<Logged> log) {
        return readBack(config(), journal, log);
    }

    private static EdgeCore readBack(CoreConfig config, List<JournalRecord> journal, List<Logged> log) {
        MemoryJournal copy = new MemoryJournal();
        journal.forEach(r -> copy.append(renumbered(r, copy.nextSeq())));
        EdgeCore core = new EdgeCore(config, copy, true);
        KeyedIntake intake = new KeyedIntake(core, new VirtualClock(core.nowMillis()), IngestLimits.DEFAULT);
        core.startReadBack();
        for (int i = 0; i < log.size(); i++) {
            core.readBackRecord(i);
            intake.acceptReplayed(log.get(i).event(), log.get(i).arrivalMillis());
        }
        core.endReadBack();
        core.ingestApplied(log.size());
        return core;
    }

    private static long exposures(EdgeCore core, String variant) {
        return core.experiments().variantMetrics(core.nowMillis()).stream()
                .filter(v -> v.flag().equals(BANNER) && v.variant().equals(variant))
                .mapToLong(VariantMetrics::exposures).sum();
    }

    private static Logged exposure(String id, long arrivalMillis) {
        return new Logged(arrivalMillis, new IngestEvent.Exposure(id, null, BANNER, "treatment", "viewer-1", "fra"));
    }

    /**
     * viewer-1 is exposed at fra; the flag is re-weighed; a second exposure arrives 5 ms before fra
     * takes the new version, and the core applies it two ticks later, in the new version, where it
     * counts again. Read back, it counts there again.
     */
    private static Live exposedAcrossAVersion() {
        Live live = new Live();
        live.to(300);
        Logged first = exposure("x1", 305);
        live.apply(first.arrivalMillis(), first.event());
        live.core.experiments().change(BANNER, 1, FlagUpdate.weights(List.of(new Variant("control", 6000),
                new Variant("treatment", 4000))), "ana", "re-weigh", live.core.nowMillis());
        long changed = live.core.nowMillis();
        live.to(changed + 95);
        Logged second = exposure("x2", changed + 95);
        live.to(changed + 115);
        live.apply(second.arrivalMillis(), second.event());
        live.to(changed + 1_000);
        assertEquals(2, exposures(live.core, "treatment"), "live, the second exposure is in fra's new version");
        return live;
    }

    @Test
    void aRecordAppliedTicksAfterItArrivedCountsAtTheFlagVersionsOfTheTickItWasAppliedIn() {
        Live live = exposedAcrossAVersion();
        EdgeCore again = readBack(live.journal.records(), live.log);
        assertEquals(exposures(live.core, "treatment"), exposures(again, "treatment"));
        assertEquals(exposures(live.core, "control"), exposures(again, "control"));

        List<JournalRecord> marks = live.journal.records().stream()
                .filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null).toList();
        assertEquals(1, marks.size(), "the one record applied after its arrival's tick: " + live.journal.records());
        assertEquals(1L, marks.getFirst().ingestApplied());
        assertEquals(410, marks.getFirst().atMillis(), "the tick it was applied in");
    }

    @Test
    void aRecordAppliedInTheTickItArrivedInWritesNothingMore() {
        Live live = new Live();
        live.to(300);
        int before = live.journal.records().size();
        live.apply(303, exposure("x1", 303).event());
        live.apply(301, exposure("x2", 301).event());
        assertEquals(before, live.journal.records().size(), live.journal.records().toString());
    }

    /**
     * Records applied a few ticks after they arrived, in the same second, with no PoP taking a version
     * and no change made in between (the flag was re-weighed well before and has reached every PoP):
     * read back in their arrival's tick they count as they did live, so nothing is written for them,
     * and the read-back is the same all the same.
     */
    @Test
    void aRecordAppliedLaterInTheSameSecondWithNothingChangedInBetweenWritesNothing() {
        Live live = new Live();
        live.to(300);
        live.core.experiments().change(BANNER, 1, FlagUpdate.weights(List.of(new Variant("control", 6000),
                new Variant("treatment", 4000))), "ana", "re-weigh", live.core.nowMillis());
        live.to(1_500);
        Logged first = exposure("x1", 1_505);
        live.to(1_530);
        live.apply(first.arrivalMillis(), first.event());
        live.to(1_600);
        live.apply(1_541, new IngestEvent.Latency("l1", null, "fra", 40.0, null, null, null));
        live.to(1_990);
        live.apply(1_905, new IngestEvent.Latency("l2", null, "fra", 25.0, null, null, null));
        assertEquals(List.of(), live.journal.records().stream()
                .filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null).toList());
        live.to(3_000);

        EdgeCore again = readBack(live.journal.records(), live.log);
        assertEquals(exposures(live.core, "treatment"), exposures(again, "treatment"));
        assertEquals(exposures(live.core, "control"), exposures(again, "control"));
        PopHistory was = live.core.pops().history("fra", 0, 3);
        PopHistory is = again.pops().history("fra", 0, 3);
        assertEquals(List.of(1L), seconds(was), "live, all in second 1");
        assertEquals(seconds(was), seconds(is));
        org.junit.jupiter.api.Assertions.assertArrayEquals(was.requests(), is.requests());
    }

    /**
     * viewer-1 is exposed at fra, the flag is re-weighed, and fra takes the new version 100 ms later;
     * the show has journaled nothing since the change when a second exposure arrives and is applied in
     * the tick it came in, in fra's new version, where it counts again. A restart resumes the core at
     * the journal's last record, the change, and reads no record back later than that: unless the
     * tick is journaled, the exposure is read back at fra's old version, a repeat, and the node shows
     * one exposure fewer than it did before the stop.
     */
    @Test
    void aRecordAppliedAfterTheJournalsLastRecordCountsAtTheVersionsItMetReadBack() {
        Live live = new Live();
        live.to(300);
        Logged first = exposure("x1", 305);
        live.quietlyTo(310);
        live.apply(first.arrivalMillis(), first.event());
        live.core.experiments().change(BANNER, 1, FlagUpdate.weights(List.of(new Variant("control", 6000),
                new Variant("treatment", 4000))), "ana", "re-weigh", live.core.nowMillis());
        live.quietlyTo(500);
        live.apply(500, exposure("x2", 500).event());
        assertEquals(2, exposures(live.core, "treatment"), "live, the second exposure is in fra's new version");

        EdgeCore again = readBack(live.journal.records(), live.log);
        assertEquals(2, exposures(again, "treatment"), "read back: " + live.journal.records());
        assertEquals(exposures(live.core, "control"), exposures(again, "control"));
    }

    /**
     * A latency applied in the tick it arrived in, a second after the journal's last record and with no
     * flag change in between: its PoP's history row is its own second's, read back too, not the second
     * of the journal's last record.
     */
    @Test
    void aRecordAppliedInALaterSecondThanTheJournalsLastRecordKeepsItsSecondReadBack() {
        Live live = new Live();
        live.to(1_500);
        live.quietlyTo(2_300);
        live.apply(2_303, new IngestEvent.Latency("l1", null, "fra", 40.0, null, null, null));
        live.quietlyTo(2_400);
        live.apply(2_401, new IngestEvent.Latency("l2", null, "fra", 30.0, null, null, null));
        EdgeCore again = readBack(live.journal.records(), live.log);
        live.to(3_000);
        again.advanceTo(new VirtualClock(3_000));
        PopHistory before = live.core.pops().history("fra", 0, 3);
        PopHistory after = again.pops().history("fra", 0, 3);
        assertEquals(List.of(2L), seconds(before), "live, both in second 2");
        assertEquals(seconds(before), seconds(after), "read back: " + live.journal.records());
        assertEquals(1, live.journal.records().stream()
                .filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null).count(),
                "one record for the second the first crossed into, none for the second: " + live.journal.records());
    }

    /**
     * A latency that arrived 5 ms before a second's end, applied in the next second's first tick: its
     * PoP's history row is that second's, live and read back.
     */
    @Test
    void aRecordAppliedInTheNextSecondIsInThatSecondsHistoryRowReadBack() {
        Live live = new Live();
        live.to(1_990);
        IngestEvent late = new IngestEvent.Latency("l1", null, "fra", 40.0, null, null, null);
        live.to(2_000);
        live.apply(1_995, late);
        live.apply(2_003, new IngestEvent.Latency("l2", null, "fra", 20.0, null, null, null));
        live.to(4_000);
        EdgeCore again = readBack(live.journal.records(), live.log);
        PopHistory before = live.core.pops().history("fra", 0, 4);
        PopHistory after = again.pops().history("fra", 0, 4);
        assertEquals(List.of(2L), seconds(before), "live, both in second 2");
        assertEquals(seconds(before), seconds(after));
        assertEquals(before.requests()[0], after.requests()[0]);
    }

    private static List<Long> seconds(PopHistory h) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < h.startSecond().length; i++) {
            if (h.requests()[i] > 0) {
                out.add(h.startSecond()[i]);
            }
        }
        return out;
    }

    /**
     * A journal written before the apply tick was journaled (no such record, no {@code ingestApplied}
     * on its changes) reads as it did: the late record counts in its arrival's tick, at the version
     * fra ran there.
     */
    @Test
    void aJournalWithoutApplyTicksReadsAsBefore() {
        Live live = exposedAcrossAVersion();
        List<JournalRecord> old = live.journal.records().stream()
                .filter(r -> !(r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null))
                .map(ApplyTickReadBackTest::withoutPosition).toList();
        EdgeCore again = readBack(old, live.log);
        assertEquals(1, exposures(again, "treatment"), "placed by its arrival, fra still in the first version");
    }

    /**
     * A journal on disk mixing records of both kinds: the show's start and the flags' creation from a
     * node that wrote neither field, a clock record of the show's own, then the change with its
     * position and the record of the tick the late exposure was applied in. Each is read as written,
     * and the late exposure is placed by its apply tick.
     */
    @Test
    void aJournalOnDiskMixingOldAndNewRecordsPlacesTheLateRecordByItsApplyTick(@TempDir Path dir) throws Exception {
        Live live = exposedAcrossAVersion();
        List<JournalRecord> records = new ArrayList<>();
        boolean changeSeen = false;
        for (JournalRecord r : live.journal.records()) {
            boolean change = r instanceof JournalRecord.FlagChanged f && !(f.command() instanceof io.edgedeck.engine.flags.FlagCommand.Create);
            changeSeen |= change;
            records.add(changeSeen ? r : withoutPosition(r));
            if (r instanceof JournalRecord.FlagChanged && !changeSeen) {
                records.add(new JournalRecord.ShowClock(0, r.atMillis()));
            }
        }
        Path file = dir.resolve("journal.jsonl");
        StringBuilder lines = new StringBuilder();
        long seq = 1;
        for (JournalRecord r : records) {
            lines.append(FileJournal.json(renumbered(r, seq++))).append('\n');
        }
        Files.writeString(file, lines);
        String text = Files.readString(file);
        assertTrue(text.contains("{\"type\":\"show.clock\",\"seq\":") && text.contains("\"ingestApplied\":1}"), text);

        List<JournalRecord> read = FileJournal.readOnly(file).records();
        JournalRecord plainClock = read.stream().filter(r -> r instanceof JournalRecord.ShowClock).findFirst().orElseThrow();
        assertNull(plainClock.ingestApplied(), "a clock record of the show's own carries no position");
        assertEquals(1L, read.stream().filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null)
                .findFirst().orElseThrow().ingestApplied());
        EdgeCore again = readBack(read, live.log);
        assertEquals(exposures(live.core, "treatment"), exposures(again, "treatment"));
    }

    /** A snapshot keeps the ticks records were applied in, and folds the show's own clock records away. */
    @Test
    void aSnapshotKeepsTheApplyTicks() {
        assertTrue(io.edgedeck.engine.journal.Compaction.kept(new JournalRecord.ShowClock(7, 410, 1L)));
        assertTrue(!io.edgedeck.engine.journal.Compaction.kept(new JournalRecord.ShowClock(8, 1_000)));
    }

    // ------------------------------------------------------------ a late record the triggers see

    private static final String RULE = "two-in-a-second";

    /** A node's core: ticks of 10 ms, a trigger counting two chat lines or clicks of a session within a second. */
    private static CoreConfig triggerConfig() {
        return CoreConfig.of("late-batch", 0, 250,
                List.of(io.edgedeck.engine.pops.PopSite.of("fra", "eu", 100), io.edgedeck.engine.pops.PopSite.of("ams", "eu", 150),
                        io.edgedeck.engine.pops.PopSite.of("iad", "na", 200)), List.of("eu", "na"))
                .withTriggers(List.of(TriggerRule.atLeast(RULE, 2, 1_000, TriggerAction.PIN_OFFER,
                        InteractionKind.CHAT, InteractionKind.CLICK)));
    }

    private static long firings(EdgeCore core) {
        return core.triggers().orElseThrow().stats().firingsByRule().get(RULE);
    }

    private static IngestEvent chat(String id) {
        return new IngestEvent.Chat(id, null, "what a drop", "viewer-1", null, null, null);
    }

    private static List<JournalRecord> applyTicks(List<JournalRecord> journal) {
        return journal.stream().filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null).toList();
    }

    /** viewer-1's chat lines: one at 50 ms, applied at once; one that arrived at 1,010 ms, applied at 1,980 ms. */
    private static Live chatAppliedLateInItsSecond() {
        Live live = secondChatLineApplying();
        live.to(2_500);
        return live;
    }

    /** As {@link #chatAppliedLateInItsSecond}, the core still in the tick (1,980 ms) it applied the second line in. */
    private static Live secondChatLineApplying() {
        Live live = new Live(triggerConfig());
        live.to(50);
        live.apply(50, chat("c1"));
        live.to(1_000);
        live.quietlyTo(1_980);
        live.apply(1_010, chat("c2"));
        return live;
    }

    /**
     * A trigger compares a session's interaction times to the millisecond. The second chat line is
     * applied 970 ms after it arrived, in the same second, no flag changed in between: live the two are
     * 1,930 ms apart, past the rule's second, and nothing fires. Read back at its arrival it would be
     * 960 ms after the first and the rule would fire after the restart; its tick is journaled, so it does not.
     */
    @Test
    void aChatLineAppliedLateInItsSecondFiresNoTriggerAfterARestartThatItDidNotFireLive() {
        Live live = chatAppliedLateInItsSecond();
        assertEquals(0, firings(live.core), "live, the second chat line is applied 1,930 ms after the first");

        EdgeCore again = readBack(triggerConfig(), live.journal.records(), live.log);
        assertEquals(firings(live.core), firings(again), "read back: " + live.journal.records());
        List<JournalRecord> placed = applyTicks(live.journal.records());
        assertEquals(1, placed.size(), "the tick of the one late record the trigger sees: " + live.journal.records());
        assertEquals(1_980, placed.getFirst().atMillis());
        assertEquals(1L, placed.getFirst().ingestApplied());
    }

    /**
     * That tick is written without a force of its own: a machine that stops before the journal's next
     * forced write may lose it. Without it the late chat line is read back at its arrival's tick, as a
     * node that did not write it read it back; the rest of the read-back is the same.
     */
    @Test
    void withTheApplyTickLostTheLateChatLineIsReadBackAtItsArrivalAsBefore() {
        Live live = chatAppliedLateInItsSecond();
        List<JournalRecord> lost = live.journal.records().stream()
                .filter(r -> !(r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null)).toList();
        EdgeCore again = readBack(triggerConfig(), lost, live.log);
        assertEquals(1, firings(again), "960 ms after the first by its arrival: " + lost);
        assertEquals(live.core.chat().messages(), again.chat().messages());
    }

    /**
     * Three late chat lines applied in one tick (1,980 ms), after arriving at 1,010, 1,012 and 1,015 ms:
     * the first one's tick is journaled, and places the two after it there too (a record is read back
     * no earlier than the one before it), so they write nothing more. Read back, the trigger fires as it
     * did live, and the chat is the same. (One record per late batch made the journal grow by a tick's
     * record for every batch a loaded node applied late.)
     */
    @Test
    void lateRecordsTheTriggersSeeAppliedInOneTickJournalThatTickOnce() {
        Live live = secondChatLineApplying();
        live.apply(1_012, chat("c3"));
        live.apply(1_015, new IngestEvent.Chat("c4", null, "what a drop", "viewer-2", null, null, null));
        live.to(2_500);

        List<JournalRecord> placed = applyTicks(live.journal.records());
        assertEquals(1, placed.size(), "one tick's record for the three: " + live.journal.records());
        assertEquals(1_980, placed.getFirst().atMillis());
        assertEquals(1L, placed.getFirst().ingestApplied());
        EdgeCore again = readBack(triggerConfig(), live.journal.records(), live.log);
        assertEquals(firings(live.core), firings(again), "read back: " + live.journal.records());
        assertEquals(live.core.chat().messages(), again.chat().messages());
    }

    /** A latency, and a chat line of no unit, applied as late in their second write nothing: the triggers do not see them. */
    @Test
    void aLateRecordTheTriggersDoNotSeeWritesNothing() {
        Live live = new Live(triggerConfig());
        live.to(1_000);
        live.quietlyTo(1_980);
        live.apply(1_010, new IngestEvent.Latency("l1", null, "fra", 40.0, null, null, null));
        live.apply(1_015, new IngestEvent.Chat("c0", null, "nobody's", null, null, null, null));
        assertEquals(List.of(), applyTicks(live.journal.records()));
    }

    /**
     * Two clicks each applied in the tick it arrived in, 1,008 ms apart by their arrivals and exactly a
     * second apart by the ticks they were applied in (1,000 and 2,000 ms): the rule fires live, and
     * fires read back, each record at the start of its tick as the core took it.
     */
    @Test
    void clicksAppliedInTheTicksTheyArrivedInFireAsTheyDidLive() {
        Live live = new Live(triggerConfig());
        live.to(1_000);
        live.quietlyTo(1_001);
        live.apply(1_001, new IngestEvent.Step("k1", null, "click", "viewer-1"));
        live.quietlyTo(2_009);
        live.apply(2_009, new IngestEvent.Step("k2", null, "click", "viewer-1"));
        live.to(2_500);
        assertEquals(1, firings(live.core), "live, the clicks are applied a second apart");

        EdgeCore again = readBack(triggerConfig(), live.journal.records(), live.log);
        assertEquals(1, firings(again), "read back: " + live.journal.records());
    }

    /** {@code r} as a node that did not know record positions wrote it. */
    private static JournalRecord withoutPosition(JournalRecord r) {
        return r instanceof JournalRecord.FlagChanged f ? new JournalRecord.FlagChanged(f.seq(), f.atMillis(), f.command()) : r;
    }

    private static JournalRecord renumbered(JournalRecord r, long seq) {
        return switch (r) {
            case JournalRecord.ShowStarted s -> new JournalRecord.ShowStarted(seq, s.atMillis(), s.scenario(), s.seed(), s.document());
            case JournalRecord.FlagChanged f -> new JournalRecord.FlagChanged(seq, f.atMillis(), f.command(), f.ingestApplied());
            case JournalRecord.ShowClock c -> new JournalRecord.ShowClock(seq, c.atMillis(), c.ingestApplied());
            default -> throw new IllegalArgumentException("not in this journal: " + r);
        };
    }
}
