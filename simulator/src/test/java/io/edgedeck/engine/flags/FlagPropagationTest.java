package io.edgedeck.engine.flags;

import static io.edgedeck.engine.flags.FlagRegistryTest.OPERATOR;
import static io.edgedeck.engine.flags.FlagRegistryTest.REASON;
import static io.edgedeck.engine.flags.FlagRegistryTest.checkoutButton;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** PoP delays in {@link FlagRegistryTest#newRegistry()}: fra 100 ms, ams 250 ms, iad 400 ms. */
class FlagPropagationTest {
    private static final String KEY = "checkout-button";

    @Test
    void aNewFlagReachesEachPopAfterItsOwnDelayAndServesControlBefore() {
        var registry = FlagRegistryTest.newRegistry();
        registry.create(checkoutButton(10_000), OPERATOR, REASON, 1_000);

        assertEquals(0, registry.versionLiveAt(KEY, "fra", 1_099));
        assertTrue(registry.definitionAt(KEY, "fra", 1_099).isEmpty());
        FlagEvaluator notYet = registry.evaluatorAt(KEY, "fra", 1_099);
        assertEquals("off", notYet.variantName(notYet.evaluate("viewer-1", "fra", "eu", "acme")));

        assertEquals(1, registry.versionLiveAt(KEY, "fra", 1_100));
        FlagEvaluator live = registry.evaluatorAt(KEY, "fra", 1_100);
        assertEquals("on", live.variantName(live.evaluate("viewer-1", "fra", "eu", "acme")));
        assertEquals(0, registry.versionLiveAt(KEY, "iad", 1_399));
        assertEquals(1, registry.versionLiveAt(KEY, "iad", 1_400));
    }

    @Test
    void eachPopRunsTheVersionLiveThereUntilTheNewOneArrives() {
        var registry = FlagRegistryTest.newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        registry.change(KEY, 1, FlagUpdate.rollout(2000), OPERATOR, REASON, 10_000);
        registry.kill(KEY, OPERATOR, "errors", 10_200);

        // At 10 300: fra has the kill (10 200 + 100), ams has the 20% rollout (10 000 + 250), iad still 10%.
        assertEquals(3, registry.versionLiveAt(KEY, "fra", 10_300));
        assertTrue(registry.definitionAt(KEY, "fra", 10_300).orElseThrow().killed());
        assertEquals(2, registry.versionLiveAt(KEY, "ams", 10_300));
        assertEquals(2000, registry.definitionAt(KEY, "ams", 10_300).orElseThrow().weightOf("on"));
        assertEquals(1, registry.versionLiveAt(KEY, "iad", 10_300));
        assertEquals(1000, registry.definitionAt(KEY, "iad", 10_300).orElseThrow().weightOf("on"));

        assertEquals(1, registry.acknowledgedCount(KEY, 10_300));
        assertEquals(3, registry.versionLiveAt(KEY, "iad", 10_600));
        assertEquals(3, registry.acknowledgedCount(KEY, 10_600));
    }

    @Test
    void theKillReachesAPopOnlyAfterItsDelay() {
        var registry = FlagRegistryTest.newRegistry();
        registry.create(checkoutButton(10_000), OPERATOR, REASON, 0);
        registry.kill(KEY, OPERATOR, "errors", 5_000);

        FlagEvaluator beforeKill = registry.evaluatorAt(KEY, "iad", 5_399);
        FlagEvaluator afterKill = registry.evaluatorAt(KEY, "iad", 5_400);
        assertEquals("on", beforeKill.variantName(beforeKill.evaluate("viewer-9", "iad", "us", "acme")));
        assertEquals("off", afterKill.variantName(afterKill.evaluate("viewer-9", "iad", "us", "acme")));
    }

    @Test
    void fullPropagationIsReportedOnceEveryPopAcknowledged() {
        var registry = FlagRegistryTest.newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 2_000);

        assertEquals(2_400, registry.fullyPropagatedAtMillis(KEY));
        assertEquals(OptionalLong.empty(), registry.fullPropagationMillis(KEY, 2_399));
        assertEquals(OptionalLong.of(400), registry.fullPropagationMillis(KEY, 2_400));

        FlagView propagating = registry.view(KEY, 2_300);
        assertEquals(2, propagating.popsAcknowledged());
        assertEquals(3, propagating.popsTotal());
        assertNull(propagating.fullPropagationMillis());

        assertEquals(new FlagView(KEY, "one-click checkout under the player", "shop-team",
                List.of(new VariantView("on", 1000), new VariantView("off", 9000)), "off", "global", 1, false,
                3, 3, 400L), registry.view(KEY, 2_400));
    }

    @Test
    void olderVersionsStayAvailableWhileAnyPopMayRunThem() {
        var registry = FlagRegistryTest.newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        // Three changes inside iad's 400 ms delay: iad must still be able to serve each in turn.
        registry.change(KEY, 1, FlagUpdate.rollout(2000), OPERATOR, REASON, 1_000);
        registry.change(KEY, 2, FlagUpdate.rollout(3000), OPERATOR, REASON, 1_100);
        registry.change(KEY, 3, FlagUpdate.rollout(4000), OPERATOR, REASON, 1_200);

        assertEquals(1, registry.versionLiveAt(KEY, "iad", 1_399));
        assertEquals(2, registry.versionLiveAt(KEY, "iad", 1_400));
        assertEquals(3, registry.versionLiveAt(KEY, "iad", 1_500));
        assertEquals(4, registry.versionLiveAt(KEY, "iad", 1_600));
        assertEquals(3000, registry.definitionAt(KEY, "iad", 1_500).orElseThrow().weightOf("on"));
    }
}
