package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregator's guardrails without a broker: what is judged when, late counts, acting only when caught up, restarts. */
class FleetGuardrailsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_800_000_000L;

    private static GuardrailSpec rule(GuardrailMetric metric) {
        return new GuardrailSpec("guard", "checkout", "treatment", RuleMatch.ALL,
                List.of(new GuardrailSpec.Condition(metric, ComparisonOp.LT, -0.1)), 120, 300, 120, GuardrailAction.ROLLBACK, true);
    }

    private static FleetGuardrails guardrails() throws Exception {
        JsonNode state = JSON.readTree("""
                {"variants": [{"name": "control", "weight": 5000}, {"name": "treatment", "weight": 5000}], "scope": "global", "killed": false}""");
        return new FleetGuardrails(List.of(rule(GuardrailMetric.CONVERSION_LIFT)),
                Map.of("checkout", new FleetGuardrails.Flag("checkout", "control", state)));
    }

    private static PopSecond second(String node, long second, long treatment, long treatmentConversions, long control,
                                    long controlConversions) {
        return new PopSecond(1, node, "fra", second, 0, 0, null, 0, List.of(
                new PopSecond.ArmCounts("checkout", "control", control, controlConversions, 0, 0, 0, 0),
                new PopSecond.ArmCounts("checkout", "treatment", treatment, treatmentConversions, 0, 0, 0, 0),
                new PopSecond.ArmCounts("other", "treatment", 99, 99, 0, 0, 0, 0)), null, null);
    }

    /** The wall clock at which {@code second} of event time is judged. */
    private static long judged(long second) {
        return (second + 1) * 1000 + FleetGuardrails.SETTLE_MILLIS;
    }

    @Test
    void aSecondIsJudgedOnceSettledAndALateAggregateCountsInTheNextOne() throws Exception {
        FleetGuardrails g = guardrails();
        g.add(second("node-a", T0, 100, 10, 100, 10));
        g.add(second("node-b", T0, 100, 10, 100, 10));
        assertEquals(List.of(), g.evaluate(judged(T0) - 1, true));
        assertEquals(0, g.statuses().getFirst().variantExposures(), "not judged before it settled");
        g.evaluate(judged(T0), true);
        assertEquals(200, g.statuses().getFirst().variantExposures());
        g.add(second("node-c", T0, 150, 15, 150, 15));
        g.evaluate(judged(T0 + 1), true);
        assertEquals(350, g.statuses().getFirst().variantExposures(), "the late aggregate is counted, once");
        assertEquals(GuardrailState.WATCHING, g.statuses().getFirst().state());
    }

    @Test
    void itActsOnlyWhenAllowedAndWritesTheFlagWithTheVariantsWeightMovedToControl() throws Exception {
        FleetGuardrails g = guardrails();
        for (String node : List.of("node-a", "node-b", "node-c")) {
            g.add(second(node, T0, 300, 30, 300, 60));
        }
        assertEquals(List.of(), g.evaluate(judged(T0), false));
        assertEquals(0, g.statuses().getFirst().variantExposures(), "nothing judged before the aggregator first caught up");
        assertEquals(List.of(), g.evaluate(judged(T0) - 1, true));
        assertEquals(List.of(), g.evaluate(judged(T0), false));
        assertEquals(GuardrailState.BREACHED, g.statuses().getFirst().state(), "it holds, but the aggregator is behind again");
        List<FleetGuardrails.Rollback> rollbacks = g.evaluate(judged(T0 + 1), true);
        assertEquals(1, rollbacks.size());
        ControlRecord r = rollbacks.getFirst().record();
        assertEquals("guardrail:guard@fleet", r.operator());
        assertEquals(FleetGuardrails.ISSUER, r.issuer());
        assertEquals("flag/checkout", r.changes().getFirst().key());
        assertEquals(1, r.changes().getFirst().version());
        assertEquals(JSON.readTree("""
                {"variants": [{"name": "control", "weight": 10000}, {"name": "treatment", "weight": 0}], "scope": "global", "killed": false}"""),
                r.changes().getFirst().state());
        assertTrue(r.reason().startsWith("guardrail guard on every node's evidence since "), r.reason());
        assertEquals(1, g.firings().size());
        // Not written yet: offered again, the same record; once settled, no more.
        assertEquals(rollbacks, g.evaluate(judged(T0 + 2), true));
        g.settled(rollbacks.getFirst());
        assertEquals(List.of(), g.evaluate(judged(T0 + 3), true));

        // The rollback comes back on the control topic: the variant serves nobody, and the evidence starts 30 s later.
        g.apply(r, 0);
        assertEquals(1, g.version("flag/checkout"));
        g.add(second("node-a", T0 + 5, 300, 30, 300, 60));
        g.evaluate(judged(T0 + 10), true);
        assertEquals(0, g.statuses().getFirst().variantExposures(), "evidence restarted after the flag's new version settles");
    }

    @Test
    void aReplayReadingOnePopsPartitionAfterAnothersRebuildsTheSameEvidence() throws Exception {
        // The variant rolled back 10 s into the show: its evidence starts 30 s later, when it serves nobody.
        FleetGuardrails g = guardrails();
        g.apply(new ControlRecord(1, "rollback", (T0 + 10) * 1000, "node-a", "ops", "harm", List.of(new ControlRecord.Change(
                "flag/checkout", 1, JSON.readTree("""
                        {"variants": [{"name": "control", "weight": 10000}, {"name": "treatment", "weight": 0}],
                         "scope": "global", "killed": false}""")))), 0);
        // Replayed: node-a's partition read to now, judged once a second meanwhile, then node-b's.
        long now = judged(T0 + 59);
        for (String node : List.of("node-a", "node-b")) {
            for (long t = T0; t < T0 + 60; t++) {
                g.add(t < T0 + 10 ? second(node, t, 100, 10, 100, 10) : second(node, t, 0, 0, 100, 10));
            }
            g.evaluate(now, false);
        }
        g.evaluate(now + 1_000, true);
        assertEquals(List.of(0L, 4_000L), List.of(g.statuses().getFirst().variantExposures(), g.statuses().getFirst().controlExposures()),
                "only the seconds since the evidence's start, of both nodes, as a running aggregator counted them");
    }

    /** Fires the rule on three nodes' bad second {@code T0}; answers the rollback it decided. */
    private static ControlRecord fire(FleetGuardrails g) {
        for (String node : List.of("node-a", "node-b", "node-c")) {
            g.add(second(node, T0, 300, 30, 300, 60));
        }
        List<FleetGuardrails.Rollback> rollbacks = g.evaluate(judged(T0 + 1), true);
        assertEquals(1, rollbacks.size());
        return rollbacks.getFirst().record();
    }

    /** The variant ramped back to 50% by an operator on a node, one second after {@code rollback}. */
    private static ControlRecord rampedBack(ControlRecord rollback) throws Exception {
        return new ControlRecord(1, "ramp", rollback.issuedAtMillis() + 1_000, "node-a", "ops", "try again",
                List.of(new ControlRecord.Change("flag/checkout", 2, JSON.readTree("""
                        {"variants": [{"name": "control", "weight": 5000}, {"name": "treatment", "weight": 5000}],
                         "scope": "global", "killed": false}"""))));
    }

    /** Feeds bad seconds from {@code fromSecond} through {@code toSecond} and judges them; answers the rollbacks decided. */
    private static List<FleetGuardrails.Rollback> badSeconds(FleetGuardrails g, long fromSecond, long toSecond) {
        for (long t = fromSecond; t <= toSecond; t++) {
            for (String node : List.of("node-a", "node-b", "node-c")) {
                g.add(second(node, t, 300, 30, 300, 60));
            }
        }
        return g.evaluate(judged(toSecond), true);
    }

    @Test
    void aRestartedAggregatorReadsItsFiringsBackFromTheControlTopicAndKeepsTheirCooldown() throws Exception {
        FleetGuardrails first = guardrails();
        ControlRecord rollback = fire(first);
        GuardrailFiring fired = first.firings().getFirst();
        first.apply(rollback, 0);
        assertEquals(1, first.firings().size(), "its own rollback read back is the same firing");

        // Started again, it reads the control topic from the start: the rollback, then the operator's ramp back.
        FleetGuardrails again = guardrails();
        again.apply(rollback, 0);
        again.apply(rampedBack(rollback), 1);
        assertEquals(1, again.firings().size());
        GuardrailFiring read = again.firings().getFirst();
        assertEquals(List.of(fired.atMillis(), fired.rule(), fired.flag(), fired.variant(), fired.actor(), fired.reason()),
                List.of(read.atMillis(), read.rule(), read.flag(), read.variant(), read.actor(), read.reason()));
        assertFalse(fired.values().isEmpty(), "the firing lists the figures that tripped it");
        // As Kafka carries it: the record written and read back as JSON keeps them.
        ControlRecord carried = FleetJson.read(FleetJson.bytes(rollback), ControlRecord.class);
        assertEquals(fired.values(), carried.values());
        FleetGuardrails restored = guardrails();
        restored.apply(carried, 0);
        assertEquals(fired.values(), restored.firings().getFirst().values(), "listed again with the figures that tripped it");

        // The same records, but the rollback a node's own: no firing of the aggregator's to remember.
        FleetGuardrails unaware = guardrails();
        unaware.apply(new ControlRecord(1, rollback.id(), rollback.issuedAtMillis(), "node-b", rollback.operator(),
                rollback.reason(), rollback.changes()), 0);
        unaware.apply(rampedBack(rollback), 1);

        // Bad seconds from when the ramp has settled, ending 100 s after the firing: within its 120 s cooldown.
        long settled = rollback.issuedAtMillis() / 1000 + 1 + 30;
        long withinCooldown = rollback.issuedAtMillis() / 1000 + 100;
        assertEquals(1, badSeconds(unaware, settled, withinCooldown).size(), "without the firing, it fires again at once");
        assertEquals(List.of(), badSeconds(again, settled, withinCooldown), "within the cooldown of the firing it read back");
        assertEquals(GuardrailState.BREACHED, again.statuses().getFirst().state(), "it holds, and waits out the cooldown");
        assertEquals(1, badSeconds(again, withinCooldown + 1, rollback.issuedAtMillis() / 1000 + 125).size(),
                "past the cooldown it fires");
    }

    @Test
    void aRuleThatReadsMoreThanCountsIsNotTakenAndArmingComesFromTheTopic() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FleetGuardrails(
                List.of(rule(GuardrailMetric.P95_LATENCY_MS)), Map.of("checkout", new FleetGuardrails.Flag("checkout", "control",
                JSON.createObjectNode()))));
        assertTrue(e.getMessage().contains("guardrail guard: condition p95LatencyMs < -0.1"), e.getMessage());

        FleetGuardrails g = guardrails();
        g.apply(new ControlRecord(1, "disarm", T0 * 1000, "node-a", "ops", "quiet",
                List.of(new ControlRecord.Change("guardrail/guard", 1, JSON.readTree("{\"armed\": false}")))), 0);
        for (String node : List.of("node-a", "node-b", "node-c")) {
            g.add(second(node, T0, 300, 30, 300, 60));
        }
        assertEquals(List.of(), g.evaluate(judged(T0), true), "a disarmed rule does not fire");
        assertEquals(GuardrailState.BREACHED, g.statuses().getFirst().state());
    }
}
