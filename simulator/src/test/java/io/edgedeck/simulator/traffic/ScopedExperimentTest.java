package io.edgedeck.simulator.traffic;

import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.edge.ObservationTap;
import io.edgedeck.simulator.scenario.FlagScope;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flag scoped to one region is an experiment on that region's audience only: a session elsewhere
 * is served control but is in neither arm, so it adds nothing to control's exposures, checkouts,
 * chat or requests (it would dilute or distort control, and a guardrail would compare the variant
 * with a control it never shared an audience with).
 */
class ScopedExperimentTest {

    /** conversion-drop with its flag scoped to {@code eu}, its rules left out so nothing moves sessions. */
    private static Scenario scopedToEu() {
        Scenario s = ScenarioCatalog.load("conversion-drop");
        List<FlagSpec> flags = s.flags().stream().map(f -> new FlagSpec(f.key(), f.description(), f.owner(), f.variants(),
                f.control(), new FlagScope.Region("eu"), f.salt(), f.effects())).toList();
        return new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), flags, s.triggers(), List.of(), List.of());
    }

    @Test
    void sessionsOutsideTheScopeCountInNeitherArm() {
        Scenario scenario = scopedToEu();
        String flag = scenario.flags().getFirst().key();
        Show show = new Show(new ShowDefinition(scenario, 7), new MemoryJournal());
        // What the audience was served, by region and variant, as an app evaluating the flag learns it.
        Map<String, Long> served = new HashMap<>();
        Set<Long> inScope = new HashSet<>();
        long[] inScopeCheckouts = {0};
        show.tap(new ObservationTap() {
            @Override
            public void exposed(long unit, String f, String variant, int pop, String region, String tenant) {
                served.merge(region + "/" + variant, 1L, Long::sum);
                if (region.equals("eu")) {
                    inScope.add(unit);
                }
            }

            @Override
            public void converted(long unit, Double value) {
                if (inScope.contains(unit)) {
                    inScopeCheckouts[0]++;
                }
            }
        });
        while (show.core().nowMillis() < 240_000) {
            show.step();
        }
        String control = scenario.flags().getFirst().control();
        long outOfScope = served.entrySet().stream().filter(e -> !e.getKey().startsWith("eu/"))
                .mapToLong(Map.Entry::getValue).sum();
        assertTrue(outOfScope > 1000, "the show has sessions outside eu: " + served);
        assertTrue(served.keySet().stream().filter(k -> !k.startsWith("eu/")).allMatch(k -> k.endsWith("/" + control)),
                "outside eu everyone is served control: " + served);

        Map<String, VariantMetrics> arms = new HashMap<>();
        show.core().experiments().variantMetrics(show.core().nowMillis()).stream()
                .filter(m -> m.flag().equals(flag)).forEach(m -> arms.put(m.variant(), m));
        assertEquals(2, arms.size(), arms.toString());
        long total = 0;
        long checkouts = 0;
        for (VariantMetrics m : arms.values()) {
            assertEquals(served.getOrDefault("eu/" + m.variant(), 0L), m.exposures(),
                    m.variant() + "'s exposures are its sessions in eu, and no others: " + served);
            total += m.exposures();
            checkouts += m.conversions();
        }
        assertTrue(arms.get(control).exposures() > 500 && total > 1000, arms.toString());
        assertEquals(inScopeCheckouts[0], checkouts, "the arms' checkouts are those of sessions in eu");
    }
}
