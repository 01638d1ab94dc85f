package io.edgedeck.client.model;

/**
 * One condition of a guardrail as the engine last evaluated it.
 *
 * @param metric    {@code sentimentChange}, {@code conversionLift}, {@code p95LatencyMs}, {@code p99LatencyMs}, {@code errorRate}
 * @param op        {@code <}, {@code <=}, {@code >}, {@code >=}
 * @param threshold the value the metric is compared with
 * @param estimate  the metric's point estimate over the window; null while it cannot be computed
 * @param lower     lower end of its anytime-valid confidence interval; null with the estimate
 * @param upper     upper end; null with the estimate
 * @param holds     true when the whole interval is on the breaching side of the threshold
 */
public record ConditionStatus(String metric, String op, double threshold, Double estimate, Double lower, Double upper,
                              boolean holds) {
}
