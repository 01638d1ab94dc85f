package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.time.VirtualClock;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A live node's triggers see an event when the core applied its ingest log record, at the start of
 * that tick; a restart reading the log back must show them the same times, or a session's window
 * holds events it did not hold live and a trigger fires (or does not) where it did not before the
 * restart. Core only, a node's ticks of 10 ms: the records are handed to the read-back as a node's
 * intake hands them.
 */
class LateBatchTriggerReadBackTest {
    private static final String RULE = "two-in-a-second";

    private static CoreConfig config() {
        return CoreConfig.of("late-batch", 0, 250,
                List.of(PopSite.of("fra", "eu", 100), PopSite.of("ams", "eu", 150), PopSite.of("iad", "na", 200)),
                List.of("eu", "na"))
                .withTriggers(List.of(TriggerRule.atLeast(RULE, 2, 1_000, TriggerAction.PIN_OFFER,
                        InteractionKind.CHAT, InteractionKind.CLICK)));
    }

    private record Logged(long arrivalMillis, IngestEvent event) {
    }

    /** A live node's core, its log so far and its clock (engine time is the node's wall clock here). */
    private static final class Live {
        final VirtualClock clock = new VirtualClock();
        final MemoryJournal journal = new MemoryJournal();
        final EdgeCore core = new EdgeCore(config(), journal, true);
        final KeyedIntake intake = new KeyedIntake(core, clock, IngestLimits.DEFAULT);
        final List<Logged> log = new ArrayList<>();

        Live() {
            core.startReadBack();
            core.endReadBack();
            core.ingestApplied(0);
        }

        /** Ends the ticks up to {@code engineMillis} and journals the clock there, as a node's show does about once a second. */
        void to(long engineMillis) {
            quietlyTo(engineMillis);
            core.journal().append(new JournalRecord.ShowClock(journal.nextSeq(), core.nowMillis()));
        }

        void quietlyTo(long engineMillis) {
            clock.advance(engineMillis - clock.nowMillis());
            core.advanceTo(clock);
        }

        /** The record that arrived at {@code arrivalMillis} is durable and applied now, as the node's intake does. */
        void apply(long arrivalMillis, IngestEvent event) {
            long ordinal = log.size();
            log.add(new Logged(arrivalMillis, event));
            core.applyingIngestRecord(ordinal, arrivalMillis, intake.triggersSee(List.of(event)));
            core.ingestApplied(ordinal + 1);
            intake.accept(event, arrivalMillis);
        }
    }

    private static EdgeCore readBack(Live live) {
        return readBack(live.journal.records(), live);
    }

    /** A core started again on {@code journal}, {@code live}'s log read back as a node's intake reads it. */
    private static EdgeCore readBack(List<JournalRecord> journal, Live live) {
        MemoryJournal copy = new MemoryJournal();
        journal.forEach(r -> copy.append(r instanceof JournalRecord.ShowClock c
                ? new JournalRecord.ShowClock(copy.nextSeq(), c.atMillis(), c.ingestApplied()) : r));
        EdgeCore core = new EdgeCore(config(), copy, true);
        KeyedIntake intake = new KeyedIntake(core, new VirtualClock(core.nowMillis()), IngestLimits.DEFAULT);
        core.startReadBack();
        for (int i = 0; i < live.log.size(); i++) {
            core.readBackRecord(i);
            intake.acceptReplayed(live.log.get(i).event(), live.log.get(i).arrivalMillis());
        }
        core.endReadBack();
        core.ingestApplied(live.log.size());
        return core;
    }

    private static long firings(EdgeCore core) {
        return core.triggers().orElseThrow().stats().firingsByRule().get(RULE);
    }

    private static IngestEvent chat(String id) {
        return new IngestEvent.Chat(id, null, "what a drop", "viewer-1", null, null, null);
    }

    private static IngestEvent click(String id) {
        return new IngestEvent.Step(id, null, "click", "viewer-1");
    }

    /** viewer-1's chats: one at 50 ms, applied at once; one that arrived at 1,010 ms, applied at 1,980 ms. */
    private static Live chatAppliedLateInItsSecond() {
        Live live = new Live();
        live.to(50);
        live.apply(50, chat("c1"));
        live.to(1_000);
        live.quietlyTo(1_980);
        live.apply(1_010, chat("c2"));
        live.to(2_500);
        return live;
    }

    /**
     * viewer-1 chats at 50 ms, applied at once; a second chat arrives at 1,010 ms and is applied
     * 970 ms later, at 1,980 ms, in the same second, no flag changed in between. Live the two are
     * 1,930 ms apart, past the rule's second: no firing. Read back at its arrival, the second chat would
     * be 960 ms after the first and the rule would fire after the restart.
     */
    @Test
    void aChatBatchAppliedLateInItsSecondFiresNoTriggerAfterARestartThatItDidNotFireLive() {
        Live live = chatAppliedLateInItsSecond();
        assertEquals(0, firings(live.core), "live, the second chat is applied 1,930 ms after the first");

        EdgeCore again = readBack(live);
        assertEquals(firings(live.core), firings(again), "read back: " + live.journal.records());
        List<JournalRecord> placed = live.journal.records().stream()
                .filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null).toList();
        assertEquals(1, placed.size(), "the tick of the one late record the trigger sees: " + live.journal.records());
        assertEquals(1_980, placed.getFirst().atMillis());
        assertEquals(1L, placed.getFirst().ingestApplied());
    }

    /**
     * The tick is written without a force of its own: a machine that stops before the journal's next
     * forced write may lose it. Without it the late chat is read back in its arrival's tick, as a node
     * that did not write it read it back; the rest of the read-back is the same.
     */
    @Test
    void withTheApplyTickLostTheLateChatIsReadBackAtItsArrivalAsBefore() {
        Live live = chatAppliedLateInItsSecond();
        List<JournalRecord> lost = live.journal.records().stream()
                .filter(r -> !(r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null)).toList();
        EdgeCore again = readBack(lost, live);
        assertEquals(1, firings(again), "960 ms after the first by its arrival: " + lost);
        assertEquals(live.core.chat().messages(), again.chat().messages());
    }

    /**
     * A latency batch applied as late in its second writes nothing: the triggers do not see it, and
     * read back in its arrival's tick it counts as it did live.
     */
    @Test
    void aLateBatchTheTriggersDoNotSeeWritesNothing() {
        Live live = new Live();
        live.to(1_000);
        live.quietlyTo(1_980);
        live.apply(1_010, new IngestEvent.Latency("l1", null, "fra", 40.0, null, null, null));
        live.apply(1_015, new IngestEvent.Chat("c0", null, "nobody's", null, null, null, null));
        assertEquals(List.of(), live.journal.records().stream()
                .filter(r -> r instanceof JournalRecord.ShowClock c && c.ingestApplied() != null).toList());
    }

    /**
     * Two clicks each applied in the tick it arrived in, 1,008 ms apart by their arrivals and
     * exactly a second apart by the ticks they were applied in (1,000 and 2,000 ms): the rule fires
     * live, and fires again read back.
     */
    @Test
    void clicksAppliedInTheTicksTheyArrivedInFireAsTheyDidLive() {
        Live live = new Live();
        live.to(1_000);
        live.quietlyTo(1_001);
        live.apply(1_001, click("k1"));
        live.quietlyTo(2_009);
        live.apply(2_009, click("k2"));
        live.to(2_500);
        assertEquals(1, firings(live.core), "live, the clicks are applied a second apart");

        EdgeCore again = readBack(live);
        assertEquals(1, firings(again), "read back: " + live.journal.records());
    }
}
