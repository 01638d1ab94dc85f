package io.edgedeck.simulator.sweep;

import io.edgedeck.simulator.scenario.ChatMix;
import io.edgedeck.simulator.scenario.Cue;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What sweep and the pre-flight play and how they read it, on built-in shows cut short. */
class SweepTest {

    /** The show's first {@code seconds}, cues after that dropped. */
    static Scenario cut(Scenario s, int seconds) {
        return new Scenario(s.name(), s.description(), s.seed(), seconds, s.frameMillis(), s.pops(), s.regions(), s.audience(),
                s.flags(), s.triggers(), s.guardrails(), s.cues().stream().filter(c -> c.atSeconds() < seconds).toList());
    }

    private static String printed(SweepReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theAaTwinMakesWatchedVariantsIdenticalAndKeepsEverythingElse() {
        Scenario crash = ScenarioCatalog.load("sentiment-crash");
        Scenario aa = ScenarioTwins.aa(crash);
        assertTrue(aa.cues().stream().noneMatch(Cue.SentimentShift.class::isInstance), "the watched variant's chat shift is gone");
        assertEquals(crash.pops(), aa.pops());
        Scenario storm = ScenarioCatalog.load("jitter-storm");
        assertEquals(storm.cues(), ScenarioTwins.aa(storm).cues(), "faults stay");
        assertEquals(1.0, ScenarioTwins.aa(storm).flags().getFirst().effectOf("treatment").conversionMultiplier());
        Scenario noEffect = ScenarioCatalog.load("no-effect");
        assertEquals(noEffect, ScenarioTwins.aa(noEffect), "an A/A show is its own twin");
        Scenario worse = ScenarioTwins.with(noEffect, new Effect.ConversionChange(-0.2));
        assertEquals(0.8, worse.flags().getFirst().effectOf("treatment").conversionMultiplier(), 1e-12);
        assertEquals(ChatMix.SOUR, ScenarioTwins.with(noEffect, new Effect.SourChat()).flags().getFirst().effectOf("treatment").chatMood());
    }

    @Test
    void eachRuleIsReadForTheHarmItLooksFor() {
        var crash = ScenarioCatalog.load("sentiment-crash");
        assertEquals(new RuleEffect.FromCue(300), RuleEffect.of(crash, crash.guardrails().getFirst()));
        var steady = ScenarioCatalog.load("steady-show");
        RuleEffect better = RuleEffect.of(steady, steady.guardrails().getFirst());
        assertInstanceOf(RuleEffect.None.class, better, "a variant converting 8% better is no harm to this rule");
        assertTrue(better.describe().contains("+8% conversion"), better.describe());
        var worse = ScenarioTwins.with(ScenarioCatalog.load("no-effect"), new Effect.ConversionChange(-0.3));
        RuleEffect drop = RuleEffect.of(worse, worse.guardrails().getFirst());
        assertEquals(240, drop.lagSeconds(worse), "a conversion drop shows over a session's dwell");
        assertEquals("-30% conversion from the start", drop.describe());
    }

    @Test
    void sweepReportsDetectionAfterItCouldDecideAndFalseRollbacksOnTheTwin() throws Exception {
        Scenario crash = cut(ScenarioCatalog.load("sentiment-crash"), 360);
        AtomicInteger played = new AtomicInteger();
        SweepReport report = Sweep.run(crash, 1, 2, 2, (done, total) -> played.set(total));
        assertEquals(4, played.get(), "two seeds as written and two of the A/A twin");
        SweepReport.Rule r = report.rules().getFirst();
        assertEquals(2, r.fired());
        assertEquals(0, r.firedBeforeOnset());
        assertEquals(2, r.detectSeconds().size());
        assertTrue(r.detectSeconds().stream().allMatch(t -> t >= 0 && t < 30), r.detectSeconds().toString());
        assertEquals(0, r.aaFired());
        String text = printed(report);
        assertTrue(text.contains("could first decide: the later of the harm's onset at 300 s and the second each arm had 300 exposures"),
                text);
        assertTrue(text.contains("A/A twin"), text);
    }

    /** A conversion harm is named by its multiplier; the sweep also says how many fewer checkouts it really made. */
    @Test
    void sweepGivesTheRealizedConversionChangeBesideTheMultiplier() throws Exception {
        Scenario drop = cut(ScenarioCatalog.load("conversion-drop"), 420);
        AtomicInteger played = new AtomicInteger();
        SweepReport report = Sweep.run(drop, 1, 1, 2, (done, total) -> played.set(total));
        assertEquals(3, played.get(), "as written, its A/A twin, and as written with its rules disarmed");
        SweepReport.Rule guard = report.rules().stream().filter(r -> r.id().equals("conversion-guard")).findFirst().orElseThrow();
        SweepReport.Rule latency = report.rules().stream().filter(r -> r.id().equals("latency-guard")).findFirst().orElseThrow();
        assertEquals(1, guard.realizedChange().size());
        double realized = guard.realizedChange().getFirst();
        assertTrue(realized < -0.05 && realized > -0.6, "the treatment made fewer checkouts per exposure: " + realized);
        assertTrue(latency.realizedChange().isEmpty(), "a rule that does not read conversion has no conversion harm to size");

        Map<String, RuleTrace> untouched = SeedRun.play(Sweep.disarmed(drop), 1, Set.of(), () -> false);
        RuleTrace.ArmCounts arms = untouched.get("conversion-guard").arms();
        assertEquals(((double) arms.variantConversions() / arms.variantExposures())
                / ((double) arms.controlConversions() / arms.controlExposures()) - 1, realized, 1e-12);
        assertTrue(untouched.get("conversion-guard").firingMillis().isEmpty(), "a disarmed rule never acts");

        String text = printed(report);
        assertTrue(text.contains("conversion-guard (checkout-redesign/treatment): -30% conversion from the start\n  realized: -"), text);
    }

    @Test
    void thePreflightTimesARuleOnTheShowsOwnTraffic() throws Exception {
        Scenario show = cut(ScenarioCatalog.load("no-effect"), 240);
        List<Preflight.RuleEstimate> estimates = Preflight.run(show, new Effect.SourChat(), 1, 2, 2, (d, t) -> { }, () -> false);
        Preflight.RuleEstimate e = estimates.getFirst();
        assertEquals(2, e.caught());
        assertEquals(0, e.falseRollbacks());
        assertTrue(e.sentence().startsWith("would catch sour chat in ~"), e.sentence());
        assertTrue(e.sentence().endsWith("; false rollbacks 0 in 2 shows"), e.sentence());
    }

    /**
     * The estimate refines seed by seed: each refinement covers the first seeds, both ways, and is
     * what a pre-flight of just those seeds gives; the last equals the final estimate.
     */
    @Test
    void thePreflightRefinesOverTheFirstSeedsInOrder() throws Exception {
        Scenario show = cut(ScenarioCatalog.load("no-effect"), 150);
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<List<Preflight.RuleEstimate>> refinements = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Preflight.RuleEstimate> all = Preflight.run(show, new Effect.SourChat(), 1, 3, 2, (d, t) -> { },
                (k, estimates) -> {
                    seen.add(k);
                    refinements.add(estimates);
                }, () -> false);
        assertEquals(List.of(1, 2, 3), seen.stream().sorted().distinct().toList(), "one refinement per seed, in order: " + seen);
        assertEquals(seen.stream().sorted().toList(), seen, "refinements only grow");
        List<Preflight.RuleEstimate> firstTwo = Preflight.run(show, new Effect.SourChat(), 1, 2, 1, (d, t) -> { }, () -> false);
        assertEquals(firstTwo, refinements.get(seen.indexOf(2)));
        assertEquals(all, refinements.getLast());
    }

    @Test
    void thePreflightDoesNotTimeARuleThatCannotSeeTheHarm() throws Exception {
        Scenario show = cut(ScenarioCatalog.load("conversion-drop"), 120);
        AtomicInteger played = new AtomicInteger();
        List<Preflight.RuleEstimate> estimates = Preflight.run(show, new Effect.ConversionChange(-0.2), 1, 2, 2,
                (d, t) -> played.set(t), () -> false);
        assertEquals(4, played.get(), "two A/A shows and two with the harm, for the conversion guard");
        Preflight.RuleEstimate latency = estimates.stream().filter(e -> e.rule().equals("latency-guard")).findFirst().orElseThrow();
        assertTrue(latency.sentence().startsWith("would not catch -20% conversion: it does not read conversion"), latency.sentence());
        Scenario chatOnly = cut(ScenarioCatalog.load("conversion-drop"), 60);
        Preflight.run(chatOnly, new Effect.SourChat(), 1, 2, 2, (d, t) -> played.set(t), () -> false);
        assertEquals(2, played.get(), "no rule reads chat: only the A/A twin is played");
    }

    @Test
    void theAaSweepCountsFalseRollbacksPerRuleWithAnExactInterval() throws Exception {
        Scenario quiet = cut(ScenarioCatalog.load("no-effect"), 120);
        AaSweep.Report report = AaSweep.run(List.of(quiet), 1, 2, 2, (d, t) -> { });
        assertEquals(2, report.runs());
        assertEquals(0, report.fired());
        assertEquals(0, report.rules().getFirst().rate().lower());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("no-effect / sentiment-guard: fired in 0 of 2 shows (0.0%, 95% interval 0.0% to 84.2%)"), text);
        assertTrue(text.contains("play more seeds to tell"), "two shows cannot show a 2% rate: " + text);
    }

    @Test
    void effectsAreReadOrRefusedByName() {
        assertEquals(new Effect.ConversionChange(-0.2), Effect.parse("conversion:-20%"));
        assertEquals(new Effect.ConversionChange(-0.2), Effect.parse("conversion:-0.2"));
        assertEquals(new Effect.SourChat(), Effect.parse("chat:sour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Effect.parse("conversion:lots")).getMessage().contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Effect.parse("latency:+20%")).getMessage().contains("unknown effect"));
        assertThrows(IllegalArgumentException.class, () -> Effect.parse("conversion:-150%"));
    }
}
