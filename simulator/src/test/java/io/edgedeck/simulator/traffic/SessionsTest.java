package io.edgedeck.simulator.traffic;

import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerLimits;
import io.edgedeck.engine.triggers.TriggerRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Sessions keep every field where it was written through arrivals, departures (the last session
 * taking the leaver's slot), growth past the first thousand and flags added while sessions are in:
 * checked field by field against plain objects after random operations, with long fields past 32
 * bits and the trigger state's start carried along.
 */
class SessionsTest {
    private record Flag(int arm, int served, long version, boolean moved) {
    }

    private static final class Expected {
        int route;
        int tenant;
        byte cart;
        long unit;
        long nextEventId = 1;
        long startedAt;
        final List<Flag> flags = new ArrayList<>();
    }

    @Test
    void everyFieldSurvivesArrivalsDeparturesGrowthAndNewFlags() {
        var triggers = new TriggerEngine(List.of(TriggerRule.atLeast("clicks", 3, 20_000, TriggerAction.SURFACE_CHECKOUT,
                InteractionKind.CLICK)), TriggerLimits.DEFAULT);
        var sessions = new Sessions(triggers.recordInts());
        List<Expected> expected = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        int flags = 0;
        for (int step = 0; step < 60_000; step++) {
            int what = random.nextInt(100);
            if (what == 0 && flags < 6) {
                flags++;
                sessions.ensureFlagColumns(flags);
                for (Expected e : expected) {
                    e.flags.add(new Flag(-1, -1, -1, false));
                }
            } else if (expected.isEmpty() || what < 45 && expected.size() < 5_000) {
                long now = random.nextLong(1L << 40);
                var e = new Expected();
                e.route = random.nextInt(50);
                e.tenant = random.nextInt(3);
                e.unit = random.nextLong();
                e.startedAt = now;
                for (int f = 0; f < flags; f++) {
                    e.flags.add(new Flag(-1, -1, -1, false));
                }
                assertEquals(expected.size(), sessions.add(e.route, e.unit, e.tenant, triggers, now));
                expected.add(e);
            } else if (what < 60) {
                int slot = random.nextInt(expected.size());
                sessions.remove(slot);
                expected.set(slot, expected.getLast());
                expected.removeLast();
            } else {
                int slot = random.nextInt(expected.size());
                Expected e = expected.get(slot);
                if (random.nextBoolean()) {
                    assertEquals(e.nextEventId++, sessions.takeEventId(slot));
                }
                byte cart = random.nextBoolean() ? Sessions.IN_CART : Sessions.NONE;
                sessions.cart(slot, cart);
                e.cart = cart;
                if (flags > 0) {
                    int f = random.nextInt(flags);
                    var flag = new Flag(random.nextInt(-1, 9), random.nextInt(-1, 9), random.nextLong(), random.nextBoolean());
                    sessions.arm(slot, f, flag.arm());
                    sessions.served(slot, f, flag.served());
                    sessions.version(slot, f, flag.version());
                    sessions.moved(slot, f, flag.moved());
                    e.flags.set(f, flag);
                }
            }
        }
        assertEquals(expected.size(), sessions.active);
        assertEquals(flags, sessions.flags());
        for (int slot = 0; slot < expected.size(); slot++) {
            Expected e = expected.get(slot);
            assertEquals(e.route, sessions.route(slot));
            assertEquals(e.tenant, sessions.tenant(slot));
            assertEquals(e.cart, sessions.cart(slot));
            assertEquals(e.unit, sessions.unit(slot));
            assertEquals(e.nextEventId, sessions.takeEventId(slot));
            for (int f = 0; f < flags; f++) {
                Flag flag = e.flags.get(f);
                assertEquals(flag.arm(), sessions.arm(slot, f));
                assertEquals(flag.served(), sessions.served(slot, f));
                assertEquals(flag.version(), sessions.version(slot, f));
                assertEquals(flag.moved(), sessions.moved(slot, f));
            }
            // the trigger state came along: an interaction at the session's start is inside it, one before is not
            int base = sessions.triggerBase(slot);
            triggers.onInteraction(sessions.triggerRecords(), base, InteractionKind.CLICK, 1, e.startedAt, 0);
            long before = e.startedAt - 1;
            assertThrows(IllegalArgumentException.class,
                    () -> triggers.onInteraction(sessions.triggerRecords(), base, InteractionKind.CLICK, 2, before, 0));
        }
    }
}
