package io.edgedeck.simulator.edge;

/**
 * Shape of the delay added on top of a PoP's base latency, named as Linux netem names its
 * distribution tables so that a rehearsal can be set up from the same numbers an operator
 * would give {@code tc qdisc ... netem delay BASE JITTER distribution NAME}.
 */
public enum LatencyDistribution {
    /** Gaussian around the base delay. */
    NORMAL,
    /** Right-skewed: most requests near the base, a long tail of slow ones. */
    LOGNORMAL,
    /** Heavy tail: rare very slow requests, as a congested uplink produces. */
    PARETO,
    /** netem's mix: 25% normal, 75% pareto; the usual choice for "real internet". */
    PARETONORMAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static LatencyDistribution fromWireName(String name) {
        for (LatencyDistribution d : values()) {
            if (d.wireName().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown latency distribution '" + name
                + "'; expected one of normal, lognormal, pareto, paretonormal");
    }
}
