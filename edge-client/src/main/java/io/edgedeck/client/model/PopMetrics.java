package io.edgedeck.client.model;

/**
 * One PoP in one metrics frame.
 *
 * @param last10s          latency over the last 10 s of engine time
 * @param last60s          latency over the last 60 s of engine time
 * @param jitterMs         RFC 3550 interarrival jitter estimate, in ms
 * @param lossRatio        share of requests lost in the last 10 s, in [0, 1]
 * @param throughputRps    requests served per second over the last 10 s
 * @param requests         requests served since the show started
 * @param errors           requests lost or failed since the show started
 * @param degradedSeconds  engine seconds this PoP spent degraded, down or partitioned
 * @param queueDepth       requests waiting for capacity right now
 * @param pendingCheckouts checkouts accepted locally and waiting for authorisation
 * @param faults           the faults in force, by their wire names (e.g. {@code outage}, {@code jitter})
 * @param baseline         what is normal for this PoP, learned by the node from its own recent seconds
 *                         ({@link PopBaseline#NONE} from a node that learns none)
 * @param value            what it cost and brought in ({@link PopValue#NONE} from a node that counts none)
 * @param slo              the objectives the PoP's node configuration declares for it, which the node judges
 *                         its health by; null when it declares none (the node then judges by its defaults,
 *                         150 ms and 2%, and a console by its own objective) and from a node of an older version
 * @param servedBy         at a fleet aggregator, each node that serves the PoP, whether the aggregator calls it silent
 *                         and since when; empty from a node, and from an aggregator of an older version (its silent
 *                         node's clause is then in {@code faults} only)
 */
public record PopMetrics(String id, String region, PopHealth health,
                         LatencyWindow last10s, LatencyWindow last60s,
                         double jitterMs, double lossRatio, double throughputRps,
                         long requests, long errors, double degradedSeconds,
                         long queueDepth, long pendingCheckouts, java.util.List<String> faults,
                         PopBaseline baseline, PopValue value,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                         PopSlo slo,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                         java.util.List<ServedBy> servedBy) {
    /**
     * A node serving a PoP in an aggregator's frame.
     *
     * @param node           the node's id
     * @param silent         whether the aggregator calls it silent: the PoP's figures from it are its last, not now
     * @param lastSeenMillis when the aggregator last heard from it, epoch ms: {@code GET /api/v1/fleet}'s
     *                       {@code lastSeenMillis} for the node, on the same clock
     * @param fault          while silent, the clause its silence added to the PoP's {@code faults}, exactly as written
     *                       there ({@code "node node-c silent 24 s"}), for a console to tell by its own count; else null
     */
    public record ServedBy(String node, boolean silent, long lastSeenMillis,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           String fault) {
    }

    public PopMetrics {
        faults = faults == null ? java.util.List.of() : java.util.List.copyOf(faults);
        servedBy = servedBy == null ? java.util.List.of() : java.util.List.copyOf(servedBy);
        baseline = baseline == null ? PopBaseline.NONE : baseline;
        value = value == null ? PopValue.NONE : value;
    }

    /** A PoP that names no node serving it: a node's own, or an older aggregator's. */
    public PopMetrics(String id, String region, PopHealth health, LatencyWindow last10s, LatencyWindow last60s,
                      double jitterMs, double lossRatio, double throughputRps, long requests, long errors,
                      double degradedSeconds, long queueDepth, long pendingCheckouts, java.util.List<String> faults,
                      PopBaseline baseline, PopValue value, PopSlo slo) {
        this(id, region, health, last10s, last60s, jitterMs, lossRatio, throughputRps, requests, errors, degradedSeconds,
                queueDepth, pendingCheckouts, faults, baseline, value, slo, null);
    }

    /** Without objectives of its own (a PoP its node configuration declares none for). */
    public PopMetrics(String id, String region, PopHealth health, LatencyWindow last10s, LatencyWindow last60s,
                      double jitterMs, double lossRatio, double throughputRps, long requests, long errors,
                      double degradedSeconds, long queueDepth, long pendingCheckouts, java.util.List<String> faults,
                      PopBaseline baseline, PopValue value) {
        this(id, region, health, last10s, last60s, jitterMs, lossRatio, throughputRps, requests, errors, degradedSeconds,
                queueDepth, pendingCheckouts, faults, baseline, value, null);
    }

    /** Without a cost account (a node that keeps none). */
    public PopMetrics(String id, String region, PopHealth health, LatencyWindow last10s, LatencyWindow last60s,
                      double jitterMs, double lossRatio, double throughputRps, long requests, long errors,
                      double degradedSeconds, long queueDepth, long pendingCheckouts, java.util.List<String> faults,
                      PopBaseline baseline) {
        this(id, region, health, last10s, last60s, jitterMs, lossRatio, throughputRps, requests, errors, degradedSeconds,
                queueDepth, pendingCheckouts, faults, baseline, PopValue.NONE, null);
    }

    /** Without a baseline (a node that learns none). */
    public PopMetrics(String id, String region, PopHealth health, LatencyWindow last10s, LatencyWindow last60s,
                      double jitterMs, double lossRatio, double throughputRps, long requests, long errors,
                      double degradedSeconds, long queueDepth, long pendingCheckouts, java.util.List<String> faults) {
        this(id, region, health, last10s, last60s, jitterMs, lossRatio, throughputRps, requests, errors, degradedSeconds,
                queueDepth, pendingCheckouts, faults, PopBaseline.NONE, PopValue.NONE, null);
    }
}
