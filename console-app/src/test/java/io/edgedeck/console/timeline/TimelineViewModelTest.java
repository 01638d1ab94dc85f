package io.edgedeck.console.timeline;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.Frames;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineViewModelTest {

    @Test
    void historyStaysBoundedAndKeepsTheWholeShow() {
        TimelineViewModel vm = new TimelineViewModel();
        int seconds = 5 * 3600;
        for (int s = 0; s < seconds; s++) {
            double p95 = s == 100 ? 900 : 40;
            vm.apply(Frames.frame(s * 1000L, List.of(Frames.pop("fra", p95, PopHealth.UP)), null, null, null, null, null, null));
        }
        assertTrue(vm.samples().size() <= TimelineViewModel.MAX_SAMPLES, "samples: " + vm.samples().size());
        assertEquals(0, vm.samples().getFirst().atMillis(), "the start of the show is still there");
        assertEquals((seconds - 1) * 1000L, vm.samples().getLast().atMillis());
        assertEquals(900, vm.samples().stream().mapToDouble(TimelineViewModel.Sample::worstP95Ms).max().orElseThrow(),
                "a spike survives downsampling");
    }

    /** A second no PoP served a request has no latency to draw: a gap (NaN), never 0 ms, which reads as perfect latency. */
    @Test
    void aSecondWithoutRequestsIsAGapNotZeroMilliseconds() {
        TimelineViewModel vm = new TimelineViewModel();
        var idle = new io.edgedeck.client.model.PopMetrics("fra", "eu", PopHealth.UP, io.edgedeck.client.model.LatencyWindow.empty(10),
                io.edgedeck.client.model.LatencyWindow.empty(60), 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        vm.apply(Frames.frame(0, List.of(idle), null, null, null, null, null, null));
        vm.apply(Frames.frame(1000, List.of(Frames.pop("fra", 40, PopHealth.UP)), null, null, null, null, null, null));
        assertTrue(Double.isNaN(vm.samples().getFirst().worstP95Ms()), vm.samples().toString());
        assertTrue(Double.isNaN(vm.samples().getFirst().meanP95Ms()), vm.samples().toString());
        assertEquals(40, vm.samples().getLast().worstP95Ms(), 1e-9);
        TimelineViewModel.Sample merged = TimelineViewModel.merge(vm.samples().getFirst(), vm.samples().getLast());
        assertEquals(40, merged.worstP95Ms(), 1e-9, "a second without requests takes nothing from its neighbour");
        assertEquals(40, merged.meanP95Ms(), 1e-9);
    }

    /** A rehearsal has no node and no connection: the note for lines that start late says what it has. */
    @Test
    void theHistoryNoteOfARehearsalSpeaksOfItsEngineNotOfANode() {
        String rehearsal = TimelineView.historyNote("01:41", false, true);
        assertEquals("p95 from 01:41, when this console first saw the show: no PoP history could be read. Conversion and chat"
                + " sentiment from 01:41, when this console first saw the show: the rehearsal engine keeps no history of them.", rehearsal);
        String live = TimelineView.historyNote("01:41", true, false);
        assertTrue(live.startsWith("p95 before 01:41 from the PoPs' history")
                && live.endsWith("when this console connected: the node keeps no history of them."), live);
    }

    @Test
    void oneSamplePerEngineSecond() {
        TimelineViewModel vm = new TimelineViewModel();
        for (long ms = 0; ms < 3000; ms += 250) {
            vm.apply(Frames.frame(ms, null, null, new ChatMetrics(10, 5, 1, 20, 0.3, List.of()), null, null, null, null));
        }
        assertEquals(3, vm.samples().size());
        assertEquals(0.3, vm.samples().getLast().chatMean());
    }

    /** Seconds whose frames never arrived are a gap, not a straight line over them; an engine that publishes every 2 s leaves none. */
    @Test
    void missedFramesLeaveAGap() {
        TimelineViewModel vm = new TimelineViewModel();
        for (long ms : new long[] {0, 250, 500, 750, 1000, 1250, 5000, 5250, 6000}) {
            vm.apply(Frames.frame(ms, null, null, null, null, null, null, null));
        }
        assertEquals(List.of(0L, 1000L, 5000L, 6000L), vm.samples().stream().map(TimelineViewModel.Sample::atMillis).toList());
        assertEquals(List.of(false, false, true, false), vm.samples().stream().map(TimelineViewModel.Sample::afterGap).toList());

        TimelineViewModel slow = new TimelineViewModel();
        for (long seq = 0; seq < 4; seq++) {
            slow.apply(new io.edgedeck.client.model.MetricsFrame(seq, seq * 2000, "steady-show", 7,
                    io.edgedeck.client.model.ShowState.RUNNING, 1, 900, List.of(), List.of(),
                    new io.edgedeck.client.model.CheckoutCounts(0, 0, 0, 0, 0, 0), new io.edgedeck.client.model.EventCounts(0, 0, 0),
                    null, null, null, null, null, null));
        }
        assertEquals(4, slow.samples().size());
        assertTrue(slow.samples().stream().noneMatch(TimelineViewModel.Sample::afterGap), "every frame arrived: " + slow.samples());
    }

    @Test
    void automaticRollbacksAreMarkedWithRuleValuesAndTime() {
        TimelineViewModel vm = new TimelineViewModel();
        ShowEvent outage = new ShowEvent(60_000, "fault", "outage at fra for 30 s", "fra", null, "cue");
        ShowEvent rollbackAudit = new ShowEvent(320_000, "guardrail", "guardrail.rollback offer-banner/treatment: rollback", null, "offer-banner",
                "guardrail:sentiment-guard");
        vm.apply(Frames.frame(321_000, null, null, null, null, null, List.of(Frames.firing(320_000, true)),
                List.of(outage, rollbackAudit)));
        assertEquals(2, vm.marks().size(), "the audit copy of the rollback is not marked twice: " + vm.marks());
        TimelineViewModel.Mark rollback = vm.marks().getLast();
        assertEquals(TimelineViewModel.MarkKind.ROLLBACK, rollback.kind());
        assertTrue(rollback.automatic());
        assertEquals(320_000, rollback.atMillis());
        assertTrue(rollback.label().contains("sentiment-guard") && rollback.label().contains("sentiment change -40%"),
                rollback.label());
        assertEquals(TimelineViewModel.MarkKind.FAULT, vm.marks().getFirst().kind());
    }

    @Test
    void conversionIsPerVariantOverTheLastMinute() {
        TimelineViewModel vm = new TimelineViewModel();
        for (int s = 0; s <= 120; s++) {
            // 10% converts in the first minute, 20% after it.
            long exposures = s * 100L;
            long conversions = s <= 60 ? s * 10L : 600 + (s - 60) * 20L;
            vm.apply(Frames.frame(s * 1000L, null, List.of(new VariantMetrics("f", "treatment", false, exposures, conversions, 0, 0)),
                    null, null, null, null, null));
        }
        assertEquals(20.0, vm.samples().getLast().conversion().get("f/treatment"), 1e-9);
        assertEquals(List.of("f/treatment"), vm.variantKeys());
    }

    @Test
    void aNewShowStartsAFreshTimeline() {
        TimelineViewModel vm = new TimelineViewModel();
        vm.apply(Frames.frame(500_000, null, null, null, null, null, List.of(Frames.firing(320_000, true)), null));
        vm.apply(Frames.frame(0, null, null, null, null, null, null, null));
        assertEquals(1, vm.samples().size());
        assertTrue(vm.marks().isEmpty());
    }

    @Test
    void aTrafficSurgeGetsAMarkOfItsOwnKind() {
        TimelineViewModel vm = new TimelineViewModel();
        ShowEvent surge = new ShowEvent(180_000, "audience", "traffic surge x5 for 300 s", null, null, "cue");
        vm.apply(Frames.frame(181_000, null, null, null, null, null, null, List.of(surge)));
        assertEquals(1, vm.marks().size());
        assertEquals(TimelineViewModel.MarkKind.AUDIENCE, vm.marks().getFirst().kind());
        assertEquals("traffic surge x5 for 300 s (cue)", vm.marks().getFirst().label());
    }

    @Test
    void auditEntriesThatChangeNoFlagAreMarkedAsAnOperatorsAction() {
        TimelineViewModel vm = new TimelineViewModel();
        ShowEvent change = new ShowEvent(50_000, "flag", "flag.change checkout-button: control=20.00% treatment=80.00%", null,
                "checkout-button", "alice");
        ShowEvent scheduled = new ShowEvent(52_000, "flag", "schedule.create checkout-button: #2 roll back checkout-button/treatment at iad",
                null, "checkout-button", "alice");
        ShowEvent paused = new ShowEvent(54_000, "flag", "variant.pause checkout-button/treatment: paused", null, "checkout-button", "bob");
        vm.apply(Frames.frame(55_000, null, null, null, null, null, List.of(), List.of(change, scheduled, paused)));
        assertEquals(List.of(TimelineViewModel.MarkKind.FLAG, TimelineViewModel.MarkKind.OPERATOR, TimelineViewModel.MarkKind.FLAG),
                vm.marks().stream().map(TimelineViewModel.Mark::kind).toList());
        assertEquals("operator", TimelineView.kindName(vm.marks().get(1)));
    }

    /** fra's 120 ms beside the Settings' 150 ms: on a short panel one label under the lower line says both, never two overprinted. */
    @Test
    void objectiveLinesTooCloseForALabelEachShareOne() {
        List<io.edgedeck.console.dashboard.Slo.Objective> two = List.of(
                new io.edgedeck.console.dashboard.Slo.Objective(120, "node config", List.of("fra")),
                new io.edgedeck.console.dashboard.Slo.Objective(150, "Settings", List.of("ams", "iad")));
        assertTrue(TimelineView.objectivesCrowded(two, 243, 80), "30 ms of 243 on 80 px: 10 px apart");
        assertFalse(TimelineView.objectivesCrowded(two, 243, 300), "37 px apart: a label each");
        assertFalse(TimelineView.objectivesCrowded(two.subList(0, 1), 243, 80));
    }

    /** What a live node's configuration set up as it started is the node config's, not an operator's action. */
    @Test
    void aLiveNodesStartUpConfigurationIsMarkedAsTheNodeConfig() {
        TimelineViewModel vm = new TimelineViewModel();
        ShowEvent tenants = new ShowEvent(0, "flag", "tenants.set tenants: main", null, "tenants", "config");
        ShowEvent approvals = new ShowEvent(1_000, "flag", "approvals.set approvals: none", null, "approvals", "alice");
        vm.apply(Frames.frame(5_000, null, null, null, null, null, List.of(), List.of(tenants, approvals)));
        assertEquals(List.of(TimelineViewModel.MarkKind.CONFIG, TimelineViewModel.MarkKind.OPERATOR),
                vm.marks().stream().map(TimelineViewModel.Mark::kind).toList());
        assertEquals("node config", TimelineView.kindName(vm.marks().getFirst()));
    }
}
