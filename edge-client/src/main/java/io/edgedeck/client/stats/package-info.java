/**
 * Anytime-valid statistics for comparing a variant with its control while a show runs: confidence
 * sequences that stay valid however often they are looked at, for a ratio of event rates
 * ({@link io.edgedeck.client.stats.RateRatio}), a difference or relative change of two means
 * ({@link io.edgedeck.client.stats.TwoMeans}), a proportion
 * ({@link io.edgedeck.client.stats.BetaBinomial}) and a quantile
 * ({@link io.edgedeck.client.stats.QuantileBounds}), and the split of an error budget over
 * evidence periods ({@link io.edgedeck.client.stats.AlphaSpending}).
 *
 * <p>Pure functions of counts and sums: no engine type, no clock, no state. The engine's guardrails
 * decide with them and the console colours a lift with the same ones. Each class states its
 * guarantee and its assumptions; docs/GUARDRAILS.md gives the measured error rates.
 */
package io.edgedeck.client.stats;
