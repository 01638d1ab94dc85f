package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.time.VirtualClock;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chat line the core applied in a later tick than it arrived in (its fsync or its wait for the
 * engine outlasted a tick) is read back after a restart at that tick, as it was taken live: in the
 * chat's minute and each variant's chat minute, the decision budget's minute, and for its unit's
 * triggers. Read back at its arrival, a trigger fired that had not fired live, and the chat's minute
 * kept the line a second longer than it had.
 */
class ApplyTickWindowsReadBackTest {
    /** Two chat lines of one unit within 1 s fire it. */
    private static final TriggerRule CHATTY = new TriggerRule("chatty", List.of(InteractionKind.CHAT), 2, 1_000, false,
            TriggerAction.GRANT_BADGE);

    private static CoreConfig config() {
        return TestShows.threePops(0).withTriggers(List.of(CHATTY));
    }

    private record Logged(long arrivalMillis, IngestEvent event) {
    }

    private static IngestEvent chat(String id) {
        return new IngestEvent.Chat(id, null, "great show", "viewer-1", null, "ana", List.of());
    }

    private static long fired(EdgeCore core) {
        return core.frame(ShowState.RUNNING, 1, 0).triggers().firingsByRule().getOrDefault("chatty", 0L);
    }

    private static ChatMetrics chatAt(EdgeCore core, VirtualClock clock, long millis) {
        clock.advance(millis - clock.nowMillis());
        core.advanceTo(clock);
        return core.frame(ShowState.RUNNING, 1, 0).chat();
    }

    @Test
    void aChatLineAppliedTicksAfterItArrivedIsReadBackAtTheTickItWasAppliedIn() {
        VirtualClock clock = new VirtualClock();
        MemoryJournal journal = new MemoryJournal();
        EdgeCore core = new EdgeCore(config(), journal, true);
        KeyedIntake intake = new KeyedIntake(core, clock, IngestLimits.DEFAULT);
        core.startReadBack();
        core.endReadBack();
        core.ingestApplied(0);
        List<Logged> log = new ArrayList<>();

        clock.advance(1_000);
        core.advanceTo(clock);
        core.journal().append(new JournalRecord.ShowClock(journal.nextSeq(), core.nowMillis()));
        log.add(new Logged(1_000, chat("c1")));
        core.applyingIngestRecord(0, 1_000);
        core.ingestApplied(1);
        intake.accept(log.get(0).event(), 1_000);
        // c2 arrives at 1.95 s; its fsync outlasts the second, and the core applies it at 2.1 s.
        clock.advance(1_100);
        core.advanceTo(clock);
        log.add(new Logged(1_950, chat("c2")));
        core.applyingIngestRecord(1, 1_950);
        core.ingestApplied(2);
        intake.accept(log.get(1).event(), 1_950);
        assertEquals(0, fired(core), "live, c2 was taken 1.1 s after c1: outside the rule's second");
        assertTrue(journal.records().getLast() instanceof JournalRecord.ShowClock c && c.ingestApplied() != null,
                "the tick c2 was applied in is journaled");

        // Killed now; started again on the journal, the log read back as the node's intake reads it.
        EdgeCore again = new EdgeCore(config(), copy(journal), true);
        VirtualClock againClock = new VirtualClock(again.nowMillis());
        KeyedIntake readBack = new KeyedIntake(again, againClock, IngestLimits.DEFAULT);
        again.startReadBack();
        for (int i = 0; i < log.size(); i++) {
            again.readBackRecord(i);
            readBack.acceptReplayed(log.get(i).event(), log.get(i).arrivalMillis());
        }
        again.endReadBack();
        again.ingestApplied(log.size());
        assertEquals(fired(core), fired(again), "the trigger fires read back as it did live");

        // At 61.5 s the line live counted at 2.1 s is still in the chat's minute (seconds 2 to 61); one read back at 1.95 s had left it.
        ChatMetrics live = chatAt(core, clock, 61_500);
        ChatMetrics read = chatAt(again, againClock, 61_500);
        assertEquals(live.messagesPerMinute(), read.messagesPerMinute(), 1e-9, "the chat's minute at 61.5 s");
        assertEquals(live.messages(), read.messages());
        assertTrue(live.messagesPerMinute() > 0, "c2 is in the minute live: " + live);
    }

    private static MemoryJournal copy(MemoryJournal journal) {
        MemoryJournal copy = new MemoryJournal();
        journal.records().forEach(copy::append);
        return copy;
    }
}
