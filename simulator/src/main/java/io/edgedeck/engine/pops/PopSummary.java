package io.edgedeck.engine.pops;

import io.edgedeck.client.model.LatencyWindow;

/**
 * A PoP over the whole show, for the run report.
 *
 * @param latency         latency over every completed second
 * @param meanJitterMs    the RFC 3550 estimate at the end of each completed second, averaged
 * @param degradedSeconds engine seconds spent degraded, down or partitioned
 */
public record PopSummary(String id, String region, long requests, long errors, LatencyWindow latency, double meanJitterMs,
                         double degradedSeconds) {
}
