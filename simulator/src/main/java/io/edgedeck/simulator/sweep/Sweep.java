package io.edgedeck.simulator.sweep;

import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code sweep}: plays a show once per seed, and its A/A twin ({@link ScenarioTwins#aa}) once per
 * seed when the show gives a watched variant a harm, and reports per rule how often it fired, how
 * soon after it could first decide, and how often it fired on identical variants.
 *
 * <p>"Could first decide" is the later of two moments: the harm's onset (0 for a difference from
 * the start, the cue's time for a sentiment shift) and the first engine second at which each arm had
 * the rule's minimum exposures since its evidence started; plus, for a harm to conversion alone,
 * the show's mean session dwell, because a session shows whether it converts over its dwell, so the
 * first sessions' conversions are not in before then.
 *
 * <p>A conversion harm is named by the multiplier the scenario gives the variant's chance to pay for
 * a filled cart; how many fewer checkouts per exposure that makes depends on the show (a slower
 * payer still pays if its session stays). So for each rule with a conversion harm the show is also
 * played once per seed with its rules disarmed, nothing acting on the flag, and the report gives the
 * realized change: the variant's checkouts per exposure over control's, less 1, over the whole show.
 */
public final class Sweep {
    private Sweep() {
    }

    public static SweepReport run(Scenario scenario, long fromSeed, int seeds, int threads, SweepProgress progress)
            throws InterruptedException {
        List<RuleEffect> effects = scenario.guardrails().stream().map(g -> RuleEffect.of(scenario, g)).toList();
        boolean identical = scenario.equals(ScenarioTwins.aa(scenario));
        List<ShowBatch.Job> jobs = new ArrayList<>(List.of(new ShowBatch.Job(scenario, fromSeed, seeds, Set.of())));
        if (!identical) {
            jobs.add(new ShowBatch.Job(ScenarioTwins.aa(scenario), fromSeed, seeds, Set.of()));
        }
        boolean conversionHarm = effects.stream().anyMatch(e -> e instanceof RuleEffect.FromStart f && f.conversion());
        if (conversionHarm) {
            jobs.add(new ShowBatch.Job(disarmed(scenario), fromSeed, seeds, Set.of()));
        }
        List<List<Map<String, RuleTrace>>> traces = ShowBatch.play(jobs, threads, progress, () -> false);
        List<Map<String, RuleTrace>> asWritten = traces.getFirst();
        List<Map<String, RuleTrace>> aa = identical ? asWritten : traces.get(1);
        List<Map<String, RuleTrace>> untouched = conversionHarm ? traces.getLast() : List.of();
        List<SweepReport.Rule> rules = new ArrayList<>();
        for (int i = 0; i < scenario.guardrails().size(); i++) {
            GuardrailSpec g = scenario.guardrails().get(i);
            List<Double> realized = new ArrayList<>();
            if (effects.get(i) instanceof RuleEffect.FromStart f && f.conversion()) {
                for (Map<String, RuleTrace> seed : untouched) {
                    realized.add(seed.get(g.id()).arms().relativeChange());
                }
            }
            rules.add(summarise(scenario, g, effects.get(i), fromSeed, asWritten, aa).withRealized(realized));
        }
        return new SweepReport(scenario.name(), fromSeed, seeds, !identical, rules);
    }

    /** The show with every rule disarmed: judged, never acting, so the flag serves as written throughout. */
    static Scenario disarmed(Scenario s) {
        List<GuardrailSpec> rules = s.guardrails().stream().map(g -> new GuardrailSpec(g.id(), g.flag(), g.variant(), g.match(),
                g.conditions(), g.windowSeconds(), g.minExposures(), g.cooldownSeconds(), g.action(), false)).toList();
        return new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), s.flags(), s.triggers(), rules, s.cues());
    }

    private static SweepReport.Rule summarise(Scenario s, GuardrailSpec g, RuleEffect effect, long fromSeed,
                                              List<Map<String, RuleTrace>> asWritten, List<Map<String, RuleTrace>> aa) {
        boolean hasEffect = effect.isHarm();
        long onsetMillis = effect.onsetSeconds() * 1000L;
        double lag = effect.lagSeconds(s);
        int fired = 0;
        int early = 0;
        List<Double> detect = new ArrayList<>();
        List<Double> fromGate = new ArrayList<>();
        List<String> falseFirings = new ArrayList<>();
        for (int k = 0; k < asWritten.size(); k++) {
            RuleTrace t = asWritten.get(k).get(g.id());
            if (!t.firingMillis().isEmpty()) {
                fired++;
            }
            if (!hasEffect) {
                // when the show is its own A/A twin, its firings are listed once, below
                if (!t.firingMillis().isEmpty() && aa != asWritten) {
                    falseFirings.add(String.format(Locale.ROOT, "seed %d (as written, no harm it looks for): at %.0f s: %s",
                            fromSeed + k, t.firingMillis().getFirst() / 1000.0, t.firstReason()));
                }
                continue;
            }
            if (t.firedBefore(onsetMillis)) {
                early++;
                falseFirings.add(String.format(Locale.ROOT, "seed %d (as written): at %.0f s, before the harm began: %s",
                        fromSeed + k, t.firingMillis().getFirst() / 1000.0, t.firstReason()));
            }
            Long caught = t.firstFiringFrom(onsetMillis);
            if (caught != null && t.gateOpenMillis() != null) {
                double decide = Math.max(t.gateOpenMillis(), onsetMillis) / 1000.0 + lag;
                detect.add(caught / 1000.0 - decide);
                fromGate.add((caught - Math.max(t.gateOpenMillis(), onsetMillis)) / 1000.0);
            }
        }
        int aaFired = 0;
        for (int k = 0; k < aa.size(); k++) {
            RuleTrace t = aa.get(k).get(g.id());
            if (!t.firingMillis().isEmpty()) {
                aaFired++;
                falseFirings.add(String.format(Locale.ROOT, "seed %d (A/A): at %.0f s: %s", fromSeed + k,
                        t.firingMillis().getFirst() / 1000.0, t.firstReason()));
            }
        }
        String decideRule = String.format(Locale.ROOT, "the later of %s and the second each arm had %d exposures since the "
                        + "rule's evidence started%s", effect.onsetSeconds() == 0 ? "the show's start" : "the harm's onset at "
                        + effect.onsetSeconds() + " s", Math.max(1, g.minExposures()),
                lag > 0 ? String.format(Locale.ROOT, ", plus the mean session dwell (%.0f s) for conversions to come in", lag) : "");
        return new SweepReport.Rule(g.id(), g.flag() + "/" + g.variant(), effect.describe(), hasEffect, asWritten.size(), fired,
                early, detect, fromGate, decideRule, aa.size(), aaFired, falseFirings, List.of());
    }
}
