package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Cue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An encoder fault fired by hand that ended before a restart is still in the encoder's 60 s window
 * after it: the dropped and skipped frames, the window's figures and the tile read as they did. A
 * restart plays the show again from its start, and a show resumed from its journal alone (what it
 * played again differed from the journal) streams the ended fault again over its window.
 */
class EndedEncoderFaultRestartTest {

    private static EncoderHealth encoderAt(Show show, long millis) {
        while (show.core().nowMillis() < millis) {
            long now = show.core().nowMillis();
            if (now == 10_000) {
                show.fireCue(new CueRequest("encoder-encoding-lag", List.of(), 30, 15, null, null, "ana"));
            } else if (now == 12_000) {
                show.fireCue(new CueRequest("encoder-bitrate", List.of(), 900, 10, null, null, "ana"));
            }
            show.step();
        }
        return show.frame(ShowState.RUNNING, 1).encoder();
    }

    /** The encoder at {@code millis}, the scenario's own cues the only ones. */
    private static EncoderHealth scriptedAt(Show show, long millis) {
        while (show.core().nowMillis() < millis) {
            show.step();
        }
        return show.frame(ShowState.RUNNING, 1).encoder();
    }

    /** The fault ended at 25 s; the node dies at 40 s, its show clock journaled there. */
    private static MemoryJournal killedAt40s() {
        MemoryJournal journal = new MemoryJournal();
        Show first = EncoderCuesTest.show(List.of(), 120, journal);
        encoderAt(first, 40_000);
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), first.core().nowMillis()));
        return journal;
    }

    private static void sameWindow(EncoderHealth expected, EncoderHealth after, String when) {
        assertTrue(after != null, "the encoder is part of the show after the restart " + when);
        assertEquals(expected.skippedPercent(), after.skippedPercent(), 1e-9, "skipped share " + when);
        assertEquals(expected.droppedPercent(), after.droppedPercent(), 1e-9, "dropped share " + when);
        assertEquals(expected.missedPercent(), after.missedPercent(), 1e-9, "missed share " + when);
        assertEquals(expected.bitrateKbps(), after.bitrateKbps(), 1e-6, "bitrate " + when);
        assertEquals(expected.level(), after.level(), "the tile's level " + when);
        assertEquals(expected.why(), after.why(), "what the tile says " + when);
    }

    @Test
    void anEndedFaultIsInTheWindowAfterARestartAsInTheShowThatNeverStopped() {
        Show never = EncoderCuesTest.show(List.of(), 120, new MemoryJournal());
        MemoryJournal journal = killedAt40s();
        Show restarted = Show.open(never.definition(), journal);
        for (long at : new long[]{40_250, 60_000, 80_000}) {
            sameWindow(encoderAt(never, at), encoderAt(restarted, at), "at " + at + " ms");
        }
    }

    @Test
    void resumedFromTheJournalAloneTheEndedFaultIsStreamedAgainOverItsWindow() {
        Show never = EncoderCuesTest.show(List.of(), 120, new MemoryJournal());
        EncoderHealth expected = encoderAt(never, 40_250);
        assertTrue(expected.skippedPercent() > 1, "the ended fault is in the window before the restart: " + expected);
        Show resumed = EncoderCuesTest.show(List.of(), 120, killedAt40s());
        sameWindow(expected, encoderAt(resumed, 40_250), "right after the restart");
        sameWindow(encoderAt(never, 80_000), encoderAt(resumed, 80_000), "once it left the window");
    }

    @Test
    void resumedFromTheJournalAloneTheScenariosOwnEndedFaultIsStreamedAgainOverItsWindow() {
        List<Cue> scripted = List.of(new Cue.EncoderEncodingLag(10, 30, 15), new Cue.EncoderBitrate(12, 900, 10));
        Show never = EncoderCuesTest.show(scripted, 120, new MemoryJournal());
        EncoderHealth expected = scriptedAt(never, 40_250);
        assertTrue(expected.skippedPercent() > 1, "the scenario's ended fault is in the window before the restart: " + expected);
        MemoryJournal journal = new MemoryJournal();
        Show first = EncoderCuesTest.show(scripted, 120, journal);
        scriptedAt(first, 40_000);
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), first.core().nowMillis()));
        Show resumed = EncoderCuesTest.show(scripted, 120, journal);
        sameWindow(expected, scriptedAt(resumed, 40_250), "right after the restart");
        sameWindow(scriptedAt(never, 60_000), scriptedAt(resumed, 60_000), "at 60 s");
        sameWindow(scriptedAt(never, 80_000), scriptedAt(resumed, 80_000), "once it left the window");
    }
}
