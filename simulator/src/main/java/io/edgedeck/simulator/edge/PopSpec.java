package io.edgedeck.simulator.edge;

/**
 * A point of presence as a show configures it.
 *
 * @param id                     short id, e.g. {@code fra}
 * @param region                 region id, e.g. {@code eu}
 * @param capacityRps            requests per second the PoP serves before it sheds to the next PoP
 * @param latency                its latency model
 * @param propagationDelayMillis how long a flag change takes to reach it
 * @param cost                   what it costs the producer (docs/COST.md), or null when the show gives none
 */
public record PopSpec(String id, String region, double capacityRps, LatencySpec latency, long propagationDelayMillis,
                      io.edgedeck.engine.pops.PopCost cost) {
    public PopSpec {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("PoP id is required");
        if (region == null || region.isBlank()) throw new IllegalArgumentException("PoP " + id + ": region is required");
        if (!(capacityRps > 0)) throw new IllegalArgumentException("PoP " + id + ": capacityRps must be > 0, was " + capacityRps);
        if (latency == null) throw new IllegalArgumentException("PoP " + id + ": latency is required");
        if (propagationDelayMillis < 0) throw new IllegalArgumentException("PoP " + id + ": propagationDelayMillis must be >= 0");
    }

    /** A PoP without a cost. */
    public PopSpec(String id, String region, double capacityRps, LatencySpec latency, long propagationDelayMillis) {
        this(id, region, capacityRps, latency, propagationDelayMillis, null);
    }
}
