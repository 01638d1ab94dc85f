package io.edgedeck.engine.triggers;

import static io.edgedeck.engine.triggers.InteractionKind.ADD_TO_CART;
import static io.edgedeck.engine.triggers.InteractionKind.CHAT;
import static io.edgedeck.engine.triggers.InteractionKind.CHECKOUT;
import static io.edgedeck.engine.triggers.InteractionKind.CLICK;
import static io.edgedeck.engine.triggers.InteractionKind.HOVER;
import static io.edgedeck.engine.triggers.InteractionKind.VIEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerEngineTest {
    /** Generous limits, so tests of the rule semantics are not cut short by the guards. */
    private static final TriggerLimits LOOSE = new TriggerLimits(32, 60_000, 8, 10_000);

    private static final TriggerRule THREE_IN_20S =
            TriggerRule.atLeast("engaged", 3, 20_000, TriggerAction.SURFACE_CHECKOUT, CLICK, CHAT, ADD_TO_CART);
    private static final TriggerRule VIEW_CART_CHECKOUT =
            TriggerRule.sequence("funnel", 30_000, TriggerAction.PIN_OFFER, VIEW, ADD_TO_CART, CHECKOUT);

    private final List<TriggerFiring> fired = new ArrayList<>();
    private long nextEventId = 1;
    private TriggerEngine engine;
    private SessionTriggerState session;

    /** An engine over {@code rules} and one session of it starting at 0. */
    private void start(TriggerLimits limits, TriggerRule... rules) {
        engine = new TriggerEngine(List.of(rules), limits);
        session = engine.newSession(0);
    }

    private void feed(InteractionKind kind, long atMillis) {
        feed(session, kind, atMillis);
    }

    private void feed(SessionTriggerState target, InteractionKind kind, long atMillis) {
        fired.addAll(engine.onInteraction(target, kind, nextEventId++, atMillis, 180));
    }

    private List<Long> firingTimes() {
        return fired.stream().map(TriggerFiring::atMillis).toList();
    }

    @Test
    void unorderedFiresOnTheCountthListedInteractionWithinTheWindow() {
        start(LOOSE, THREE_IN_20S);
        session = engine.newSession(1_000);
        feed(CLICK, 1_000);
        feed(VIEW, 2_000);
        feed(HOVER, 3_000);
        feed(CHAT, 4_000);
        assertTrue(fired.isEmpty(), "views and hovers are not listed, so only two interactions count so far");
        feed(ADD_TO_CART, 21_000);

        assertEquals(List.of(new TriggerFiring("engaged", TriggerAction.SURFACE_CHECKOUT, 21_000, 5, 180)), fired);
    }

    @Test
    void unorderedWindowExpiryDropsOldInteractions() {
        start(LOOSE, THREE_IN_20S);
        feed(CLICK, 0);
        feed(CLICK, 10_000);
        feed(CLICK, 20_001);
        assertTrue(fired.isEmpty(), "the first click is 20 001 ms before the third");
        feed(CLICK, 25_000);
        assertEquals(List.of(25_000L), firingTimes());
    }

    @Test
    void aRunFiresOnceAndTheNextRunStartsFromNothing() {
        start(LOOSE, THREE_IN_20S);
        for (int i = 0; i < 7; i++) {
            feed(CLICK, i * 1_000L);
        }
        // Clicks 1-3 fire, clicks 4-6 fire; click 7 only starts a new run.
        assertEquals(List.of(2_000L, 5_000L), firingTimes());
    }

    @Test
    void orderedFiresWhenTheKindsOccurInOrderWithOtherInteractionsBetween() {
        start(LOOSE, VIEW_CART_CHECKOUT);
        feed(VIEW, 0);
        feed(CHAT, 1_000);
        feed(ADD_TO_CART, 2_000);
        feed(HOVER, 3_000);
        feed(CHECKOUT, 4_000);
        assertEquals(List.of(4_000L), firingTimes());
        assertEquals("funnel", fired.getFirst().ruleId());
        assertEquals(TriggerAction.PIN_OFFER, fired.getFirst().action());
    }

    @Test
    void orderedDoesNotFireOutOfOrder() {
        start(LOOSE, VIEW_CART_CHECKOUT);
        feed(ADD_TO_CART, 0);
        feed(VIEW, 1_000);
        feed(CHECKOUT, 2_000);
        assertTrue(fired.isEmpty());
        feed(ADD_TO_CART, 3_000);
        feed(CHECKOUT, 4_000);
        assertEquals(List.of(4_000L), firingTimes());
    }

    @Test
    void orderedWindowRunsFromTheLatestUsableStart() {
        start(LOOSE, VIEW_CART_CHECKOUT);
        feed(VIEW, 0);
        feed(ADD_TO_CART, 1_000);
        feed(CHECKOUT, 30_001);
        assertTrue(fired.isEmpty(), "view to checkout took 30 001 ms");
        // A fresh view restarts the run; the stale partial run must not block it.
        feed(VIEW, 31_000);
        feed(ADD_TO_CART, 32_000);
        feed(CHECKOUT, 61_000);
        assertEquals(List.of(61_000L), firingTimes());
    }

    @Test
    void aRepeatedKindInASequenceNeedsTwoInteractions() {
        var doubleClick = TriggerRule.sequence("double", 500, TriggerAction.GRANT_BADGE, CLICK, CLICK);
        start(LOOSE, doubleClick);
        feed(CLICK, 0);
        assertTrue(fired.isEmpty());
        feed(CLICK, 400);
        feed(CLICK, 1_000);
        feed(CLICK, 1_600);
        assertEquals(List.of(400L), firingTimes(), "1 000 -> 1 600 is outside the 500 ms window");
    }

    @Test
    void theRateLimitCapsFiringsPerRuleAndCountsTheRest() {
        var oneClick = TriggerRule.atLeast("click", 1, 1_000, TriggerAction.GRANT_BADGE, CLICK);
        start(new TriggerLimits(2, 60_000, 8, 10_000), oneClick);
        for (long at : new long[] {0, 1_000, 2_000, 59_999, 60_000, 61_000, 62_000}) {
            feed(CLICK, at);
        }
        assertEquals(List.of(0L, 1_000L, 60_000L, 61_000L), firingTimes());
        assertEquals(3, engine.stats().rateLimited());
        assertEquals(Map.of("click", 4L), engine.stats().firingsByRule());
    }

    @Test
    void theRateLimitIsPerSession() {
        var oneClick = TriggerRule.atLeast("click", 1, 1_000, TriggerAction.GRANT_BADGE, CLICK);
        start(new TriggerLimits(1, 60_000, 8, 10_000), oneClick);
        feed(CLICK, 0);
        feed(engine.newSession(0), CLICK, 10);
        assertEquals(2, fired.size());
        assertEquals(0, engine.stats().rateLimited());
    }

    @Test
    void aDuplicateEventIdWithinTheHorizonIsDroppedAndCounted() {
        start(new TriggerLimits(32, 60_000, 4, 5_000), THREE_IN_20S);
        assertEquals(List.of(), engine.onInteraction(session, CLICK, 77, 0, 100));
        assertEquals(List.of(), engine.onInteraction(session, CLICK, 77, 100, 100));
        assertEquals(List.of(), engine.onInteraction(session, CLICK, 77, 200, 100));
        assertEquals(2, engine.stats().rejectedDuplicates());
        // Past the horizon the id is accepted again: it counts as the second click of the run.
        assertEquals(List.of(), engine.onInteraction(session, CLICK, 77, 5_001, 100));
        assertEquals(1, engine.onInteraction(session, CLICK, 78, 5_002, 100).size());
        assertEquals(2, engine.stats().rejectedDuplicates());
    }

    @Test
    void duplicateMemoryIsBoundedToTheLastFewEvents() {
        start(new TriggerLimits(32, 60_000, 2, 5_000), THREE_IN_20S);
        engine.onInteraction(session, CLICK, 1, 0, 100);
        engine.onInteraction(session, CLICK, 2, 1, 100);
        engine.onInteraction(session, CLICK, 3, 2, 100);
        engine.onInteraction(session, CLICK, 1, 3, 100);
        assertEquals(0, engine.stats().rejectedDuplicates(), "id 1 was pushed out by ids 2 and 3");
        engine.onInteraction(session, CLICK, 3, 4, 100);
        assertEquals(1, engine.stats().rejectedDuplicates());
    }

    @Test
    void interactionsNoRuleCountsAreNeitherCountedNorRemembered() {
        start(new TriggerLimits(32, 60_000, 2, 5_000), THREE_IN_20S);
        engine.onInteraction(session, VIEW, 1, 0, 100);
        engine.onInteraction(session, VIEW, 1, 1, 100);
        assertEquals(0, engine.stats().rejectedDuplicates(), "views drive no rule here");
    }

    @Test
    void severalRulesCanFireOnOneInteractionAndStatsAddUp() {
        start(LOOSE, THREE_IN_20S, VIEW_CART_CHECKOUT,
                TriggerRule.atLeast("cart", 1, 1_000, TriggerAction.PIN_OFFER, ADD_TO_CART));
        feed(VIEW, 0);
        feed(CLICK, 100);
        feed(CHAT, 200);
        List<TriggerFiring> both = engine.onInteraction(session, ADD_TO_CART, 999, 300, 250);

        assertEquals(List.of("engaged", "cart"), both.stream().map(TriggerFiring::ruleId).toList());
        TriggerStats stats = engine.stats();
        assertEquals(List.of("engaged", "funnel", "cart"), List.copyOf(stats.firingsByRule().keySet()));
        assertEquals(List.of(1L, 0L, 1L), List.copyOf(stats.firingsByRule().values()));
        assertEquals(500, stats.decisionLatencyMicrosTotal());
        assertEquals(250, stats.decisionLatencyMicrosMax());
    }

    @Test
    void sessionStateIsSmallAndFixed() {
        var engine = new TriggerEngine(List.of(THREE_IN_20S, VIEW_CART_CHECKOUT), TriggerLimits.DEFAULT);
        // engaged: 1 + 3, funnel: 3, each rate ring 1 + 2, duplicates 1 + 8.
        assertEquals(4 + 3 + 3 + 3 + 9, engine.slotsPerSession());
    }

    @Test
    void rulesThatCannotBeEvaluatedAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TriggerRule("bad", List.of(VIEW, CLICK), 3, 1_000, true, TriggerAction.PIN_OFFER));
        assertThrows(IllegalArgumentException.class,
                () -> TriggerRule.atLeast("bad", 0, 1_000, TriggerAction.PIN_OFFER, VIEW));
        assertThrows(IllegalArgumentException.class,
                () -> TriggerRule.atLeast("bad", 2, 0, TriggerAction.PIN_OFFER, VIEW));
        assertThrows(IllegalArgumentException.class,
                () -> new TriggerEngine(List.of(THREE_IN_20S, THREE_IN_20S), LOOSE));
        var engine = new TriggerEngine(List.of(THREE_IN_20S), LOOSE);
        assertThrows(IllegalArgumentException.class,
                () -> engine.onInteraction(engine.newSession(1_000), CLICK, 1, 999, 0));
    }
}
