package io.edgedeck.simulator.show;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayTest {

    private static Show fresh(String scenario, long seed, MemoryJournal journal) {
        return new Show(new ShowDefinition(ScenarioCatalog.load(scenario), seed), journal);
    }

    /** A rehearsal where a producer does a bit of everything, on the engine thread, at full speed. */
    private static List<JournalRecord> recordRehearsal() throws Exception {
        MemoryJournal journal = new MemoryJournal();
        Show show = fresh("sentiment-crash", 21, journal);
        CountDownLatch done = new CountDownLatch(1);
        try (RehearsalConnection c = new RehearsalConnection(new ShowRunner(show, ShowRunner.MAX_SPEED))) {
            c.subscribeFrames(f -> {
                if (f.state() == io.edgedeck.client.model.ShowState.FINISHED) done.countDown();
            });
            c.runner().start();
            var flag = c.flags().get(5, TimeUnit.SECONDS).getFirst();
            c.changeFlag(flag.key(), new FlagChange(flag.version(), List.of(new VariantView("control", 7000),
                    new VariantView("treatment", 3000)), null, "ana", "ramp down")).get(5, TimeUnit.SECONDS);
            c.fireCue(new CueRequest("pop-outage", List.of("ams"), 0, 40, null, null, "ana")).get(5, TimeUnit.SECONDS);
            c.setArmed("sentiment-guard", false, "ben", "watching by hand").get(5, TimeUnit.SECONDS);
            c.setKilled(flag.key(), true, "ben", "kill to check").get(5, TimeUnit.SECONDS);
            c.setKilled(flag.key(), false, "ben", "back").get(5, TimeUnit.SECONDS);
            c.rollback(flag.key(), "treatment", "ben", "chat looks off").get(5, TimeUnit.SECONDS);
            assertTrue(done.await(60, TimeUnit.SECONDS));
        }
        return journal.records();
    }

    @Test
    void replayingARecordedRehearsalMakesTheSameJournal() throws Exception {
        List<JournalRecord> recording = recordRehearsal();
        assertTrue(recording.stream().anyMatch(r -> r instanceof JournalRecord.FaultApplied f && f.origin().equals("ana")));
        MemoryJournal again = new MemoryJournal();
        Show show = fresh("sentiment-crash", 21, again);
        show.replay(recording);
        while (!show.finished()) {
            show.step();
        }
        assertEquals(recording, again.records());
    }

    @Test
    void cuesFiredByHandOverANodeReplayWithTheirAuditEntries() throws Exception {
        MemoryJournal journal = new MemoryJournal();
        // The steady show cut to a minute, played at 30x: the cues land early, the show ends in two seconds.
        var base = ScenarioCatalog.load("steady-show");
        var minute = new io.edgedeck.simulator.scenario.Scenario(base.name(), base.description(), base.seed(), 60, base.frameMillis(),
                base.pops(), base.regions(), base.audience(), base.flags(), base.triggers(), base.guardrails(), List.of(),
                base.approvals(), base.playbooks());
        Show show = new Show(new ShowDefinition(minute, 4), journal);
        CountDownLatch done = new CountDownLatch(1);
        try (RehearsalConnection c = new RehearsalConnection(new ShowRunner(show, 30))) {
            c.subscribeFrames(f -> {
                if (f.state() == io.edgedeck.client.model.ShowState.FINISHED) done.countDown();
            });
            var control = new io.edgedeck.simulator.server.control.ShowControl(c.runner());
            c.runner().start();
            control.fireCue(new CueRequest("encoder-bitrate", List.of(), 800, 60, null, null, null), "ana").get(5, TimeUnit.SECONDS);
            control.fireCue(new CueRequest("latency-shift", List.of("fra"), 80, 30, null, null, null), "ben").get(5, TimeUnit.SECONDS);
            control.fireCue(new CueRequest("traffic-surge", List.of(), 6, 20, null, null, null), "ana").get(5, TimeUnit.SECONDS);
            control.fireCue(new CueRequest("sentiment-shift", List.of(), 0, 30, "checkout-button", "treatment", null), "ben")
                    .get(5, TimeUnit.SECONDS);
            assertTrue(done.await(60, TimeUnit.SECONDS));
        }
        List<JournalRecord> recording = journal.records();
        assertEquals(List.of("encoder-bitrate", "traffic-surge", "sentiment-shift"), recording.stream()
                .filter(r -> r instanceof JournalRecord.CueFired).map(r -> ((JournalRecord.CueFired) r).cue().type()).toList());
        assertEquals(4, recording.stream().filter(r -> r instanceof JournalRecord.Audited a && a.action().equals(Show.CUE_AUDIT)).count());
        MemoryJournal again = new MemoryJournal();
        Show replay = new Show(new ShowDefinition(minute, 4), again);
        replay.replay(recording);
        while (!replay.finished()) {
            replay.step();
        }
        assertEquals(recording, again.records());
        // The surge's sessions and the soured chat are in the replay's counts and sentiment as they were in the show's,
        // and every cue and its end is on its timeline at the same time.
        var played = show.frame(io.edgedeck.client.model.ShowState.FINISHED, 1);
        var replayed = replay.frame(io.edgedeck.client.model.ShowState.FINISHED, 1);
        assertEquals(played.timeline(), replayed.timeline());
        assertEquals(played.events(), replayed.events());
        assertEquals(played.variants(), replayed.variants());
        assertEquals(played.chat(), replayed.chat());
        assertEquals(played.pops(), replayed.pops());
        assertEquals(played.encoder(), replayed.encoder());
    }

    @Test
    void aRecordingOfAnotherShowIsRefused() throws Exception {
        MemoryJournal journal = new MemoryJournal();
        fresh("steady-show", 3, journal);
        assertThrows(IllegalArgumentException.class, () -> fresh("steady-show", 4, new MemoryJournal()).replay(journal.records()));
        assertThrows(IllegalArgumentException.class, () -> fresh("no-effect", 3, new MemoryJournal()).replay(journal.records()));
    }

    @Test
    void aDryRunRuleListsWhenItWouldHaveFiredAndChangesNothing() {
        MemoryJournal recorded = new MemoryJournal();
        Show original = fresh("sentiment-crash", 1006, recorded);
        while (!original.finished()) {
            original.step();
        }
        GuardrailSpec scenarioRule = ScenarioCatalog.load("sentiment-crash").guardrails().getFirst();
        GuardrailSpec trial = new GuardrailSpec("trial", scenarioRule.flag(), scenarioRule.variant(), RuleMatch.ALL,
                List.of(new GuardrailSpec.Condition(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15)),
                60, 200, 600, GuardrailAction.ROLLBACK, false);
        MemoryJournal again = new MemoryJournal();
        Show replay = fresh("sentiment-crash", 1006, again);
        replay.core().guardrails().addDryRun(trial);
        replay.replay(recorded.records());
        while (!replay.finished()) {
            replay.step();
        }
        var dry = replay.core().guardrails().dryRunFirings();
        assertFalse(dry.isEmpty(), "the trial rule would have fired");
        double firstAt = dry.getFirst().atMillis() / 1000.0;
        assertTrue(firstAt > 300 && firstAt < 360, "would have fired at " + firstAt + " s");
        assertEquals(recorded.records(), again.records(), "a dry run acts on nothing and records nothing");
    }
}
