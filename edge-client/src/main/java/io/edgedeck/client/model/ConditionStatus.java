package io.edgedeck.client.model;

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
 */
public record ConditionStatus(GuardrailMetric metric, ComparisonOp op, double threshold, Double estimate, Double lower,
                              Double upper, boolean holds, ConditionState state, Double level) {

    public ConditionStatus {
        state = state == null ? ConditionState.NO_DATA : state;
    }

    /** A condition with no estimate yet. */
    public static ConditionStatus noData(GuardrailMetric metric, ComparisonOp op, double threshold) {
        return new ConditionStatus(metric, op, threshold, null, null, null, false, ConditionState.NO_DATA, null);
    }
}
