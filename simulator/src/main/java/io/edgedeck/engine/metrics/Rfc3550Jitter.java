package io.edgedeck.engine.metrics;

/**
 * Interarrival jitter as RFC 3550 section 6.4.1 defines it for RTP: the mean deviation of the
 * difference D in transit time between consecutive packets, smoothed with gain 1/16:
 * {@code J += (|D(i-1,i)| - J) / 16}. Requests served by a PoP are treated as one stream, so the
 * transit time of a request is its latency.
 */
public final class Rfc3550Jitter {
    private double jitter;
    private double lastTransit;
    private boolean hasLast;

    /** Feeds one packet's transit time (any unit; the estimate comes back in the same unit). */
    public void record(double transit) {
        if (hasLast) {
            double d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        hasLast = true;
    }

    public double value() {
        return jitter;
    }
}
