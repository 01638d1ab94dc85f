package io.edgedeck.console.guardrails;

import io.edgedeck.console.common.Background;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.Status;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardrailsViewModelTest {

    static GuardrailStatus guard(String state, boolean holds) {
        return new GuardrailStatus("sentiment-guard", "offer-banner", "treatment", "all", "rollback", true, state,
                List.of(new ConditionStatus("sentimentChange", "<", -0.15, -0.21, -0.3, -0.16, holds),
                        new ConditionStatus("conversionLift", "<", 0.03, null, null, null, false)),
                400, 410, 300, 90, null);
    }

    private final GuardrailsViewModel vm = new GuardrailsViewModel(null, new SimpleStringProperty("ana"), Background.sameThread());

    @Test
    void onlyAutomaticRollbacksSeenHappeningRaiseAnAlert() {
        List<GuardrailFiring> firings = new ArrayList<>(List.of(Frames.firing(10_000, true)));
        vm.onTick(Frames.frame(20_000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard("watching", false)), firings, null), true, 0);
        assertNull(vm.latestAlertProperty().get(), "a firing from before the console watched is history");

        firings.add(Frames.firing(21_000, false));
        vm.onTick(Frames.frame(21_000, null, null, null, null, List.of(guard("watching", false)), firings, null), true, 0);
        assertNull(vm.latestAlertProperty().get(), "a producer's own rollback is not news to them");

        firings.add(Frames.firing(322_000, true));
        vm.onTick(Frames.frame(322_000, null, null, null, null, List.of(guard("fired", true)), firings, null), true, 0);
        GuardrailsViewModel.Alert alert = vm.latestAlertProperty().get();
        assertEquals("Guardrail sentiment-guard rolled back offer-banner / treatment", alert.title());
        assertTrue(alert.text().startsWith("at 05:22 · sentiment change -40.0%"), alert.text());
        assertEquals(3, vm.firings().size());
        assertEquals(322_000, vm.firings().getFirst().atMillis(), "newest first");
        assertEquals(Status.BAD, vm.rows().getFirst().status());
    }

    @Test
    void conditionsShowTheEstimateItsIntervalAndTheThreshold() {
        assertEquals("sentiment change -21.0% [-30.0%, -16.0%] < -15.0% · HOLDS",
                GuardrailsViewModel.condition(guard("watching", true).conditions().getFirst()));
        assertEquals("conversion lift < +3.0% · no estimate yet",
                GuardrailsViewModel.condition(guard("watching", true).conditions().get(1)));
        assertEquals("p95 latency 180 ms [150 ms, 210 ms] > 120 ms · does not hold", GuardrailsViewModel.condition(
                new ConditionStatus("p95LatencyMs", ">", 120, 180.0, 150.0, 210.0, false)));
    }

    @Test
    void theRollbackTargetIsTheSelectedRulesVariant() {
        vm.onTick(Frames.frame(1000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard("watching", false)), List.of(), null), true, 0);
        assertEquals(new GuardrailsViewModel.Target("offer-banner", "treatment", "control"), vm.targetProperty().get());
        assertEquals(Status.OK, vm.rows().getFirst().status());
    }

    @Test
    void withoutRulesTheTargetIsTheFirstFlagsVariant() {
        vm.onTick(Frames.frame(1000, null, null, null, List.of(Frames.flag("checkout-button", 1, 5000)),
                List.of(), List.of(), null), true, 0);
        assertEquals("checkout-button / treatment → control", vm.targetProperty().get().describe());
    }
}
