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
