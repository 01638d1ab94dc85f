package io.edgedeck.simulator.show;

import io.edgedeck.client.model.CueRequest;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A mood shift (or a traffic surge) fired by hand while the scenario's own is in force: while both are in force
 * the latest sets the mood (the rate), and the hand-fired one ending leaves the scenario's in force until its own end.
 */
class OverlappingMoodShiftsTest {
    private static final ChatMix SCRIPTED = new ChatMix(0.05, 0.25, 0.70);

    @Test
    void aHandFiredShiftEndingLeavesTheScriptedOneInForce() {
        Scenario base = ScenarioCatalog.load("steady-show");
        // The scenario sours checkout-button/treatment from 1 s to 31 s.
        Scenario s = new Scenario(base.name(), base.description(), base.seed(), base.durationSeconds(), base.frameMillis(),
                base.pops(), base.regions(), base.audience(), base.flags(), base.triggers(), base.guardrails(),
                List.<Cue>of(new Cue.SentimentShift(1, "checkout-button", "treatment", SCRIPTED, 30)), base.approvals(), base.playbooks());
        Show show = new Show(new ShowDefinition(s, s.seed()), new MemoryJournal());
        stepTo(show, 5_000);
        assertEquals(SCRIPTED, show.audience().shiftedMood("checkout-button", "treatment"));

        show.fireCue(new CueRequest("sentiment-shift", List.of(), 0, 5, "checkout-button", "treatment", "ana"));
        stepTo(show, 8_000);
        assertEquals(ChatMix.SOUR, show.audience().shiftedMood("checkout-button", "treatment"), "the latest shift sets the mood");

        stepTo(show, 12_000);
        assertEquals(SCRIPTED, show.audience().shiftedMood("checkout-button", "treatment"),
                "the hand-fired shift ended at 10 s: the scenario's, meant to last to 31 s, is in force again");

        stepTo(show, 32_000);
        assertNull(show.audience().shiftedMood("checkout-button", "treatment"), "both ended: the variant's own mood");
    }

    @Test
    void aHandFiredSurgeEndingLeavesTheScriptedOneInForce() {
        Scenario base = ScenarioCatalog.load("steady-show");
        // The scenario triples arrivals from 1 s to 31 s.
        Scenario s = new Scenario(base.name(), base.description(), base.seed(), base.durationSeconds(), base.frameMillis(),
                base.pops(), base.regions(), base.audience(), base.flags(), base.triggers(), base.guardrails(),
                List.<Cue>of(new Cue.TrafficSurge(1, 3, 30)), base.approvals(), base.playbooks());
        Show show = new Show(new ShowDefinition(s, s.seed()), new MemoryJournal());
        stepTo(show, 5_000);
        assertEquals(3.0, show.audience().surge());

        show.fireCue(new CueRequest("traffic-surge", List.of(), 2, 5, null, null, "ana"));
        stepTo(show, 8_000);
        assertEquals(2.0, show.audience().surge(), "the latest surge sets the rate");

        stepTo(show, 12_000);
        assertEquals(3.0, show.audience().surge(), "the hand-fired surge ended at 10 s: the scenario's, meant to last to 31 s, is in force again");

        stepTo(show, 32_000);
        assertEquals(1.0, show.audience().surge(), "both ended: the scenario's own rate");
    }

    private static void stepTo(Show show, long millis) {
        while (show.core().nowMillis() < millis) {
            show.step();
        }
    }
}
