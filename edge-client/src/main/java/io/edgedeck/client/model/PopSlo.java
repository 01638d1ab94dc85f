package io.edgedeck.client.model;

/**
 * A PoP's own objectives, as its node configuration declares them ({@code pops[].slo}): over the last
 * 10 s, a p95 over {@code p95Ms} or a loss ratio over {@code maxLossRatio} and the node calls the PoP
 * {@link PopHealth#DEGRADED}. A console judges the PoP's tile against it rather than its own default.
 *
 * @param p95Ms        the objective for p95 latency, in ms
 * @param maxLossRatio the share of requests that may be lost, in [0, 1)
 */
public record PopSlo(double p95Ms, double maxLossRatio) {
}
