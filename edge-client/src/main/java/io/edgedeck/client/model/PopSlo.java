package io.edgedeck.client.model;

/**
 * A PoP's own objectives, as its node configuration declares them ({@code pops[].slo}): over the last
 * 10 s, a p95 over {@code p95Ms} or a loss ratio over {@code maxLossRatio} and the node calls the PoP
 * {@link PopHealth#DEGRADED}. A console judges the PoP's tile against its {@code p95Ms} rather than its own
 * objective; where the configuration gives the PoP no {@code p95Ms} (an {@code slo} with {@code maxLossRatio}
 * alone), there is none (null, absent on the wire) and the console keeps its own, as for a PoP with no
 * {@code slo}: the node then calls it degraded over 150 ms, the default.
 *
 * @param p95Ms        the objective for p95 latency, in ms; null where the configuration declares none for the PoP
 * @param maxLossRatio the share of requests that may be lost, in [0, 1)
 */
public record PopSlo(@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Double p95Ms,
                     double maxLossRatio) {
    /** Both objectives stated. */
    public PopSlo(double p95Ms, double maxLossRatio) {
        this(Double.valueOf(p95Ms), maxLossRatio);
    }

    /** Whether the configuration declares a p95 objective for the PoP. */
    public boolean declaresP95() {
        return p95Ms != null;
    }
}
