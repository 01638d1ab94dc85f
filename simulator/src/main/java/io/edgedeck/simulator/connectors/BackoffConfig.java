package io.edgedeck.simulator.connectors;

/**
 * How a node-initiated connector waits before it tries again: the delay doubles from
 * {@code initialMillis} up to {@code maxMillis}, and each wait is drawn uniformly from the upper half
 * of that delay ("equal jitter"), so connectors that lost the same server do not return in step and
 * none ever retries at once.
 *
 * <p>JSON: {@code {"initialMillis": 500, "maxMillis": 30000}}; either may be left out.
 *
 * @param initialMillis the first delay, at least 10 ms (default 500)
 * @param maxMillis     the largest delay, at least {@code initialMillis} (default 30000)
 */
public record BackoffConfig(Long initialMillis, Long maxMillis) {
    public static final BackoffConfig DEFAULT = new BackoffConfig(null, null);

    public BackoffConfig {
        initialMillis = initialMillis == null ? 500L : initialMillis;
        maxMillis = maxMillis == null ? Math.max(30_000L, initialMillis) : maxMillis;
        if (initialMillis < 10) {
            throw new IllegalArgumentException("initialMillis must be at least 10, not " + initialMillis);
        }
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("maxMillis (" + maxMillis + ") must be at least initialMillis (" + initialMillis + ")");
        }
    }
}
