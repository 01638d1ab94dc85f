package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What is normal for one PoP, learned by the node from the PoP's own recent seconds
 * (docs/BASELINES.md): the median and the spread (1.4826 times the median absolute deviation, which
 * is the standard deviation for normally distributed values) of its 10 s p95 latency and of its
 * RFC 3550 jitter, each sampled once per engine second over the last {@code windowSeconds}, skipping
 * the seconds when the PoP had a fault or an alarm.
 *
 * @param p95Ms          the median of the sampled 10 s p95s, in ms; 0 until the PoP's first sampled second (use it once {@link #learned()})
 * @param p95SpreadMs    their spread, in ms, at least {@link #MIN_SPREAD_SHARE} of the median and 1 ms
 * @param jitterMs       the median of the sampled jitter values, in ms; 0 until the first sampled second
 * @param jitterSpreadMs their spread, in ms, with the same floors
 * @param samples        seconds in the window the baseline was learned from
 * @param windowSeconds  the window's length in engine seconds
 * @param frozenBy       why the PoP's seconds are not being learned from right now ({@code fault},
 *                       {@code alarm}, {@code down}, {@code no-data}, {@code settling}, {@code idle}),
 *                       or null while they are
 */
public record PopBaseline(double p95Ms, double p95SpreadMs, double jitterMs, double jitterSpreadMs,
                          int samples, int windowSeconds, String frozenBy) {
    /** Seconds of history before a baseline is used: one minute. */
    public static final int MIN_SAMPLES = 60;
    /** The spread is never taken below this share of the median, so a very steady PoP does not alarm on noise. */
    public static final double MIN_SPREAD_SHARE = 0.05;
    /** How many spreads above normal is outside the normal band. */
    public static final double BAND_SPREADS = 3;

    /** From a node that learns no baselines (an older node), or before its first second. */
    public static final PopBaseline NONE = new PopBaseline(0, 0, 0, 0, 0, 0, null);

    /** True once enough seconds were learned from for the baseline to be used. */
    @JsonIgnore
    public boolean learned() {
        return samples >= MIN_SAMPLES && p95Ms > 0;
    }

    /** True while the PoP's seconds are not being learned from (a fault, an alarm). */
    @JsonIgnore
    public boolean frozen() {
        return frozenBy != null;
    }

    /** The top of the normal band of p95 latency: median plus {@link #BAND_SPREADS} spreads; NaN until learned. */
    @JsonIgnore
    public double p95HighMs() {
        return learned() ? p95Ms + BAND_SPREADS * p95SpreadMs : Double.NaN;
    }

    /** A p95 over the learned normal: 1.5 means half as slow again as normal; NaN until learned. */
    public double p95VsBaseline(double p95NowMs) {
        return learned() ? p95NowMs / p95Ms : Double.NaN;
    }
}
