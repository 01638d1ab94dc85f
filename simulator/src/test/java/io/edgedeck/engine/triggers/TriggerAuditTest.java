package io.edgedeck.engine.triggers;

import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.client.model.TriggerVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trigger audit's counts and its retire rule, on sessions played by hand. */
class TriggerAuditTest {
    private static final TriggerRule CLICK = TriggerRule.atLeast("click", 1, 1_000, TriggerAction.SURFACE_CHECKOUT,
            InteractionKind.CLICK);
    private static final TriggerRule HOVER = TriggerRule.atLeast("hover", 1, 1_000, TriggerAction.PIN_OFFER,
            InteractionKind.HOVER);
    private static final TriggerRule CHAT = TriggerRule.atLeast("chat", 1, 1_000, TriggerAction.GRANT_BADGE,
            InteractionKind.CHAT);
    /** Watches every session's first view, fires for none of them. */
    private static final TriggerRule TWO_VIEWS = TriggerRule.atLeast("two-views", 2, 1, TriggerAction.GRANT_BADGE,
            InteractionKind.VIEW);
    /** Rate limits far out of the way: every qualifying run fires. */
    private static final TriggerLimits OPEN = new TriggerLimits(32, 1, 8, 0);

    private final TriggerEngine engine = new TriggerEngine(List.of(CLICK, HOVER, CHAT, TWO_VIEWS), OPEN);
    private long eventId;

    private SessionTriggerState session(long startMillis) {
        return engine.newSession(startMillis);
    }

    private void step(SessionTriggerState s, InteractionKind kind, long atMillis) {
        engine.onInteraction(s, kind, eventId++, atMillis, 0);
    }

    private static TriggerAudit.Row row(TriggerAudit audit, String id) {
        return audit.triggers().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void conversionCountsAfterTheFirstFiringOnlyAndEachSessionOnce() {
        SessionTriggerState before = session(0);   // converts, then click fires: not a conversion after firing
        step(before, InteractionKind.VIEW, 0);
        engine.onConversion(before);
        step(before, InteractionKind.CLICK, 1_000);
        SessionTriggerState after = session(0);    // click fires, converts twice: one session converted after
        step(after, InteractionKind.CLICK, 0);
        step(after, InteractionKind.CLICK, 500);
        engine.onConversion(after);
        engine.onConversion(after);
        SessionTriggerState never = session(0);    // click never fires, converts
        step(never, InteractionKind.VIEW, 0);
        engine.onConversion(never);
        SessionTriggerState quiet = session(0);    // sends nothing a trigger watches: not a session of the audit
        step(quiet, InteractionKind.CHECKOUT, 0);

        TriggerAudit audit = engine.audit(60_000);
        assertEquals(3, audit.sessions(), "a view is watched (two-views), a checkout by no rule here");
        assertEquals(3, audit.convertedSessions());
        TriggerAudit.Row click = row(audit, "click");
        assertEquals(3, click.firings(), "1 + 2 firings");
        assertEquals(2, click.sessionsFired());
        assertEquals(1, click.convertedAfter(), "the session that converted before click fired is no conversion after it");
        assertEquals(0.5, click.conversionAfter());
        assertEquals(1, click.sessionsNotFired());
        assertEquals(1, click.convertedNotFired(), "only the session it never fired for");
        assertEquals(3.0, click.firingsPerMinute());
        assertEquals(0.5 - 1.0, click.lift(), 1e-9);
        assertNull(click.liftLower(), "two sessions are too few to judge");
        assertEquals(TriggerVerdict.TOO_FEW, click.verdict());
        TriggerAudit.Row hover = row(audit, "hover");
        assertEquals(0, hover.sessionsFired());
        assertNull(hover.conversionAfter());
        assertNull(hover.lift());
    }

    @Test
    void overlapCountsSessionsWhereTwoFiredWithinSixtySecondsEitherWayOncePerSession() {
        SessionTriggerState close = session(0);
        step(close, InteractionKind.HOVER, 0);
        step(close, InteractionKind.CLICK, 60_000);   // exactly 60 s apart: an overlap
        step(close, InteractionKind.HOVER, 61_000);   // again: the same session counts once
        SessionTriggerState apart = session(0);
        step(apart, InteractionKind.CLICK, 0);
        step(apart, InteractionKind.HOVER, 60_001);   // just past the window
        SessionTriggerState late = session(0);
        step(late, InteractionKind.CLICK, 0);
        step(late, InteractionKind.CHAT, 100_000);
        step(late, InteractionKind.CLICK, 130_000);   // a later click brings it within 30 s of the chat

        TriggerAudit audit = engine.audit(200_000);
        assertEquals(Map.of("hover", 1L, "chat", 1L, "two-views", 0L), row(audit, "click").overlapSessions());
        assertEquals(Map.of("click", 1L, "chat", 0L, "two-views", 0L), row(audit, "hover").overlapSessions());
        assertEquals(1.0 / 3, row(audit, "click").overlapShare("hover"), 1e-12);
        assertEquals(0.5, row(audit, "hover").overlapShare("click"), 1e-12);
        assertEquals(1.0, row(audit, "chat").overlapShare("click"), 1e-12);
    }

    /**
     * Plays {@code n} sessions: each fires the triggers named by {@code kinds} a second apart and
     * converts afterwards when {@code converts}.
     */
    private void play(int n, boolean converts, InteractionKind... kinds) {
        for (int i = 0; i < n; i++) {
            SessionTriggerState s = session(0);
            step(s, InteractionKind.VIEW, 0);
            long t = 1_000;
            for (InteractionKind k : kinds) {
                step(s, k, t);
                t += 1_000;
            }
            if (converts) {
                engine.onConversion(s);
            }
        }
    }

    @Test
    void aTriggerThatRidesOnAnotherAndLiftsLessIsACandidateToRetire() {
        // click: fired for 600 sessions, half convert after. hover fires with it in 400 of them and
        // on its own in 200 that convert no more than the sessions neither fired for (5%).
        play(200, true, InteractionKind.CLICK, InteractionKind.HOVER);
        play(200, false, InteractionKind.CLICK, InteractionKind.HOVER);
        play(100, true, InteractionKind.CLICK);
        play(100, false, InteractionKind.CLICK);
        play(10, true, InteractionKind.HOVER);
        play(190, false, InteractionKind.HOVER);
        play(50, true);
        play(950, false);

        TriggerAudit audit = engine.audit(600_000);
        TriggerAudit.Row click = row(audit, "click");
        TriggerAudit.Row hover = row(audit, "hover");
        TriggerAudit.Row chat = row(audit, "chat");
        assertEquals(1, click.rank());
        assertEquals(TriggerVerdict.KEEP, click.verdict(), click.reason());
        assertTrue(click.reason().startsWith("hover also fired within 60 s for 67% of its sessions, but lift"), click.reason());
        assertEquals(2, hover.rank());
        assertEquals(TriggerVerdict.RETIRE_CANDIDATE, hover.verdict(), hover.reason());
        assertEquals(2.0 / 3, hover.overlapShare("click"), 1e-12);
        assertTrue(hover.reason().contains("is clearly below click's"), hover.reason());
        // click: 300/600 after vs 60/1,200; hover: 210/600 after vs 150/1,200.
        assertEquals(0.5 - 0.05, click.lift(), 1e-4);
        assertEquals(0.35 - 0.125, hover.lift(), 1e-4);
        assertNotNull(hover.liftUpper());
        assertTrue(hover.liftUpper() < click.liftLower(), hover + " vs " + click);
        assertTrue(click.liftLower() < click.lift() && click.lift() < click.liftUpper());
        assertEquals(3, chat.rank(), "never fired: too few, after the judged ones, by firings then id");
        assertEquals(TriggerVerdict.TOO_FEW, chat.verdict());
    }

    @Test
    void aTriggerWithNoClearLiftIsACandidateOnlyWhereAnotherCoversItsSessions() {
        // hover and chat fire together for 150 sessions, converting like everyone else (10%); click alone.
        play(15, true, InteractionKind.HOVER, InteractionKind.CHAT);
        play(135, false, InteractionKind.HOVER, InteractionKind.CHAT);
        play(15, true, InteractionKind.CLICK);
        play(135, false, InteractionKind.CLICK);
        play(30, true);
        play(270, false);

        TriggerAudit audit = engine.audit(600_000);
        for (String id : List.of("hover", "chat")) {
            TriggerAudit.Row r = row(audit, id);
            assertEquals(TriggerVerdict.RETIRE_CANDIDATE, r.verdict(), r.reason());
            assertTrue(r.reason().contains("also fired within 60 s for 100% of its sessions, and lift +0.0 points"), r.reason());
            assertTrue(r.reason().endsWith("is not clearly above 1 point"), r.reason());
            assertTrue(r.liftLower() < 0 && r.liftUpper() > 0, r.toString());
        }
        TriggerAudit.Row click = row(audit, "click");
        assertEquals(TriggerVerdict.KEEP, click.verdict(), "no lift, but it reaches sessions no other trigger does: "
                + click.reason());
        assertTrue(click.reason().startsWith("no other trigger fires for half its sessions (most: hover, 0%)"), click.reason());
    }
}
