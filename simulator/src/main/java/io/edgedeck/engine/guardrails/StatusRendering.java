package io.edgedeck.engine.guardrails;

import io.edgedeck.client.guardrails.GuardrailExplanations;
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

    /**
     * The estimates by metric name; metrics without one are left out. A sentiment change with an end no data can bound
     * (control's chat may be neutral) is recorded as the difference of the mean scores instead
     * ({@link GuardrailExplanations#SENTIMENT_SCORE_DIFFERENCE}): its share is the difference over the 0.1 floor, no
     * number to read.
     */
    static Map<String, Double> values(List<ConditionStatus> conditions) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (ConditionStatus cs : conditions) {
            if (GuardrailExplanations.byScore(cs) && cs.meanDifference() != null) {
                values.put(GuardrailExplanations.SENTIMENT_SCORE_DIFFERENCE, cs.meanDifference().estimate());
            } else {
                values.put(cs.metric().wireName(), cs.estimate());
            }
        }
        return values;
    }
}
