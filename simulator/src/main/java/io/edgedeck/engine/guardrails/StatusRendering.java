package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a rule is shown: its status record for frames and the API, and the metric values a firing
 * records. The words come from {@link io.edgedeck.client.guardrails.GuardrailExplanations}, shared
 * with the console.
 */
final class StatusRendering {
    private StatusRendering() {
    }

    /** What a rule's conditions say over the period it shows. */
    record Judgement(List<ConditionStatus> conditions, Long periodSinceMillis, boolean holds) {
    }

    /** A rule that has no evidence yet: every condition without an estimate. */
    static Judgement nothingYet(GuardrailSpec s) {
        return new Judgement(s.conditions().stream()
                .map(c -> ConditionStatus.noData(c.metric(), c.op(), c.value())).toList(), null, false);
    }

    static GuardrailStatus status(GuardrailSpec s, boolean armed, GuardrailState state, Judgement j, Evidence evidence,
                                  boolean evidenceBegun, Long lastFiredAt, double alpha) {
        return new GuardrailStatus(s.id(), s.flag(), s.variant(), s.match(), s.action(), armed, state, j.conditions(),
                evidenceBegun ? evidence.variant().exposures() : 0, evidenceBegun ? evidence.control().exposures() : 0,
                s.minExposures(), s.windowSeconds(), lastFiredAt, evidenceBegun ? evidence.sinceMillis() : null,
                j.periodSinceMillis(), alpha);
    }

    /** The estimates by metric name; metrics without one are left out. */
    static Map<String, Double> values(List<ConditionStatus> conditions) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (ConditionStatus cs : conditions) {
            values.put(cs.metric().wireName(), cs.estimate());
        }
        return values;
    }
}
