package io.edgedeck.engine.pops;

/**
 * A PoP as the edge core knows it: where it is, how long a flag change takes to reach it, and
 * what counts as healthy there. Nothing about how it behaves: that is observed.
 *
 * @param id                     short id, e.g. {@code fra}
 * @param region                 region id, e.g. {@code eu}
 * @param propagationDelayMillis how long a flag change takes to reach it
 * @param slo                    its objectives, from which its health is judged when no status source reports it
 * @param cost                   what it costs the producer, or null when the configuration gives no cost
 */
public record PopSite(String id, String region, long propagationDelayMillis, Slo slo, PopCost cost) {
    public PopSite {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("PoP id is required");
        if (region == null || region.isBlank()) throw new IllegalArgumentException("PoP " + id + ": region is required");
        if (propagationDelayMillis < 0) throw new IllegalArgumentException("PoP " + id + ": propagationDelayMillis must be >= 0");
        if (slo == null) throw new IllegalArgumentException("PoP " + id + ": slo is required (Slo.DEFAULT for the defaults)");
    }

    /** A PoP without a cost. */
    public PopSite(String id, String region, long propagationDelayMillis, Slo slo) {
        this(id, region, propagationDelayMillis, slo, null);
    }

    /** A PoP with the default objectives. */
    public static PopSite of(String id, String region, long propagationDelayMillis) {
        return new PopSite(id, region, propagationDelayMillis, Slo.DEFAULT);
    }
}
