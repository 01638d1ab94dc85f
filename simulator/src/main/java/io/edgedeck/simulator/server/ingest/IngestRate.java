package io.edgedeck.simulator.server.ingest;

/**
 * The per-key rate limit of ingest: a token bucket of {@code perSecond} events that refills
 * continuously and holds at most one second's worth. A batch takes as many tokens as it has events;
 * a batch larger than the bucket is let through once the bucket is full, and leaves it in debt.
 * Thread-safe.
 */
final class IngestRate {
    private final double perSecond;
    private double tokens;
    private long lastNanos;

    IngestRate(long perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = nowNanos;
    }

    /**
     * Takes {@code events} tokens if there are enough.
     *
     * @return 0 when taken, otherwise the whole seconds to wait before the batch would be let through
     */
    synchronized long take(int events, long nowNanos) {
        tokens = Math.min(perSecond, tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
        lastNanos = nowNanos;
        double needed = Math.min(events, perSecond);
        if (tokens >= needed) {
            tokens -= events;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((needed - tokens) / perSecond));
    }
}
