package io.edgedeck.simulator.triggers;

import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.SessionTriggerState;
import io.edgedeck.engine.triggers.TriggerEngine;
import io.edgedeck.engine.triggers.TriggerFiring;
import io.edgedeck.engine.triggers.TriggerLimits;
import io.edgedeck.engine.triggers.TriggerRule;
import io.edgedeck.simulator.edge.ObservationTap;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger audit of a real show (steady-show, seed 7, its first five minutes) against a count
 * made from scratch: every step and conversion the audience tells the core is also shown to a tap,
 * which replays the steps into a trigger engine of its own and keeps, per unit, every firing and
 * conversion in order; the audit's figures are then counted from those lists by brute force.
 */
class TriggerAuditShowTest {

    /** One unit as the tap saw it. */
    private static final class Unit {
        SessionTriggerState state;
        final List<long[]> firings = new ArrayList<>();   // {rule, atMillis, sequence}
        final List<Long> conversions = new ArrayList<>();  // sequence
        boolean watched;
    }

    @Test
    void theAuditOfAShowMatchesABruteForceCountOfItsFiringsAndConversions() {
        var scenario = ScenarioCatalog.load("steady-show");
        Show show = new Show(new ShowDefinition(scenario, 7), new MemoryJournal());
        List<TriggerRule> rules = show.core().config().triggers();
        Set<InteractionKind> watched = EnumSet.noneOf(InteractionKind.class);
        rules.forEach(r -> watched.addAll(r.kinds()));
        TriggerEngine replay = new TriggerEngine(rules, TriggerLimits.DEFAULT);
        Map<Long, Unit> units = new HashMap<>();
        long[] sequence = {0};
        show.tap(new ObservationTap() {
            @Override
            public void step(long unit, InteractionKind kind) {
                if (!watched.contains(kind)) {
                    return;
                }
                long now = show.core().nowMillis();
                Unit u = units.computeIfAbsent(unit, k -> new Unit());
                u.watched = true;
                if (u.state == null) {
                    u.state = replay.newSession(now);
                }
                for (TriggerFiring f : replay.onInteraction(u.state, kind, sequence[0], now, 0)) {
                    u.firings.add(new long[] {ruleIndex(rules, f.ruleId()), now, sequence[0]});
                }
                sequence[0]++;
            }

            @Override
            public void converted(long unit, Double value) {
                units.computeIfAbsent(unit, k -> new Unit()).conversions.add(sequence[0]++);
            }
        });
        while (show.core().nowMillis() < 300_000) {
            show.step();
        }

        TriggerAudit audit = show.core().triggers().orElseThrow().audit(show.core().nowMillis());
        long sessions = units.values().stream().filter(u -> u.watched || !u.conversions.isEmpty()).count();
        long converted = units.values().stream().filter(u -> !u.conversions.isEmpty()).count();
        assertEquals(sessions, audit.sessions());
        assertEquals(converted, audit.convertedSessions());
        assertTrue(converted > 300, "enough conversions to mean something: " + converted);
        for (int r = 0; r < rules.size(); r++) {
            final int rule = r;
            TriggerAudit.Row row = audit.triggers().stream().filter(x -> x.id().equals(rules.get(rule).id())).findFirst()
                    .orElseThrow();
            long fired = 0, firings = 0, convertedAfter = 0, convertedAndFired = 0;
            for (Unit u : units.values()) {
                List<long[]> own = u.firings.stream().filter(f -> f[0] == rule).toList();
                firings += own.size();
                if (own.isEmpty()) {
                    continue;
                }
                fired++;
                long first = own.getFirst()[2];
                convertedAfter += u.conversions.stream().anyMatch(c -> c > first) ? 1 : 0;
                convertedAndFired += u.conversions.isEmpty() ? 0 : 1;
            }
            assertEquals(show.core().triggers().orElseThrow().stats().firingsByRule().get(row.id()), firings,
                    "the replay fires as the show did: " + row.id());
            assertEquals(firings, row.firings());
            assertEquals(fired, row.sessionsFired(), row.id());
            assertEquals(convertedAfter, row.convertedAfter(), row.id());
            assertEquals(sessions - fired, row.sessionsNotFired(), row.id());
            assertEquals(converted - convertedAndFired, row.convertedNotFired(), row.id());
            for (int o = 0; o < rules.size(); o++) {
                if (o == r) {
                    continue;
                }
                final int other = o;
                long both = units.values().stream().filter(u -> u.firings.stream().anyMatch(a -> a[0] == rule
                        && u.firings.stream().anyMatch(b -> b[0] == other && Math.abs(a[1] - b[1]) <= 60_000))).count();
                assertEquals(both, row.overlapSessions().get(rules.get(o).id()), row.id() + " with " + rules.get(o).id());
                assertTrue(both > 0, "the show's triggers do overlap");
            }
            assertTrue(row.liftLower() != null && row.liftLower() <= row.lift() && row.lift() <= row.liftUpper(), row.toString());
        }

        RunReport report = Reports.of(show, 1);
        assertEquals(audit, report.triggerAudit(), "the report carries the audit as it stands");
        assertTrue(Reports.summary(report).contains("  1 hot-buyer "), Reports.summary(report));
    }

    private static int ruleIndex(List<TriggerRule> rules, String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException(id);
    }
}
