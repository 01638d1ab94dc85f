package io.edgedeck.console.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.console.common.Background;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MeanDifference;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.LiveClocks;
import io.edgedeck.console.common.ShowClock;
import io.edgedeck.console.common.Status;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardrailsViewModelTest {

    static GuardrailStatus guard(GuardrailState state, boolean established) {
        return new GuardrailStatus("sentiment-guard", "offer-banner", "treatment", RuleMatch.ALL, GuardrailAction.ROLLBACK, true,
                state, List.of(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15, -0.21, -0.3,
                                established ? -0.16 : 0.02, established,
                                established ? ConditionState.HARM_ESTABLISHED : ConditionState.PAST_THRESHOLD, 0.995),
                        ConditionStatus.noData(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, 0.03)),
                400, 410, 300, 90, null, 1000L, 271_000L, 0.02);
    }

    private final GuardrailsViewModel vm = new GuardrailsViewModel(null, new SimpleStringProperty("ana"), Background.sameThread());

    @Test
    void onlyAutomaticRollbacksSeenHappeningRaiseAnAlert() {
        List<GuardrailFiring> firings = new ArrayList<>(List.of(Frames.firing(10_000, true)));
        vm.onTick(Frames.frame(20_000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard(GuardrailState.WATCHING, false)), firings, null), true, 0);
        assertNull(vm.latestAlertProperty().get(), "a firing from before the console watched is history");

        firings.add(Frames.firing(21_000, false));
        vm.onTick(Frames.frame(21_000, null, null, null, null, List.of(guard(GuardrailState.WATCHING, false)), firings, null), true, 0);
        assertNull(vm.latestAlertProperty().get(), "a producer's own rollback is not news to them");

        firings.add(Frames.firing(322_000, true));
        vm.onTick(Frames.frame(322_000, null, null, null, null, List.of(guard(GuardrailState.FIRED, true)), firings, null), true, 0);
        GuardrailsViewModel.Alert alert = vm.latestAlertProperty().get();
        assertEquals("Guardrail sentiment-guard rolled back offer-banner / treatment", alert.title());
        assertTrue(alert.text().startsWith("at 05:22 · sentiment change -40% · since 04:30: sentiment change -40%"), alert.text());
        assertEquals(3, vm.firings().size());
        assertEquals(322_000, vm.firings().getFirst().atMillis(), "newest first");
        assertEquals(Status.BAD, vm.rows().getFirst().status());
    }

    /** Issue 19: explanations in words that read true, never "conversionLift 0.264 (< 0.030)". */
    @Test
    void conditionsReadAsSentencesWithTheEndOfTheIntervalThatMatters() {
        assertEquals("sentiment change -21% (at most -16%): clearly below control and below -15%",
                GuardrailsViewModel.condition(guard(GuardrailState.WATCHING, true).conditions().getFirst()));
        assertEquals("sentiment change -21% (could be as high as +2%): below -15% but not clearly below control yet",
                GuardrailsViewModel.condition(guard(GuardrailState.WATCHING, false).conditions().getFirst()));
        assertEquals("conversion lift < 3%: not enough data yet",
                GuardrailsViewModel.condition(guard(GuardrailState.WATCHING, true).conditions().get(1)));
        assertEquals("conversion lift +26% (could be as low as -4%): not clearly above 3%", GuardrailsViewModel.condition(
                new ConditionStatus(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, 0.03, 0.264, -0.04, 0.61, false,
                        ConditionState.NOT_RULED_OUT, 0.995)));
        assertEquals("p95 latency vs control x1.45 (at least x1.22): clearly above control and above x1.20",
                GuardrailsViewModel.condition(new ConditionStatus(GuardrailMetric.P95_LATENCY_RATIO, ComparisonOp.GT, 1.2, 1.45,
                        1.22, 1.71, true, ConditionState.HARM_ESTABLISHED, 0.995)));
        assertEquals("p95 latency 180 ms (at most 210 ms): clearly below 400 ms", GuardrailsViewModel.condition(
                new ConditionStatus(GuardrailMetric.P95_LATENCY_MS, ComparisonOp.GT, 400, 180.0, 150.0, 210.0, false,
                        ConditionState.RULED_OUT, 0.99)));
    }

    @Test
    void aRuleShowsThePeriodItJudgesAndItsEvidence() {
        GuardrailsViewModel.RuleRow row = GuardrailsViewModel.row(guard(GuardrailState.WATCHING, false), "", new ShowClock());
        assertTrue(row.conditions().startsWith("since 04:31 · sentiment change -21%"), row.conditions());
        assertTrue(row.conditions().contains("\nAND conversion lift < 3%: not enough data yet"), row.conditions());
        assertTrue(row.exposures().startsWith("exposures 400 variant / 410 control since 00:01 (min 300)"), row.exposures());
        assertEquals(Status.WARN, row.status(), "past its threshold, not yet clear: worth a look, not an alarm");
    }

    /** Over a control whose chat may be neutral, the row gives the difference of the mean scores as the estimate, not the share. */
    @Test
    void aSentimentChangeWithNoBoundAsAShareShowsItsScoreInTheRow() {
        GuardrailStatus g = guard(GuardrailState.WATCHING, false);
        var neutral = new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15, -2.1, null, null, false,
                ConditionState.PAST_THRESHOLD, 0.995, new MeanDifference(-0.21, -0.3, 0.02));
        GuardrailStatus shown = new GuardrailStatus(g.id(), g.flag(), g.variant(), g.match(), g.action(), g.armed(), g.state(),
                List.of(neutral, g.conditions().get(1)), g.variantExposures(), g.controlExposures(), g.minExposures(),
                g.windowSeconds(), g.lastFiredAtMillis(), g.evidenceSinceMillis(), g.periodSinceMillis(), g.alpha());
        GuardrailsViewModel.RuleRow row = GuardrailsViewModel.row(shown, "", new ShowClock());
        assertTrue(row.conditions().contains("sentiment change score -0.21 (-0.30 to +0.02 on a scale of -1 to 1; no bound as a"
                + " share: control's chat may be neutral): below -15%"), row.conditions());
        assertFalse(row.conditions().contains("-210%"), "a share nobody can bound is not shown as a number: " + row.conditions());
    }

    @Test
    void onALiveNodeARulesPeriodEvidenceAndFiringAreOnTheWallClock() {
        GuardrailsViewModel.RuleRow row = GuardrailsViewModel.row(guard(GuardrailState.WATCHING, false), "", LiveClocks.live());
        assertTrue(row.conditions().startsWith("since " + LiveClocks.wall(271_000) + " · sentiment change"), row.conditions());
        assertTrue(row.exposures().contains(" control since " + LiveClocks.wall(1_000) + " (min 300)"), row.exposures());
        GuardrailsViewModel.Alert alert = GuardrailsViewModel.alert(Frames.firing(322_000, true), LiveClocks.live());
        assertTrue(alert.text().startsWith("at " + LiveClocks.wall(322_000) + " · "), alert.text());
    }

    @Test
    void aRuleTheFleetDecidesSaysSoBesideItsState() {
        GuardrailsViewModel.RuleRow here = GuardrailsViewModel.row(guard(GuardrailState.BREACHED, true), "", new ShowClock());
        assertEquals("breached", here.state());
        GuardrailsViewModel.RuleRow fleet = GuardrailsViewModel.row(guard(GuardrailState.BREACHED, true)
                .withDecidedBy(io.edgedeck.client.model.GuardrailStatus.DECIDED_BY_FLEET), "", new ShowClock());
        assertEquals("breached\nthe fleet decides", fleet.state());
        assertEquals(Status.BAD, fleet.status());
    }

    @Test
    void theRollbackTargetIsTheSelectedRulesVariant() {
        vm.onTick(Frames.frame(1000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard(GuardrailState.WATCHING, false)), List.of(), null), true, 0);
        assertEquals(new GuardrailsViewModel.Target("offer-banner", "treatment", "control", true), vm.targetProperty().get());
    }

    @Test
    void aVariantAtZeroHasNothingToRollBack() {
        vm.onTick(Frames.frame(1000, null, null, null, List.of(Frames.flag("offer-banner", 2, 0)),
                List.of(guard(GuardrailState.FIRED, false)), List.of(), null), true, 0);
        GuardrailsViewModel.Target t = vm.targetProperty().get();
        assertFalse(t.serving());
        assertEquals("offer-banner / treatment serves nobody (0%)", t.describe());
        assertEquals("Nothing to roll back: offer-banner / treatment is at 0% already", t.notOffered());
        // Ramped up again: offered again.
        vm.onTick(Frames.frame(2000, null, null, null, List.of(Frames.flag("offer-banner", 3, 1000)),
                List.of(guard(GuardrailState.WATCHING, false)), List.of(), null), true, 0);
        assertTrue(vm.targetProperty().get().serving());
        assertEquals("", vm.targetProperty().get().notOffered());
    }

    @Test
    void aFinishedShowHasNothingToRollBackEvenAtFullWeight() {
        var running = Frames.frame(1000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard(GuardrailState.WATCHING, false)), List.of(), null);
        vm.onTick(running, true, 0);
        assertTrue(vm.targetProperty().get().offered());
        vm.onTick(running.withRunState(running.sequence() + 1, io.edgedeck.client.model.ShowState.FINISHED, 1), true, 0);
        GuardrailsViewModel.Target t = vm.targetProperty().get();
        assertTrue(t.serving(), "its weight is unchanged");
        assertFalse(t.offered());
        assertEquals("offer-banner / treatment · the show has ended", t.describe());
        assertEquals("Nothing to roll back: the show has ended, so offer-banner / treatment serves nobody", t.notOffered());
    }

    @Test
    void withoutRulesTheTargetIsTheFirstFlagsVariant() {
        vm.onTick(Frames.frame(1000, null, null, null, List.of(Frames.flag("checkout-button", 1, 5000)),
                List.of(), List.of(), null), true, 0);
        assertEquals("checkout-button / treatment → control", vm.targetProperty().get().describe());
    }

    /** A pre-flight's progress and result reach the view model at the next tick, never by themselves. */
    @Test
    void aPreflightReportsThroughTheTick() throws Exception {
        AtomicReference<PreflightEstimator.Progress> progress = new AtomicReference<>();
        CompletableFuture<List<PreflightEstimator.Estimate>> result = new CompletableFuture<>();
        PreflightEstimator fake = estimator(progress, result);
        GuardrailsViewModel model = new GuardrailsViewModel(null, new SimpleStringProperty("ana"), Background.sameThread(), fake);
        var frame = Frames.frame(1000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard(GuardrailState.WATCHING, false)), List.of(), null);
        model.onTick(frame, true, 0);
        assertTrue(model.preflight().availableProperty().get());
        model.preflight().toggle();
        assertTrue(model.preflight().runningProperty().get());
        Thread worker = Thread.ofPlatform().start(() -> {
            for (int i = 1; i <= 40; i++) {
                progress.get().played(i, 40);
            }
        });
        worker.join();
        assertEquals(0, model.preflight().progressProperty().get(), "nothing moves between ticks");
        model.onTick(frame, false, 100);
        assertEquals(1.0, model.preflight().progressProperty().get());
        assertTrue(model.preflight().messageProperty().get().contains("40 of 40"), model.preflight().messageProperty().get());
        Thread.ofPlatform().start(() -> result.complete(List.of(new PreflightEstimator.Estimate("sentiment-guard",
                "would catch sour chat in ~6 s (9 in 10 within 9 s; caught in 20 of 20 shows); false rollbacks 0 in 20 shows")))).join();
        assertEquals("", model.rows().getFirst().preflight());
        model.onTick(frame, false, 200);
        assertFalse(model.preflight().runningProperty().get());
        assertTrue(model.rows().getFirst().preflight().startsWith("would catch sour chat in ~6 s"), model.rows().getFirst().preflight());
        // a new show (its clock went back) drops estimates made for the old one
        model.onTick(Frames.frame(500, null, null, null, null, List.of(guard(GuardrailState.WATCHING, false)), List.of(), null), true, 0);
        assertEquals("", model.rows().getFirst().preflight());
    }
    /**
     * The estimate over the first seeds shows at the next tick, before the pre-flight is done, and
     * the message says it is still refining; a cancelled run's late report changes nothing.
     */
    @Test
    void aPreflightShowsItsFirstSeedsEstimateWhileItRefines() throws Exception {
        AtomicReference<PreflightEstimator.Progress> progress = new AtomicReference<>();
        PreflightEstimator fake = estimator(progress, new CompletableFuture<>());
        GuardrailsViewModel model = new GuardrailsViewModel(null, new SimpleStringProperty("ana"), Background.sameThread(), fake);
        var frame = Frames.frame(1000, null, null, null, List.of(Frames.flag("offer-banner", 1, 5000)),
                List.of(guard(GuardrailState.WATCHING, false)), List.of(), null);
        model.onTick(frame, true, 0);
        model.preflight().toggle();
        PreflightEstimator.Progress first = progress.get();
        Thread.ofPlatform().start(() -> {
            first.played(6, 40);
            first.refined(3, List.of(new PreflightEstimator.Estimate("sentiment-guard",
                    "would catch sour chat in ~7 s (9 in 10 within 8 s; caught in 3 of 3 shows); false rollbacks 0 in 3 shows")));
        }).join();
        assertEquals("", model.rows().getFirst().preflight(), "nothing moves between ticks");
        model.onTick(frame, false, 100);
        assertTrue(model.preflight().runningProperty().get());
        assertTrue(model.rows().getFirst().preflight().contains("caught in 3 of 3 shows"), model.rows().getFirst().preflight());
        String message = model.preflight().messageProperty().get();
        assertTrue(message.contains("6 of 40") && message.contains("seeds 1 to 3, refining"), message);

        model.preflight().toggle();
        assertEquals("Pre-flight cancelled: the estimates shown are from seeds 1 to 3 only", model.preflight().messageProperty().get());
        model.preflight().toggle();
        model.onTick(frame, false, 200);
        assertEquals("", model.rows().getFirst().preflight(), "a new pre-flight drops the last one's estimates");
        Thread.ofPlatform().start(() -> first.refined(4, List.of(new PreflightEstimator.Estimate("sentiment-guard", "stale")))).join();
        model.onTick(frame, false, 300);
        assertEquals("", model.rows().getFirst().preflight(), "the cancelled run's late report is not shown");
    }

    /** An estimator that hands its progress out and answers with {@code result}. */
    private static PreflightEstimator estimator(AtomicReference<PreflightEstimator.Progress> progress,
                                                CompletableFuture<List<PreflightEstimator.Estimate>> result) {
        return new PreflightEstimator() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public CompletableFuture<List<Estimate>> estimate(PreflightEffect effect, int seeds, Progress p) {
                progress.set(p);
                return result;
            }
        };
    }
}
