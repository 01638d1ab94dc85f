package io.edgedeck.simulator.connectors;

import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff (see {@link BackoffConfig}). Not thread-safe: one per connector loop.
 */
public final class Backoff {
    private final BackoffConfig config;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(BackoffConfig config, RandomGenerator random) {
        this.config = config;
        this.random = random;
    }

    /** The next wait, in ms: uniform in [d/2, d] where d doubles per failure from initial to max. */
    public long nextDelayMillis() {
        double ceiling = Math.min((double) config.maxMillis(), config.initialMillis() * Math.pow(2, attempt));
        if (ceiling < config.maxMillis()) {
            attempt++;
        }
        long high = (long) ceiling;
        long low = high / 2;
        return low + (high > low ? random.nextLong(high - low + 1) : 0);
    }

    /** The source answered well again: the next failure waits the initial delay. */
    public void reset() {
        attempt = 0;
    }

    /** Failures since the last {@link #reset()}, capped once the delay reaches its maximum. */
    public int attempts() {
        return attempt;
    }
}
