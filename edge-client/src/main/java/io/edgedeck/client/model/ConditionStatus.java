package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One condition of a guardrail as the engine last evaluated it, over the evidence period the rule
 * shows ({@link GuardrailStatus#periodSinceMillis()}).
 *
 * @param metric    what is measured
 * @param op        the comparison with the threshold; its direction is the direction of harm
 * @param threshold the value the metric is compared with, in the metric's unit
 * @param estimate  the metric's point estimate; null while there is too little data
 * @param lower     lower end of its anytime-valid confidence interval; null with no estimate, or
 *                  while the data cannot bound that side
 * @param upper     upper end; null likewise
 * @param holds     true when this condition alone establishes harm: the estimate is past the
 *                  threshold and the whole interval is clear of no harm
 * @param state     what the interval says about the condition (never null; {@code no-data} when absent)
 * @param level     the confidence level of each end of the interval (each is a one-sided anytime
 *                  bound), e.g. 0.9975; null with no estimate
 * @param meanDifference for {@code sentimentChange}, the difference of the arms' mean scores and its
 *                  interval at the same level, always bounded (harm is established on it); absent for
 *                  other metrics, with no estimate, and from nodes that do not send it
 */
public record ConditionStatus(GuardrailMetric metric, ComparisonOp op, double threshold, Double estimate, Double lower,
                              Double upper, boolean holds, ConditionState state, Double level,
                              @JsonInclude(JsonInclude.Include.NON_NULL) MeanDifference meanDifference) {

    public ConditionStatus {
        state = state == null ? ConditionState.NO_DATA : state;
    }

    /** A condition without a difference of means: any metric but {@code sentimentChange}. */
    public ConditionStatus(GuardrailMetric metric, ComparisonOp op, double threshold, Double estimate, Double lower,
                           Double upper, boolean holds, ConditionState state, Double level) {
        this(metric, op, threshold, estimate, lower, upper, holds, state, level, null);
    }

    /** A condition with no estimate yet. */
    public static ConditionStatus noData(GuardrailMetric metric, ComparisonOp op, double threshold) {
        return new ConditionStatus(metric, op, threshold, null, null, null, false, ConditionState.NO_DATA, null);
    }
}
