package io.edgedeck.engine.experiments;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.pops.PopSite;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * "Live at N of M PoPs" counts the PoPs that run the latest version as the engine evaluates it, not
 * the PoPs the version was due at: a PoP that has not taken a version is never reported as running it.
 */
class FlagAcknowledgementTest {
    private static final String KEY = "checkout-button";

    private static Experiments experiments() {
        return new Experiments(List.of(PopSite.of("fra", "eu", 100), PopSite.of("ams", "eu", 250), PopSite.of("iad", "na", 400)),
                List.of("eu", "na"), new MemoryJournal());
    }

    private static FlagDefinition checkoutButton() {
        return FlagDefinition.booleanFlag(KEY, "one-click checkout", "shop-team", 5000, Scope.GLOBAL, "2026-spring", 42L);
    }

    @Test
    void aVersionCountsAtAPopOnceThePopRunsIt() {
        Experiments e = experiments();
        e.create(checkoutButton(), "ops", "launch", 1_000);
        e.refresh(1_000);
        assertEquals(0, e.view(KEY, 1_000).popsAcknowledged());

        // Due at fra from 1 100 and everywhere from 1 400, but no PoP has taken it until a refresh says so.
        FlagView due = e.view(KEY, 1_400);
        assertEquals(0, due.popsAcknowledged(), "no PoP runs the version yet: " + due);
        assertNull(due.fullPropagationMillis());

        e.refresh(1_100);
        assertEquals(1, e.view(KEY, 1_100).popsAcknowledged());
        e.refresh(1_400);
        FlagView live = e.view(KEY, 1_400);
        assertEquals(3, live.popsAcknowledged());
        assertEquals(3, live.popsTotal());
        assertEquals(400L, live.fullPropagationMillis());
        assertEquals(List.of(live), e.views(1_400));
    }

    @Test
    void aNewVersionCountsAgainFromNothingAsItReachesEachPop() {
        Experiments e = experiments();
        e.create(checkoutButton(), "ops", "launch", 0);
        e.refresh(400);
        e.kill(KEY, "ops", "errors", 10_000);
        assertEquals(0, e.view(KEY, 10_000).popsAcknowledged(), "the kill runs nowhere before the next refresh");
        e.refresh(10_250);
        FlagView halfway = e.view(KEY, 10_250);
        assertEquals(2, halfway.version());
        assertEquals(2, halfway.popsAcknowledged());
        assertNull(halfway.fullPropagationMillis());
    }

    @Test
    void aPopWhoseDelayFallsBetweenTicksTakesTheVersionAtTheNextTick() {
        Experiments e = new Experiments(List.of(PopSite.of("fra", "eu", 0), PopSite.of("iad", "na", 125)),
                List.of("eu", "na"), new MemoryJournal());
        e.create(checkoutButton(), "ops", "launch", 1_000);
        for (long now = 1_000; now <= 1_500; now += 10) {
            e.refresh(now);
        }
        assertEquals(2, e.view(KEY, 1_500).popsAcknowledged(), "iad (125 ms) never took the version");
        e.kill(KEY, "ops", "errors", 2_000);
        for (long now = 2_000; now <= 2_500; now += 10) {
            e.refresh(now);
        }
        FlagView killed = e.view(KEY, 2_500);
        assertEquals(2, killed.version());
        assertEquals(2, killed.popsAcknowledged(), "the kill never reached iad: " + killed);
    }
}
