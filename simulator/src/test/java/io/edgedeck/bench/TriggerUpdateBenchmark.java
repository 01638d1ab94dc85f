package io.edgedeck.bench;

import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.SessionTriggerState;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerFiring;
import io.edgedeck.engine.triggers.TriggerLimits;
import io.edgedeck.engine.triggers.TriggerRule;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One interaction fed to a session under three typical rules (two unordered, one sequence), with
 * the duplicate check and rate limit on. Interactions are spread over many sessions so state is
 * not always in the L1 cache, and virtual time advances 1 ms per interaction.
 */
@State(Scope.Thread)
public class TriggerUpdateBenchmark extends ShortRun {
    private static final int SESSIONS = 1 << 14;
    private static final int EVENTS = 1 << 16;

    private TriggerEngine engine;
    private SessionTriggerState[] sessions;
    private int[] sessionOfEvent;
    private InteractionKind[] kindOfEvent;
    private int next;
    private long now;
    private long eventId;

    @Setup
    public void setUp() {
        engine = new TriggerEngine(List.of(
                TriggerRule.atLeast("engaged", 3, 20_000, TriggerAction.SURFACE_CHECKOUT,
                        InteractionKind.CLICK, InteractionKind.CHAT, InteractionKind.ADD_TO_CART),
                TriggerRule.atLeast("chatty", 5, 60_000, TriggerAction.GRANT_BADGE, InteractionKind.CHAT),
                TriggerRule.sequence("funnel", 30_000, TriggerAction.PIN_OFFER,
                        InteractionKind.VIEW, InteractionKind.ADD_TO_CART, InteractionKind.CHECKOUT)),
                TriggerLimits.DEFAULT);
        sessions = new SessionTriggerState[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
            sessions[i] = engine.newSession(0);
        }
        var random = new SplittableRandom(42);
        InteractionKind[] kinds = InteractionKind.values();
        sessionOfEvent = new int[EVENTS];
        kindOfEvent = new InteractionKind[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            sessionOfEvent[i] = random.nextInt(SESSIONS);
            kindOfEvent[i] = kinds[random.nextInt(kinds.length)];
        }
    }

    @Benchmark
    public List<TriggerFiring> onInteraction() {
        int i = next;
        next = (i + 1) & (EVENTS - 1);
        return engine.onInteraction(sessions[sessionOfEvent[i]], kindOfEvent[i], ++eventId, ++now, 150);
    }
}
