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
 */
public record PopMetrics(String id, String region, PopHealth health,
                         LatencyWindow last10s, LatencyWindow last60s,
                         double jitterMs, double lossRatio, double throughputRps,
                         long requests, long errors, double degradedSeconds,
                         long queueDepth, long pendingCheckouts, java.util.List<String> faults,
                         PopBaseline baseline, PopValue value) {
    public PopMetrics {
        faults = faults == null ? java.util.List.of() : java.util.List.copyOf(faults);
        baseline = baseline == null ? PopBaseline.NONE : baseline;
        value = value == null ? PopValue.NONE : value;
    }

    /** Without a cost account (a node that keeps none). */
    public PopMetrics(String id, String region, PopHealth health, LatencyWindow last10s, LatencyWindow last60s,
                      double jitterMs, double lossRatio, double throughputRps, long requests, long errors,
                      double degradedSeconds, long queueDepth, long pendingCheckouts, java.util.List<String> faults,
                      PopBaseline baseline) {
        this(id, region, health, last10s, last60s, jitterMs, lossRatio, throughputRps, requests, errors, degradedSeconds,
                queueDepth, pendingCheckouts, faults, baseline, PopValue.NONE);
    }

    /** Without a baseline (a node that learns none). */
    public PopMetrics(String id, String region, PopHealth health, LatencyWindow last10s, LatencyWindow last60s,
                      double jitterMs, double lossRatio, double throughputRps, long requests, long errors,
                      double degradedSeconds, long queueDepth, long pendingCheckouts, java.util.List<String> faults) {
        this(id, region, health, last10s, last60s, jitterMs, lossRatio, throughputRps, requests, errors, degradedSeconds,
                queueDepth, pendingCheckouts, faults, PopBaseline.NONE, PopValue.NONE);
    }
}
