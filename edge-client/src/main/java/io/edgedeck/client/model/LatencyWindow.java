package io.edgedeck.client.model;

/**
 * Latency over one sliding window of engine time.
 *
 * @param seconds the window's length
 * @param count   requests recorded in the window
 */
public record LatencyWindow(int seconds, long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    public static LatencyWindow empty(int seconds) {
        return new LatencyWindow(seconds, 0, 0, 0, 0, 0);
    }
}
