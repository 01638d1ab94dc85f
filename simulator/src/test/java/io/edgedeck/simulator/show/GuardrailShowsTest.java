package io.edgedeck.simulator.show;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guardrail promises producers rely on, checked on the built-in shows. */
class GuardrailShowsTest {

    private static Show play(String name, long seed) {
        Show show = new Show(new ShowDefinition(ScenarioCatalog.load(name), seed), new MemoryJournal());
        while (!show.finished()) {
            show.step();
        }
        return show;
    }

    @Test
    void sentimentCrashRollsTheBadVariantBackWithinOneWindowOfTheDrop() {
        Scenario scenario = ScenarioCatalog.load("sentiment-crash");
        Cue.SentimentShift drop = scenario.cues().stream().filter(Cue.SentimentShift.class::isInstance)
                .map(Cue.SentimentShift.class::cast).findFirst().orElseThrow();
        int window = scenario.guardrails().getFirst().windowSeconds();
        Show show = play("sentiment-crash", scenario.seed());
        List<RunReport.GuardrailFiring> firings = show.guardrailFirings();
        assertEquals(1, firings.size(), firings.toString());
        RunReport.GuardrailFiring f = firings.getFirst();
        assertEquals("rollback", f.action());
        assertEquals(drop.variant(), f.variant());
        assertTrue(f.atSeconds() > drop.atSeconds() && f.atSeconds() <= drop.atSeconds() + window,
                "fired at " + f.atSeconds() + " s; the drop was at " + drop.atSeconds() + " s, the window " + window + " s");
        FlagView flag = show.core().experiments().views(show.core().nowMillis()).stream()
                .filter(v -> v.key().equals(drop.flag())).findFirst().orElseThrow();
        assertEquals(0, flag.variants().stream().filter(v -> v.name().equals(drop.variant())).findFirst().orElseThrow().weight(),
                "the rolled-back variant serves nobody");
        assertEquals(flag.popsTotal(), flag.popsAcknowledged(), "the rollback reached every PoP");
        assertTrue(show.core().experiments().audit().stream().anyMatch(a -> a.actor().equals("guardrail:" + f.rule())
                && a.action().equals("flag.rollback")), "the rollback is audited under the rule's name");
        assertTrue(show.core().journal().records().stream().anyMatch(JournalRecord.GuardrailFired.class::isInstance));
        GuardrailFiring inFrame = show.frame(io.edgedeck.client.model.ShowState.FINISHED, 0).firings().getFirst();
        assertTrue(inFrame.values().get("sentimentChange") < -0.15, inFrame.values().toString());
    }

    /** A 30% conversion drop at 60 arrivals/s: the conversion guard rolls it back; the latency guard, on identical latency, does not. */
    @Test
    void conversionDropIsRolledBackByTheConversionGuardAlone() {
        Scenario scenario = ScenarioCatalog.load("conversion-drop");
        Show show = play("conversion-drop", scenario.seed());
        List<RunReport.GuardrailFiring> firings = show.guardrailFirings();
        assertEquals(1, firings.size(), firings.toString());
        RunReport.GuardrailFiring f = firings.getFirst();
        assertEquals("conversion-guard", f.rule());
        double dwell = scenario.audience().session().meanDwellSeconds();
        assertTrue(f.atSeconds() < dwell + 180, "fired at " + f.atSeconds() + " s");
        assertTrue(f.reason().contains("conversion lift -") && f.reason().contains("clearly below control and below -10%"), f.reason());
    }

    @Test
    void eachVariantHasItsOwnReactionIndex() {
        var scenario = ScenarioCatalog.load("sentiment-crash");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        // The guardrail would roll treatment back soon after the drop; this is about chat, so it only watches.
        show.core().guardrails().setArmed(scenario.guardrails().getFirst().id(), false, "ana", "watching chat only", 0);
        // 28 s after the drop: the minute window is part sour already.
        while (show.core().nowMillis() < 328_000) {
            show.step();
        }
        var byVariant = show.variantMetrics().stream()
                .collect(java.util.stream.Collectors.toMap(v -> v.variant(), v -> v.chat()));
        var control = byVariant.get("control");
        var treatment = byVariant.get("treatment");
        assertTrue(control.messagesPerMinute() > 100 && treatment.messagesPerMinute() > 100,
                control.messagesPerMinute() + " / " + treatment.messagesPerMinute());
        assertTrue(treatment.netSentiment() < control.netSentiment() - 12,
                "after the drop, treatment's chat is net " + treatment.netSentiment() + "%, control's " + control.netSentiment() + "%");
        assertFalse(control.topEmotes().isEmpty());
    }

    /** The full 100-seed figure is `sweep --scenario no-effect --seeds 100` (docs/GUARDRAILS.md). */
    @Test
    void noEffectDoesNotRollBackOnNoise() {
        int fired = 0;
        for (long seed = 1; seed <= 8; seed++) {
            if (!play("no-effect", seed).guardrailFirings().isEmpty()) {
                fired++;
            }
        }
        assertEquals(0, fired, "identical variants rolled back in " + fired + " of 8 seeds");
    }

    @Test
    void aDisarmedGuardrailReportsTheBreachButDoesNotAct() {
        Scenario scenario = ScenarioCatalog.load("sentiment-crash");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        String rule = scenario.guardrails().getFirst().id();
        show.core().guardrails().setArmed(rule, false, "ana", "rehearsing without the net", 0);
        boolean sawBreach = false;
        while (!show.finished()) {
            show.step();
            sawBreach |= show.core().guardrails().statuses().getFirst().state() == GuardrailState.BREACHED;
        }
        assertTrue(sawBreach, "the rule still says it holds");
        assertTrue(show.guardrailFirings().isEmpty());
        assertFalse(show.core().experiments().audit().stream().anyMatch(a -> a.action().equals("flag.rollback")));
    }
}
