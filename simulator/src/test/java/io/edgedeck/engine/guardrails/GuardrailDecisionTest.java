package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.flags.Variant;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule book's decision on synthetic shows with fixed seeds (docs/GUARDRAILS.md): quiet on
 * identical arms however long it watches, quick on real harm, judging harm that starts mid-show on
 * the data since shortly before it, comparing latency with control so a blip that hits both arms
 * passes, and starting its evidence afresh when the flag changes.
 */
class GuardrailDecisionTest {

    static GuardrailSpec rule(RuleMatch match, int windowSeconds, long minExposures, GuardrailSpec.Condition... conditions) {
        return new GuardrailSpec("guard", "banner", "treatment", match, List.of(conditions), windowSeconds, minExposures, 120,
                GuardrailAction.ROLLBACK, true);
    }

    static GuardrailSpec.Condition when(GuardrailMetric metric, ComparisonOp op, double value) {
        return new GuardrailSpec.Condition(metric, op, value);
    }

    private static Long firstFiring(SyntheticShow show) {
        List<GuardrailFiring> f = show.engine.guardrails().firings();
        return f.isEmpty() ? null : f.getFirst().atMillis();
    }

    /**
     * Identical arms for ten minutes, judged every second: the share of shows in which the rule
     * ever fires stays within its error budget (plus two standard errors of the estimate).
     */
    @Test
    void identicalArmsRarelyFireHoweverLongTheRuleWatches() {
        int runs = 60;
        int fired = 0;
        for (int seed = 1; seed <= runs; seed++) {
            SyntheticShow show = new SyntheticShow(rule(RuleMatch.ALL, 120, 300,
                    when(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)), seed);
            show.play(600);
            if (firstFiring(show) != null) fired++;
        }
        double alpha = Guardrails.ALPHA;
        System.out.printf("synthetic A/A: the rule fired in %d of %d ten-minute shows (alpha %.2f)%n", fired, runs, alpha);
        assertTrue(fired <= runs * alpha + 2 * Math.sqrt(runs * alpha * (1 - alpha)), fired + " of " + runs);
    }

    @Test
    void aThirtyPercentConversionDropIsRolledBackWithItsReasonInWords() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ALL, 120, 300,
                when(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)), 7);
        show.treatmentConversion = 0.7;
        show.arrivals = 60;
        show.play(600);
        Long fired = firstFiring(show);
        assertTrue(fired != null && fired < 600_000, "fired at " + fired);
        GuardrailFiring f = show.engine.guardrails().firings().getFirst();
        assertTrue(f.reason().matches("since \\d\\d:\\d\\d: conversion lift -\\d+% \\(at most -\\d.*\\): clearly below control and below -10%"),
                f.reason());
        assertTrue(f.values().get("conversionLift") < -0.1, f.values().toString());
        assertEquals(0, show.experiments.registry().get("banner").orElseThrow().weightOf("treatment"));
    }

    /** The same drop, its rule left to a fleet's aggregator: the engine judges and shows it, breached, but never fires it. */
    @Test
    void aRuleDecidedElsewhereIsShownBreachedAndNeverFiredHere() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ALL, 120, 300,
                when(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)), 7);
        show.engine.guardrails().decideElsewhere(CountedRule::judgesOnCounts);
        show.treatmentConversion = 0.7;
        show.arrivals = 60;
        show.play(600);
        assertEquals(List.of(), show.engine.guardrails().firings());
        assertEquals(io.edgedeck.client.model.GuardrailState.BREACHED, show.engine.guardrails().status("guard").state());
        assertTrue(show.engine.guardrails().status("guard").armed());
        assertEquals(io.edgedeck.client.model.GuardrailStatus.DECIDED_BY_FLEET, show.engine.guardrails().status("guard").decidedBy());
        assertEquals(5000, show.experiments.registry().get("banner").orElseThrow().weightOf("treatment"));
    }

    /**
     * A live node's flags are live everywhere from its first instant, and it may take a burst the moment it starts:
     * the exposures of the engine's first second are the rule's evidence too, not dropped because the rule first
     * looks at its flag at the end of that second.
     */
    @Test
    void theFirstSecondCountsWhenTheFlagWasLiveEverywhereFromTheStart() {
        io.edgedeck.engine.CoreConfig instant = io.edgedeck.engine.CoreConfig.of("test", 5, 250,
                List.of(io.edgedeck.engine.pops.PopSite.of("fra", "eu", 0), io.edgedeck.engine.pops.PopSite.of("iad", "na", 0)),
                List.of("eu", "na"));
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ALL, 120, 300,
                when(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)), 5, instant);
        show.arrivals = 0;
        show.requestsPerSecond = 0;
        int treatment = show.experiments.arm("banner", "treatment", true).id();
        int control = show.experiments.arm("banner", "control", true).id();
        for (int i = 0; i < 300; i++) {
            show.experiments.expose(treatment, 0, 0);
            show.experiments.expose(control, 1, 0);
        }
        show.play(3);
        GuardrailStatus g = show.engine.guardrails().statuses().getFirst();
        assertEquals(0L, g.evidenceSinceMillis(), g.toString());
        assertEquals(300, g.variantExposures(), g.toString());
        assertEquals(300, g.controlExposures(), g.toString());
        assertEquals(GuardrailState.WATCHING, g.state(), g.toString());
    }

    /** Chat sours at 400 s: the rule judges the period that began shortly before, not all 400 quiet seconds. */
    @Test
    void harmThatBeginsMidShowIsJudgedOnTheDataSinceShortlyBeforeIt() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ALL, 60, 300,
                when(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15)), 11);
        show.chatPerSecond = 60;
        show.play(400);
        assertNull(firstFiring(show));
        show.treatmentChatMean = -0.2;
        show.play(60);
        Long fired = firstFiring(show);
        assertTrue(fired != null && fired <= 420_000, "fired at " + fired);
        // evidence from 00:01, a period every 60 s: the one judged began at 06:01, a minute before the drop
        assertTrue(show.engine.guardrails().firings().getFirst().reason().startsWith("since 06:01: sentiment change"),
                show.engine.guardrails().firings().getFirst().reason());
    }

    /** Latency three times higher on every request for a minute: a ratio to control stays quiet, an absolute threshold does not. */
    @Test
    void aBlipOnBothArmsPassesARatioRuleButTripsAnAbsoluteOne() {
        for (GuardrailSpec.Condition c : List.of(when(GuardrailMetric.P95_LATENCY_RATIO, ComparisonOp.GT, 1.2),
                when(GuardrailMetric.P95_LATENCY_MS, ComparisonOp.GT, 60))) {
            SyntheticShow show = new SyntheticShow(rule(RuleMatch.ANY, 60, 200, c), 5);
            show.play(200);
            show.bothArmsLatencyFactor = 3;
            show.play(60);
            show.bothArmsLatencyFactor = 1;
            show.play(100);
            if (c.metric() == GuardrailMetric.P95_LATENCY_RATIO) {
                assertNull(firstFiring(show), "a blip on both arms is not the variant's fault");
                assertEquals(ConditionState.RULED_OUT, show.engine.guardrails().statuses().getFirst().conditions().getFirst().state());
            } else {
                assertTrue(firstFiring(show) != null, "an absolute threshold sees the blip");
            }
        }
    }

    @Test
    void aSlowerVariantTripsTheRatioRule() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ANY, 60, 200,
                when(GuardrailMetric.P95_LATENCY_RATIO, ComparisonOp.GT, 1.2)), 6);
        show.treatmentLatencyFactor = 1.5;
        show.play(120);
        GuardrailFiring f = show.engine.guardrails().firings().getFirst();
        assertTrue(f.reason().contains("p95 latency vs control x1.") && f.reason().contains("clearly above control and above x1.20"),
                f.reason());
    }

    /**
     * p95VsBaseline (docs/BASELINES.md): quiet while the variant is as fast as the PoPs usually are,
     * and fires once it is twice as slow; the PoPs' own p95 rises with it, which is an alarm there, so
     * the normal it is judged against does not follow it up.
     */
    @Test
    void aVariantSlowerThanThePopsNormalTripsTheBaselineRule() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ANY, 60, 200,
                when(GuardrailMetric.P95_VS_BASELINE, ComparisonOp.GT, 1.3)), 8);
        show.feedPops = true;
        show.play(300);
        assertNull(firstFiring(show), "identical arms at their normal latency");
        var quiet = show.engine.guardrails().statuses().getFirst().conditions().getFirst();
        assertEquals(ConditionState.RULED_OUT, quiet.state(), quiet.toString());
        assertEquals(1.0, quiet.estimate(), 0.1);
        double normal = show.engine.pops().baseline(0).p95Ms();
        show.treatmentLatencyFactor = 2;
        show.play(120);
        Long fired = firstFiring(show);
        assertTrue(fired != null && fired <= 420_000, "fired at " + fired);
        GuardrailFiring f = show.engine.guardrails().firings().getFirst();
        assertTrue(f.reason().contains("p95 latency vs normal x") && f.reason().contains("above x1.30"), f.reason());
        assertTrue(f.values().get("p95VsBaseline") > 1.3, f.values().toString());
        assertEquals(normal, show.engine.pops().baseline(0).p95Ms(), 1e-9, "the slow seconds were an alarm, not learned");
        assertEquals("alarm", show.engine.pops().baseline(0).frozenBy());
    }

    /** Before any PoP has learned its normal, the baseline rule has no data and cannot fire. */
    @Test
    void theBaselineRuleWaitsForALearnedNormal() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ANY, 60, 200,
                when(GuardrailMetric.P95_VS_BASELINE, ComparisonOp.GT, 1.3)), 9);
        show.treatmentLatencyFactor = 3;
        show.play(200);
        assertNull(firstFiring(show), "the PoPs served nothing, so no normal was learned");
        assertEquals(ConditionState.NO_DATA, show.engine.guardrails().statuses().getFirst().conditions().getFirst().state());
    }

    /** A weight change during the show: the evidence waits until the version is live everywhere and sessions have moved. */
    @Test
    void aFlagChangeStartsTheEvidenceAfreshOnceItSettles() {
        SyntheticShow show = new SyntheticShow(rule(RuleMatch.ALL, 60, 300,
                when(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)), 3);
        show.play(100);
        GuardrailStatus before = show.engine.guardrails().statuses().getFirst();
        assertEquals(1000L, before.evidenceSinceMillis());
        assertEquals(GuardrailState.WATCHING, before.state());
        show.experiments.change("banner", 1, io.edgedeck.engine.flags.FlagUpdate.weights(List.of(new Variant("control", 6000),
                new Variant("treatment", 4000))), "qa",
                "ramp down", show.engine.nowMillis());
        show.play(10);
        GuardrailStatus settling = show.engine.guardrails().statuses().getFirst();
        assertNull(settling.evidenceSinceMillis(), "still settling");
        assertEquals(GuardrailState.WAITING, settling.state());
        show.play(40);
        GuardrailStatus after = show.engine.guardrails().statuses().getFirst();
        long live = show.experiments.registry().fullyPropagatedAtMillis("banner");
        assertEquals((long) Math.ceil((live + Guardrails.SETTLE_SECONDS * 1000.0) / 1000) * 1000, after.evidenceSinceMillis());
        assertTrue(after.variantExposures() < before.variantExposures(), "exposures count from the new start");
    }

    /** Arming hands out no fresh error budget: the evidence carries on. */
    @Test
    void armingCarriesTheEvidenceOn() {
        GuardrailSpec disarmed = new GuardrailSpec("guard", "banner", "treatment", RuleMatch.ALL,
                List.of(when(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)), 60, 300, 120, GuardrailAction.ROLLBACK, false);
        SyntheticShow show = new SyntheticShow(disarmed, 4);
        show.play(100);
        assertEquals(GuardrailState.DISARMED, show.engine.guardrails().statuses().getFirst().state());
        show.engine.guardrails().setArmed("guard", true, "ana", "ready", show.engine.nowMillis());
        show.play(5);
        GuardrailStatus armed = show.engine.guardrails().statuses().getFirst();
        assertEquals(1000L, armed.evidenceSinceMillis());
        assertFalse(armed.state() == GuardrailState.WAITING);
    }
}
