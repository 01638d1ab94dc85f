package io.edgedeck.simulator.connectors.probe;

/**
 * The interarrival jitter estimator of RFC 3550 section 6.4.1, applied to probes sent at a fixed
 * spacing: for consecutive answered probes i-1 and i, D = latency(i) - latency(i-1) (the change in
 * transit time, as the send spacing cancels out), and J += (|D| - J) / 16. A lost probe is skipped:
 * the next answer is compared with the last one answered. Not thread-safe.
 */
public final class Rfc3550Jitter {
    private double previous = Double.NaN;
    private double jitter;

    /** Adds one answered probe's latency, in ms; returns the jitter after it. */
    public double add(double latencyMs) {
        if (!Double.isNaN(previous)) {
            jitter += (Math.abs(latencyMs - previous) - jitter) / 16.0;
        }
        previous = latencyMs;
        return jitter;
    }

    /** The estimate now, in ms; 0 before two probes were answered. */
    public double jitterMs() {
        return jitter;
    }
}
