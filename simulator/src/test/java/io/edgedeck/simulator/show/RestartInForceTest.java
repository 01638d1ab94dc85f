package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.Cue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal killed while faults and cues were in force, started again on its journal: what was in
 * force at the kill is in force again until its original end, the frames reading as they did.
 */
class RestartInForceTest {

    private static Show show(List<Cue> cues, MemoryJournal journal) {
        return EncoderCuesTest.show(cues, 120, journal);
    }

    private static MetricsFrame frameAt(Show show, long millis) {
        while (show.core().nowMillis() < millis) {
            show.step();
        }
        return show.frame(ShowState.RUNNING, 1);
    }

    private static PopMetrics pop(MetricsFrame frame, String id) {
        return frame.pops().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    /** The node dies at its show clock; a new show starts on the same journal, as a restarted node does. */
    private static Show restarted(Show first, List<Cue> cues, MemoryJournal journal) {
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), first.core().nowMillis()));
        return show(cues, journal);
    }

    @Test
    void aPopFaultFiredByHandIsInForceAgainAfterARestartUntilItsEnd() {
        MemoryJournal journal = new MemoryJournal();
        Show first = show(List.of(), journal);
        frameAt(first, 10_000);
        first.fireCue(new CueRequest("pop-outage", List.of("fra"), 0, 40, null, null, "ana"));
        PopMetrics before = pop(frameAt(first, 25_000), "fra");
        assertEquals(List.of("outage"), before.faults());

        Show restarted = restarted(first, List.of(), journal);
        PopMetrics after = pop(frameAt(restarted, 26_000), "fra");
        assertEquals(before.faults(), after.faults(), "the outage is in force again");
        assertEquals(before.health(), after.health(), "and the tile reads as it did");
        assertEquals(List.of(), pop(frameAt(restarted, 51_000), "fra").faults(), "until its end at 50 s");
    }

    @Test
    void aScenarioCueWhoseWindowCoversTheRestartIsInForceAgainUntilItsEnd() {
        List<Cue> cues = List.of(new Cue.TrafficSurge(10, 4, 40), new Cue.EncoderBitrate(10, 900, 40),
                new Cue.JitterStorm(10, List.of("iad"), 80, 40),
                new Cue.SentimentShift(10, "checkout-button", "treatment", ChatMix.SOUR, 40));
        MemoryJournal journal = new MemoryJournal();
        Show first = show(cues, journal);
        MetricsFrame before = frameAt(first, 25_000);
        assertEquals(4, first.audience().surge());

        Show restarted = restarted(first, cues, journal);
        MetricsFrame after = frameAt(restarted, 26_000);
        assertEquals(4, restarted.audience().surge(), "the scripted surge is in force again");
        assertEquals(ChatMix.SOUR, restarted.audience().shiftedMood("checkout-button", "treatment"), "and the sour mood");
        assertEquals(900, after.encoder().bitrateKbps(), 1, "the scripted collapse is in force again");
        assertEquals(before.encoder().level(), after.encoder().level());
        assertEquals(pop(before, "iad").faults(), pop(after, "iad").faults());
        MetricsFrame ended = frameAt(restarted, 55_000);
        assertEquals(1, restarted.audience().surge(), "the surge ends when it would have");
        assertEquals(null, restarted.audience().shiftedMood("checkout-button", "treatment"));
        assertEquals(6000, ended.encoder().bitrateKbps(), 1);
        assertEquals(List.of(), pop(ended, "iad").faults());
    }

    @Test
    void theCollapsesLengthCountsFromItsStartAcrossARestart() {
        MemoryJournal journal = new MemoryJournal();
        Show first = show(List.of(), journal);
        frameAt(first, 10_000);
        first.fireCue(new CueRequest("encoder-bitrate", List.of(), 900, 40, null, null, "ana"));
        EncoderHealth before = frameAt(first, 25_000).encoder();
        assertEquals(EncoderHealth.Level.BAD, before.level(), before.why());

        Show restarted = restarted(first, List.of(), journal);
        EncoderHealth at = frameAt(restarted, 25_250).encoder();
        assertEquals(EncoderHealth.Level.BAD, at.level(), "red right after the restart, as before it: " + at.why());
        EncoderHealth after = frameAt(restarted, 30_000).encoder();
        assertEquals(seconds(before) + 5, seconds(after), "counted from 10 s, not from the restart: " + after.why());
    }

    /** The N of a low bitrate's "for N s". */
    private static long seconds(EncoderHealth h) {
        var m = java.util.regex.Pattern.compile("for (\\d+) s").matcher(h.why());
        assertTrue(m.find(), h.why());
        return Long.parseLong(m.group(1));
    }
}
