package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;

import java.util.List;

/**
 * A rule comparing one variant of a flag against the flag's control (docs/GUARDRAILS.md). It judges
 * the evidence gathered since its evidence started and since every {@code windowSeconds} after
 * that, decides only once each arm has {@code minExposures} exposures in that evidence, and after
 * firing stays quiet for {@code cooldownSeconds}.
 *
 * @param id              unique id, shown in audit and reports
 * @param flag            the flag's key
 * @param variant         the variant watched (not the control)
 * @param match           whether all or any of the conditions must hold
 * @param conditions      the thresholds; each op points the way harm lies
 * @param windowSeconds   spacing of the evidence periods (a new one starts every windowSeconds)
 * @param minExposures    exposures of each arm since the evidence started before the rule may fire
 * @param cooldownSeconds quiet time after firing
 * @param action          what firing does
 * @param armed           whether it fires on its own; a disarmed guardrail only reports
 */
public record GuardrailSpec(String id, String flag, String variant, RuleMatch match, List<Condition> conditions,
                            int windowSeconds, long minExposures, int cooldownSeconds, GuardrailAction action, boolean armed) {

    public GuardrailSpec {
        conditions = List.copyOf(conditions);
    }

    /** True when any condition reads latency, so per-variant latency must be recorded. */
    public boolean watchesLatency() {
        return conditions.stream().anyMatch(c -> c.metric().isLatency());
    }

    /**
     * One threshold.
     *
     * @param metric what is measured
     * @param op     comparison, pointing the way harm lies
     * @param value  threshold, in the metric's unit
     */
    public record Condition(GuardrailMetric metric, ComparisonOp op, double value) {
        /** Whether an observed value is past the threshold. */
        public boolean holds(double observed) {
            return op.holds(observed, value);
        }
    }
}
