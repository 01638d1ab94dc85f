package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.BitrateBaseline;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.engine.flags.FlagValidationException;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.EncoderSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoder faults in a rehearsal, from a scenario's cues and fired by hand: the frames carry the encoder
 * as a live node's OBS reading would, changing at the cue's engine time, the same for the same seed.
 */
class EncoderCuesTest {

    private static Show show(List<Cue> cues) {
        return show(cues, ScenarioCatalog.load("steady-show").durationSeconds());
    }

    private static Show show(List<Cue> cues, int durationSeconds) {
        return show(cues, durationSeconds, new MemoryJournal());
    }

    /** Steady-show with {@code cues} and this length, on {@code journal}. */
    static Show show(List<Cue> cues, int durationSeconds, MemoryJournal journal) {
        return show(cues, durationSeconds, journal, null);
    }

    /** The same with the scenario's {@code encoder} object, or without one for null. */
    private static Show show(List<Cue> cues, int durationSeconds, MemoryJournal journal, EncoderSpec encoder) {
        Scenario base = ScenarioCatalog.load("steady-show");
        Scenario s = new Scenario(base.name(), base.description(), base.seed(), durationSeconds, base.frameMillis(),
                base.pops(), base.regions(), base.audience(), base.flags(), base.triggers(), base.guardrails(),
                cues, base.approvals(), base.playbooks(), encoder);
        return new Show(new ShowDefinition(s, s.seed()), journal);
    }

    private static EncoderHealth encoderAt(Show show, long millis) {
        while (show.core().nowMillis() < millis) {
            show.step();
        }
        return show.frame(ShowState.RUNNING, 1).encoder();
    }

    @Test
    void aScriptedDropReconnectsTheStreamAtItsTimeAndEnds() {
        Show show = show(List.of(new Cue.EncoderDrop(4, 3)));
        EncoderHealth before = encoderAt(show, 3_750);
        assertEquals(EncoderHealth.Level.OK, before.level(), before.why());
        assertEquals(SimulatedEncoder.NOMINAL_KBPS, before.bitrateKbps());

        EncoderHealth during = encoderAt(show, 4_250);
        assertEquals(EncoderHealth.Level.BAD, during.level());
        assertTrue(during.reconnecting());
        assertEquals(0, during.bitrateKbps());
        assertEquals("the stream is reconnecting to the ingest server", during.why());
        assertTrue(show.core().timeline().events().stream().anyMatch(e -> e.label().equals("encoder stream drops for 3 s") && e.atMillis() == 4_000));

        EncoderHealth after = encoderAt(show, 7_250);
        assertEquals(EncoderHealth.Level.OK, after.level(), after.why());
    }

    @Test
    void scriptedFrameDropsAndBitrateCollapseReadAsOBSWouldShowThem() {
        Show show = show(List.of(new Cue.EncoderFrameDrop(10, 20, 30), new Cue.EncoderBitrate(50, 800, 5)));
        assertEquals(0, encoderAt(show, 9_750).droppedPercent());
        // 20 % of frames for 10 s of a 60 s window holding 20 s of stream: a tenth of the window's frames.
        EncoderHealth dropping = encoderAt(show, 20_000);
        assertEquals(10.0, dropping.droppedPercent(), 0.01);
        assertEquals(EncoderHealth.Level.BAD, dropping.level());
        assertTrue(dropping.why().endsWith("of frames dropped by the network"), dropping.why());

        EncoderHealth collapsed = encoderAt(show, 50_250);
        assertEquals(800, collapsed.bitrateKbps(), 1e-9);
        assertTrue(collapsed.congestion() > 0.8, "congestion " + collapsed.congestion());
        assertEquals(SimulatedEncoder.NOMINAL_KBPS, encoderAt(show, 55_250).bitrateKbps());
    }

    @Test
    void aSustainedBitrateCollapseColoursTheEncoderAsALiveNodeWould() {
        // A minute streaming cleanly at 6000 kb/s, then 800 kb/s for 30 s: no frame is dropped, only the bitrate tells.
        Show show = show(List.of(new Cue.EncoderBitrate(60, 800, 30)));
        assertEquals(EncoderHealth.Level.OK, encoderAt(show, 59_750).level());
        EncoderHealth early = encoderAt(show, 65_000);
        assertEquals(800, early.bitrateKbps(), 1e-9);
        assertEquals(EncoderHealth.Level.OK, early.level(), "5 s low is not yet sustained: " + early.why());
        EncoderHealth sustained = encoderAt(show, 70_250);
        assertEquals(EncoderHealth.Level.BAD, sustained.level(), sustained.why());
        assertEquals(0, sustained.droppedPercent());
        assertTrue(sustained.why().startsWith("bitrate 800 kb/s, 13% of its usual 6,000 kb/s"), sustained.why());
        EncoderHealth after = encoderAt(show, 90_250);
        assertEquals(EncoderHealth.Level.OK, after.level(), after.why());
    }

    @Test
    void aScenariosOwnBitrateIsTheHealthyOneACollapseIsJudgedAgainst() {
        // 1400 kb/s is under a quarter of 6000 (red) but only under half of the scenario's 4500 (amber).
        int durationSeconds = ScenarioCatalog.load("steady-show").durationSeconds();
        Show show = show(List.of(new Cue.EncoderBitrate(60, 1400, 30)), durationSeconds, new MemoryJournal(), new EncoderSpec(4500));
        EncoderHealth before = encoderAt(show, 59_750);
        assertEquals(4500, before.bitrateKbps(), 1e-9);
        assertEquals(0, before.congestion(), 1e-9);
        assertEquals(EncoderHealth.Level.OK, before.level(), before.why());
        EncoderHealth sustained = encoderAt(show, 70_250);
        assertEquals(1400, sustained.bitrateKbps(), 1e-9);
        assertEquals(1 - 1400.0 / 4500, sustained.congestion(), 1e-9);
        assertEquals(EncoderHealth.Level.WARN, sustained.level(), sustained.why());
        assertTrue(sustained.why().startsWith("bitrate 1,400 kb/s, 31% of its usual 4,500 kb/s"), sustained.why());
        assertEquals(4500, encoderAt(show, 90_250).bitrateKbps(), 1e-9);

        Show defaulted = show(List.of(new Cue.EncoderBitrate(60, 1400, 30)));
        assertEquals(EncoderHealth.Level.BAD, encoderAt(defaulted, 70_250).level(), "against the default 6000 kb/s");
    }

    @Test
    void aBitrateFiredByHandMustBeUnderTheScenariosOwn() {
        Show show = show(List.of(), 600, new MemoryJournal(), new EncoderSpec(4500));
        var over = assertThrows(FlagValidationException.class,
                () -> show.fireCue(new CueRequest("encoder-bitrate", List.of(), 5000, 10, null, null, "ana")));
        assertEquals("magnitude", over.field());
        assertTrue(over.getMessage().contains("under the encoder's 4500 kb/s"), over.getMessage());
        show.fireCue(new CueRequest("encoder-bitrate", List.of(), 4000, 10, null, null, "ana"));
        assertEquals(4000, encoderAt(show, 1_250).bitrateKbps(), 1e-9);
    }

    @Test
    void theEncoderTroubleBuiltInCollapsesTheBitrateLongAfterTheEncoderHasAHealthyBaseline() {
        Scenario s = ScenarioCatalog.load("encoder-trouble");
        assertEquals(List.of(new Cue.EncoderFrameDrop(180, 8, 60), new Cue.EncoderBitrate(360, 800, 90), new Cue.EncoderDrop(600, 15)),
                s.cues());
        // The 60 s after the dropped frames end, streaming cleanly, are the collapse's baseline; it lasts past the 10 s the rule waits.
        assertTrue(360 - (180 + 60) >= BitrateBaseline.MIN_BASELINE_SPAN_MILLIS / 1000 && 90 > BitrateBaseline.SUSTAINED_MILLIS / 1000);
    }

    @Test
    void aShowWithoutEncoderCuesHasNoEncoderUntilOneIsFiredByHand() {
        Show show = show(List.of());
        assertNull(encoderAt(show, 2_000));
        show.fireCue(new CueRequest("encoder-frame-drop", List.of(), 8, 10, null, null, "ana"));
        EncoderHealth fired = encoderAt(show, 4_000);
        assertTrue(fired.droppedPercent() > 0, "frames drop from the cue's time");
        assertTrue(show.core().timeline().events().stream().anyMatch(e -> e.label().equals("encoder drops 8% of frames for 10 s")
                && e.atMillis() == 2_000 && "ana".equals(e.actor())));

        show.fireCue(new CueRequest("encoder-drop", List.of(), 0, 2, null, null, "ana"));
        assertTrue(encoderAt(show, 4_250).reconnecting());
        assertEquals(false, encoderAt(show, 6_250).reconnecting(), "the hand-fired drop ends after its 2 s");
    }

    @Test
    void aHandFiredEncoderCueWithABadMagnitudeOrKindNamesTheField() {
        Show show = show(List.of());
        var bitrate = assertThrows(FlagValidationException.class,
                () -> show.fireCue(new CueRequest("encoder-bitrate", List.of(), 9000, 10, null, null, "ana")));
        assertEquals("magnitude", bitrate.field());
        assertTrue(bitrate.getMessage().contains("6000 kb/s"), bitrate.getMessage());
        var frames = assertThrows(FlagValidationException.class,
                () -> show.fireCue(new CueRequest("encoder-frame-drop", List.of(), 0, 10, null, null, "ana")));
        assertEquals("magnitude", frames.field());
        var kind = assertThrows(FlagValidationException.class,
                () -> show.fireCue(new CueRequest("encoder-melt", List.of(), 1, 10, null, null, "ana")));
        assertEquals("type", kind.field());
        assertTrue(kind.getMessage().contains("encoder-frame-drop"), kind.getMessage());
        assertNull(encoderAt(show, 1_000), "a refused cue leaves no encoder behind");
    }

    @Test
    void aBitrateCollapseFiredByHandInAShowWithoutAnEncoderIsJudgedAgainstTheStreamsHealthyBitrate() {
        // The stream was live before the show: its healthy 6000 kb/s is known from the first second.
        Show show = show(List.of(), 60);
        encoderAt(show, 2_000);
        show.fireCue(new CueRequest("encoder-bitrate", List.of(), 800, 30, null, null, "ana"));
        EncoderHealth early = encoderAt(show, 7_000);
        assertEquals(EncoderHealth.Level.OK, early.level(), "5 s low is not yet sustained: " + early.why());
        EncoderHealth sustained = encoderAt(show, 12_250);
        assertEquals(EncoderHealth.Level.BAD, sustained.level(), sustained.why());
        assertTrue(sustained.why().startsWith("bitrate 800 kb/s, 13% of its usual 6,000 kb/s"), sustained.why());
        assertEquals(EncoderHealth.Level.OK, encoderAt(show, 32_250).level(), "the stream is back at 6000 kb/s");
    }

    @Test
    void encodingLagSkipsFramesAsOBSCountsThem() {
        Show show = show(List.of(new Cue.EncoderEncodingLag(10, 20, 30)), 40);
        assertEquals(0, encoderAt(show, 9_750).skippedPercent());
        // 20 % of frames for 10 s of a 60 s window holding 20 s of stream: a tenth of the frames the encoder was given.
        EncoderHealth lagging = encoderAt(show, 20_000);
        assertEquals(10.0, lagging.skippedPercent(), 0.01);
        assertEquals(0, lagging.droppedPercent());
        assertEquals(EncoderHealth.Level.BAD, lagging.level());
        assertEquals(EncoderHealth.Measure.SKIPPED, lagging.decidedBy());
        assertTrue(lagging.why().equals("10.0% of frames skipped by the encoder"), lagging.why());
        assertTrue(show.core().timeline().events().stream().anyMatch(e -> e.label().equals("encoder skips 20% of frames for 30 s")));
    }

    @Test
    void renderingLagIsJudgedByTheRenderTimeThenByTheFramesItMisses() {
        Show show = show(List.of(), 30);
        show.fireCue(new CueRequest("encoder-rendering-lag", List.of(), 14, 5, null, null, "ana"));
        // 14 ms of a 16.7 ms frame: past three quarters of it, every frame still rendered.
        EncoderHealth slow = encoderAt(show, 2_000);
        assertEquals(EncoderHealth.Level.WARN, slow.level(), slow.why());
        assertEquals("rendering takes 14.0 ms of a 16.7 ms frame", slow.why());
        assertEquals(0, slow.missedPercent());
        assertEquals(EncoderHealth.Measure.RENDER, slow.decidedBy());

        encoderAt(show, 6_000);
        show.fireCue(new CueRequest("encoder-rendering-lag", List.of(), 25, 10, null, null, "ana"));
        // 25 ms a frame leaves time for 40 of 60 frames a second: a third are missed while it lasts.
        EncoderHealth lagging = encoderAt(show, 16_000);
        assertEquals(EncoderHealth.Level.BAD, lagging.level(), lagging.why());
        assertEquals(100.0 / 3 * 10 / 16, lagging.missedPercent(), 0.2);
        assertEquals(40, lagging.fps(), 1e-9);
        assertEquals(25, lagging.renderMs(), 1e-9);
        assertTrue(lagging.why().endsWith("of frames missed by the renderer"), lagging.why());
        EncoderHealth after = encoderAt(show, 16_250);
        assertEquals(SimulatedEncoder.RENDER_MS, after.renderMs(), 1e-9);
        assertEquals(SimulatedEncoder.FPS, after.fps(), 1e-9);
    }

    @Test
    void aLagCueWithABadMagnitudeNamesTheField() {
        Show show = show(List.of(), 30);
        for (double bad : new double[] {0, 100.5, -1}) {
            var e = assertThrows(FlagValidationException.class,
                    () -> show.fireCue(new CueRequest("encoder-encoding-lag", List.of(), bad, 10, null, null, "ana")));
            assertEquals("magnitude", e.field());
            assertTrue(e.getMessage().contains("skipped by the encoder"), e.getMessage());
        }
        for (double bad : new double[] {4.2, 1, 1000.5}) {
            var e = assertThrows(FlagValidationException.class,
                    () -> show.fireCue(new CueRequest("encoder-rendering-lag", List.of(), bad, 10, null, null, "ana")));
            assertEquals("magnitude", e.field());
            assertTrue(e.getMessage().contains("render time"), e.getMessage());
        }
        assertNull(encoderAt(show, 1_000), "a refused cue leaves no encoder behind");
        assertTrue(show.core().journal().records().stream().noneMatch(r -> r instanceof JournalRecord.CueFired));
    }

    @Test
    void encoderFaultsFiredByHandReplayFromTheRecordingAtTheSameShowTimes() {
        MemoryJournal recorded = new MemoryJournal();
        Show show = show(List.of(), 40, recorded);
        List<EncoderHealth> original = new ArrayList<>();
        List<EncoderHealth> again = new ArrayList<>();
        playEncoder(show, original, 3_000);
        show.fireCue(new CueRequest("encoder-bitrate", List.of(), 800, 20, null, null, "ana"));
        playEncoder(show, original, 20_000);
        show.fireCue(new CueRequest("encoder-rendering-lag", List.of(), 25, 8, null, null, "ben"));
        playEncoder(show, original, 40_000);
        assertTrue(original.stream().anyMatch(h -> h != null && h.level() == EncoderHealth.Level.BAD && h.why().startsWith("bitrate 800")));

        MemoryJournal replayed = new MemoryJournal();
        Show replay = show(List.of(), 40, replayed);
        replay.replay(recorded.records());
        playEncoder(replay, again, 40_000);
        assertEquals(original, again, "the same encoder at the same show times");
        assertEquals(recorded.records(), replayed.records());
        assertEquals(show.core().timeline().events(), replay.core().timeline().events());
    }

    private static void playEncoder(Show show, List<EncoderHealth> out, long untilMillis) {
        while (show.core().nowMillis() < untilMillis) {
            show.step();
            if (show.atFrameBoundary()) {
                out.add(show.frame(ShowState.RUNNING, 0).encoder());
            }
        }
    }

    @Test
    void theSameSeedPlaysTheSameEncoder() {
        List<Cue> cues = List.of(new Cue.EncoderFrameDrop(2, 3.5, 20), new Cue.EncoderDrop(8, 2), new Cue.EncoderBitrate(12, 1500, 5));
        assertEquals(frames(show(cues)), frames(show(cues)));
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        List<Cue> cues = List.of(new Cue.EncoderFrameDrop(2, 3.5, 20), new Cue.EncoderDrop(8, 2));
        assertEquals(report(show(cues, 30)), report(show(cues, 30)));
    }

    private static String report(Show show) {
        while (!show.finished()) {
            show.step();
        }
        return io.edgedeck.simulator.report.Reports.toJson(io.edgedeck.simulator.report.Reports.of(show, 1).withoutRun());
    }

    private static List<MetricsFrame> frames(Show show) {
        List<MetricsFrame> out = new ArrayList<>();
        while (show.core().nowMillis() < 30_000) {
            show.step();
            if (show.atFrameBoundary()) {
                out.add(show.frame(ShowState.RUNNING, 0));
            }
        }
        return out;
    }

    @Test
    void aRehearsalRestartedFromItsJournalPutsCuesFiredByHandBackForTheirRest() {
        MemoryJournal journal = new MemoryJournal();
        Show first = show(List.of(), 120, journal);
        encoderAt(first, 10_000);
        first.fireCue(new CueRequest("encoder-bitrate", List.of(), 900, 40, null, null, "ana"));
        first.fireCue(new CueRequest("traffic-surge", List.of(), 4, 40, null, null, "ben"));
        assertEquals(900, encoderAt(first, 25_000).bitrateKbps(), 1);
        // The node dies at 25 s, its show clock journaled there; it starts again on the same journal.
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), first.core().nowMillis()));
        long recorded = journal.nextSeq();
        Show restarted = show(List.of(), 120, journal);
        assertEquals(4, restarted.audience().surge(), "the surge is in force again");
        EncoderHealth during = encoderAt(restarted, 45_000);
        assertEquals(900, during.bitrateKbps(), 1, "the collapse is in force again");
        assertEquals(EncoderHealth.Level.BAD, during.level(), during.why());
        assertEquals(recorded, journal.nextSeq(), "what was journaled once is not journaled again");
        EncoderHealth after = encoderAt(restarted, 55_000);
        assertEquals(6000, after.bitrateKbps(), 1, "and it ends when it would have: " + after);
        assertEquals(1, restarted.audience().surge());
        assertTrue(restarted.frame(ShowState.RUNNING, 1).timeline().stream().anyMatch(e -> e.label().equals("traffic surge ends")));
    }

    @Test
    void anEncoderFaultJournaledAsEncoderFaultIsPutBackOnARestartAsACueFiredRecordWouldBe() {
        MemoryJournal journal = new MemoryJournal();
        show(List.of(), 120, journal);
        journal.append(new JournalRecord.EncoderFaulted(journal.nextSeq(), 5_000, "encoder-bitrate", 900, 65_000, "ana"));
        journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 10_000));
        Show restarted = show(List.of(), 120, journal);
        assertEquals(900, encoderAt(restarted, 30_000).bitrateKbps(), 1);
        assertEquals(6000, encoderAt(restarted, 70_000).bitrateKbps(), 1);
    }
}
