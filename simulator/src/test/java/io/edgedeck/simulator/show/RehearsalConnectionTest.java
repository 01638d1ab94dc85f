package io.edgedeck.simulator.show;

import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RehearsalConnectionTest {
    private RehearsalConnection connection;

    @BeforeEach
    void start() {
        var scenario = ScenarioCatalog.load("sentiment-crash");
        connection = new RehearsalConnection(new ShowRunner(new Show(new ShowDefinition(scenario, 5), new MemoryJournal()), 50).start());
    }

    @AfterEach
    void stop() {
        connection.close();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static EdgeException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(EdgeException.class, e.getCause());
    }

    @Test
    void aChangeIsAppliedAuditedAndVersioned() throws Exception {
        FlagView before = get(connection.flags()).getFirst();
        FlagView after = get(connection.changeFlag(before.key(), new FlagChange(before.version(),
                List.of(new VariantView("control", 9000), new VariantView("treatment", 1000)), null, "ana", "pull back to 10%")));
        assertEquals(before.version() + 1, after.version());
        assertEquals(1000, after.variants().get(1).weight());
        var last = get(connection.audit()).getLast();
        assertEquals("ana", last.actor());
        assertEquals("pull back to 10%", last.reason());
    }

    @Test
    void mistakesComeBackTyped() throws Exception {
        FlagView flag = get(connection.flags()).getFirst();
        assertEquals(EdgeException.Kind.CONFLICT, failure(connection.changeFlag(flag.key(),
                new FlagChange(flag.version() - 1, flag.variants(), null, "ana", "stale"))).kind());
        EdgeException weights = failure(connection.changeFlag(flag.key(), new FlagChange(flag.version(),
                List.of(new VariantView("control", 5000), new VariantView("treatment", 4000)), null, "ana", "typo")));
        assertEquals(EdgeException.Kind.INVALID, weights.kind());
        assertTrue(weights.getMessage().contains("9000"), weights.getMessage());
        assertEquals(EdgeException.Kind.NOT_FOUND, failure(connection.setKilled("nope", true, "ana", "x")).kind());
        EdgeException blank = failure(connection.changeFlag(flag.key(), new FlagChange(flag.version(), null, null, "ana", " ")));
        assertEquals(EdgeException.Kind.INVALID, blank.kind());
        assertEquals("reason", blank.field());
        EdgeException pop = failure(connection.fireCue(new CueRequest("pop-outage", List.of("zzz"), 0, 30, null, null, "ana")));
        assertEquals(EdgeException.Kind.NOT_FOUND, pop.kind());
        assertEquals("pops", pop.field());
        assertEquals(EdgeException.Kind.INVALID, failure(connection.setSpeed(-1)).kind());
    }

    /** A rehearsal takes exactly what a show-night node takes: no control character, no text past its bound. */
    @Test
    void textsANodeRefusesAreRefusedInRehearsalToo() throws Exception {
        FlagView flag = get(connection.flags()).getFirst();
        int auditBefore = get(connection.audit()).size();
        EdgeException forged = failure(connection.setKilled(flag.key(), true, "ana", "errors\nalice approved this"));
        assertEquals(EdgeException.Kind.INVALID, forged.kind());
        assertEquals("reason", forged.field());
        assertTrue(forged.getMessage().contains("must not contain control characters (U+000A at character 7)"), forged.getMessage());
        EdgeException hidden = failure(connection.rollback(flag.key(), "treatment", "ana", "fine\u202Eenif"));
        assertEquals("reason", hidden.field());
        EdgeException longReason = failure(connection.changeFlag(flag.key(), new FlagChange(flag.version(), null, null, "ana",
                "x".repeat(1_001))));
        assertEquals(EdgeException.Kind.INVALID, longReason.kind());
        assertEquals("reason", longReason.field());
        assertTrue(longReason.getMessage().contains("at most 1000 characters"), longReason.getMessage());
        EdgeException cue = failure(connection.fireCue(new CueRequest("pop-outage\t", List.of(), 0, 30, null, null, "ana")));
        assertEquals(EdgeException.Kind.INVALID, cue.kind());
        assertEquals(auditBefore, get(connection.audit()).size(), "nothing was made");
        assertTrue(get(connection.flags()).stream().noneMatch(FlagView::killed));
    }

    @Test
    void aManualRollbackAndACueReachTheFrames() throws Exception {
        FlagView flag = get(connection.flags()).getFirst();
        var firing = get(connection.rollback(flag.key(), "treatment", "ben", "chat is angry"));
        assertEquals("ben", firing.actor());
        get(connection.fireCue(new CueRequest("jitter-storm", List.of("fra"), 40, 60, null, null, "ben")));
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var frame = connection.latestFrame().orElseThrow();
            if (!frame.firings().isEmpty() && frame.pop("fra").faults().contains("jitter")) {
                assertTrue(frame.timeline().stream().anyMatch(e -> e.label().contains("jitter storm") && e.actor().equals("ben")));
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the frames never showed the rollback and the storm");
    }

    /**
     * A paused show publishes no cadence frame, yet a producer must see what a change did at once: every
     * change made while paused is in a frame of the same engine time, which still says paused.
     */
    @Test
    void changesWhilePausedReachAFrameAtOnceThatStillSaysPaused() throws Exception {
        CompletableFuture<io.edgedeck.client.model.MetricsFrame> paused = new CompletableFuture<>();
        connection.subscribeFrames(f -> {
            if (f.state() == io.edgedeck.client.model.ShowState.PAUSED) {
                paused.complete(f);
            }
        });
        get(connection.pause());
        var before = paused.get(10, TimeUnit.SECONDS);
        FlagView flag = before.flags().getFirst();
        var guardrail = before.guardrails().getFirst();
        java.util.concurrent.LinkedBlockingQueue<io.edgedeck.client.model.MetricsFrame> after = new java.util.concurrent.LinkedBlockingQueue<>();
        connection.subscribeFrames(after::add);

        get(connection.rollback(flag.key(), "treatment", "ben", "chat is angry"));
        var rolledBack = after.poll(2, TimeUnit.SECONDS);
        assertTrue(rolledBack != null, "a frame follows the rollback without the show moving on");
        assertEquals(io.edgedeck.client.model.ShowState.PAUSED, rolledBack.state(), "and it still says paused");
        assertEquals(before.engineMillis(), rolledBack.engineMillis(), "of the same engine time");
        assertEquals(before.firings().size() + 1, rolledBack.firings().size());
        assertEquals(0, rolledBack.flags().getFirst().variants().stream().filter(v -> v.name().equals("treatment"))
                .findFirst().orElseThrow().weight(), "the variant serves nobody");

        get(connection.setArmed(guardrail.id(), !guardrail.armed(), "ben", "try without it"));
        var armed = after.poll(2, TimeUnit.SECONDS);
        assertTrue(armed != null, "a frame follows arming");
        assertEquals(!guardrail.armed(), armed.guardrails().getFirst().armed());

        get(connection.fireCue(new CueRequest("traffic-surge", List.of(), 3, 60, null, null, "ben")));
        var surged = after.poll(2, TimeUnit.SECONDS);
        assertTrue(surged != null, "a frame follows a cue");
        assertTrue(surged.timeline().stream().anyMatch(e -> e.label().contains("traffic surge") && e.actor().equals("ben")));
        assertEquals(before.engineMillis(), surged.engineMillis());

        get(connection.audit());
        assertEquals(null, after.poll(300, TimeUnit.MILLISECONDS), "a read changes nothing, so no frame follows it");
    }

    /** A show that played to its end serves no one: a change to it is refused, saying why, and nothing is audited. */
    @Test
    void aShowThatPlayedToItsEndTakesNoChange() throws Exception {
        var steady = ScenarioCatalog.load("steady-show");
        var tenSeconds = new io.edgedeck.simulator.scenario.Scenario(steady.name(), steady.description(), steady.seed(), 10,
                steady.frameMillis(), steady.pops(), steady.regions(), steady.audience(), steady.flags(), steady.triggers(),
                steady.guardrails(), List.of(), steady.approvals(), steady.playbooks());
        RehearsalConnection ended = new RehearsalConnection(new ShowRunner(new Show(new ShowDefinition(tenSeconds, 5),
                new MemoryJournal()), ShowRunner.MAX_SPEED).start());
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (ended.latestFrame().map(f -> f.state() != io.edgedeck.client.model.ShowState.FINISHED).orElse(true)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            FlagView flag = get(ended.flags()).getFirst();
            int audited = get(ended.audit()).size();
            List<CompletableFuture<?>> changes = List.of(
                    ended.changeFlag(flag.key(), new FlagChange(flag.version(), List.of(new VariantView("control", 9000),
                            new VariantView("treatment", 1000)), null, "ana", "pull back")),
                    ended.setKilled(flag.key(), true, "ana", "kill"),
                    ended.rollback(flag.key(), "treatment", "ana", "roll back"),
                    ended.fireCue(new CueRequest("pop-outage", List.of("fra"), 0, 30, null, null, "ana")));
            for (CompletableFuture<?> change : changes) {
                EdgeException refused = failure(change);
                assertEquals(EdgeException.Kind.CONFLICT, refused.kind());
                assertTrue(refused.getMessage().startsWith("the show ended at 00:10: no one is served any more, so nothing was changed;"
                        + " Start in the Rehearsal tab plays it again"), refused.getMessage());
            }
            assertEquals(EdgeException.Kind.CONFLICT, failure(ended.setArmed("sentiment-guard", false, "ana", "disarm")).kind());
            assertEquals(audited, get(ended.audit()).size(), "nothing was audited");
        } finally {
            ended.close();
        }
    }

    @Test
    void aRehearsalPausesItselfAtTheEngineTimeItWasGivenAndStaysThere() throws Exception {
        var scenario = ScenarioCatalog.load("viral-surge");
        RehearsalConnection fast = new RehearsalConnection(new ShowRunner(new Show(new ShowDefinition(scenario, 5),
                new MemoryJournal()), ShowRunner.MAX_SPEED).start());
        try {
            assertTrue(fast.canPauseAt());
            CompletableFuture<io.edgedeck.client.model.MetricsFrame> paused = new CompletableFuture<>();
            fast.subscribeFrames(f -> {
                if (f.state() == io.edgedeck.client.model.ShowState.PAUSED) {
                    paused.complete(f);
                }
            });
            fast.pauseAt(30_000).get(5, TimeUnit.SECONDS);
            assertEquals(30_000, paused.get(60, TimeUnit.SECONDS).engineMillis(), "held at the tick it was given, at full speed");
            Thread.sleep(300);
            assertEquals(30_000, fast.latestFrame().orElseThrow().engineMillis(), "and stays there");
            assertEquals("rehearsal paused", fast.status().detail());
        } finally {
            fast.close();
        }
    }

    @Test
    void aRehearsalThatPlayedToItsEndSaysItFinishedNotRunning() throws Exception {
        var scenario = ScenarioCatalog.load("viral-surge");
        RehearsalConnection fast = new RehearsalConnection(new ShowRunner(new Show(new ShowDefinition(scenario, 5),
                new MemoryJournal()), ShowRunner.MAX_SPEED).start());
        try {
            java.util.List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
            fast.subscribeStatus(s -> said.add(s.detail()));
            assertEquals("rehearsal engine running", fast.status().detail());
            long deadline = System.currentTimeMillis() + 120_000;
            while (fast.status().detail().contains("running") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(io.edgedeck.client.model.ShowState.FINISHED, fast.latestFrame().orElseThrow().state());
            assertEquals("rehearsal finished: the show played to its end", fast.status().detail());
            assertTrue(fast.status().online(), "its numbers and actions are still there");
            assertEquals(java.util.List.of("rehearsal finished: the show played to its end"), said, "listeners heard it once");
        } finally {
            fast.close();
        }
    }

    @Test
    void afterCloseActionsAreRefusedNotQueued() {
        connection.close();
        assertEquals(EdgeException.Kind.UNREACHABLE, failure(connection.flags()).kind());
        assertTrue(!connection.status().online());
    }
}
