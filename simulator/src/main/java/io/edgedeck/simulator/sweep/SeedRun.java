package io.edgedeck.simulator.sweep;

import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Plays one show at full speed on the calling thread and traces every guardrail in it. */
final class SeedRun {
    private SeedRun() {
    }

    /**
     * @param stopOnceFired end the show early once each of these rules has fired (enough for time to
     *                      detect); empty plays the show to its end
     * @param cancelled     checked every simulated second; true ends the run with a
     *                      {@link CancellationException}
     */
    static Map<String, RuleTrace> play(Scenario scenario, long seed, Set<String> stopOnceFired, BooleanSupplier cancelled) {
        Show show = new Show(new ShowDefinition(scenario, seed), new MemoryJournal());
        Map<String, Long> evidence = new LinkedHashMap<>();
        Map<String, Long> gate = new LinkedHashMap<>();
        Map<String, List<Long>> firings = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        scenario.guardrails().forEach(g -> firings.put(g.id(), new ArrayList<>()));
        int seen = 0;
        while (!show.finished()) {
            show.step();
            long now = show.core().nowMillis();
            if (now % 1000 != 0) {
                continue;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            for (GuardrailStatus g : show.core().guardrails().statuses()) {
                if (g.evidenceSinceMillis() != null) {
                    evidence.putIfAbsent(g.id(), g.evidenceSinceMillis());
                }
                long min = Math.max(1, g.minExposures());
                if (g.evidenceSinceMillis() != null && g.variantExposures() >= min && g.controlExposures() >= min) {
                    gate.putIfAbsent(g.id(), now);
                }
            }
            List<GuardrailFiring> all = show.core().guardrails().firings();
            for (; seen < all.size(); seen++) {
                GuardrailFiring f = all.get(seen);
                if (f.automatic() && firings.containsKey(f.rule())) {
                    firings.get(f.rule()).add(f.atMillis());
                    reasons.putIfAbsent(f.rule(), f.reason());
                }
            }
            if (!stopOnceFired.isEmpty() && stopOnceFired.stream().noneMatch(id -> firings.getOrDefault(id, List.of()).isEmpty())) {
                break;
            }
        }
        List<VariantMetrics> counts = show.core().experiments().variantMetrics(show.core().nowMillis());
        Map<String, RuleTrace> out = new LinkedHashMap<>();
        for (GuardrailSpec g : scenario.guardrails()) {
            out.put(g.id(), new RuleTrace(evidence.get(g.id()), gate.get(g.id()), firings.get(g.id()), reasons.get(g.id()),
                    armCounts(counts, g)));
        }
        return out;
    }

    private static RuleTrace.ArmCounts armCounts(List<VariantMetrics> counts, GuardrailSpec g) {
        VariantMetrics variant = null;
        VariantMetrics control = null;
        for (VariantMetrics m : counts) {
            if (m.flag().equals(g.flag()) && m.variant().equals(g.variant())) {
                variant = m;
            } else if (m.flag().equals(g.flag()) && m.control()) {
                control = m;
            }
        }
        return variant == null || control == null ? RuleTrace.ArmCounts.NONE
                : new RuleTrace.ArmCounts(variant.exposures(), variant.conversions(), control.exposures(), control.conversions());
    }
}
