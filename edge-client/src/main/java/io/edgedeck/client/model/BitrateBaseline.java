package io.edgedeck.client.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/**
 * Judges a stream's output bitrate against what the same stream sent while it was healthy, which
 * OBS's own thresholds never do: a stream that falls from 6000 to 800 kb/s drops no frames and
 * renders on time, yet looks and sounds far worse.
 *
 * <p>The rule: the baseline is the median of the healthy readings (streaming, not reconnecting,
 * every other judgement within OBS's thresholds, and the bitrate itself not low) of the last
 * {@link #BASELINE_WINDOW_MILLIS}, at most one a second. It judges nothing until those readings span
 * {@link #MIN_BASELINE_SPAN_MILLIS}, so a stream that starts low is compared with nothing and does
 * not alarm. A bitrate below {@link #WARN_SHARE} of the baseline warns, below {@link #BAD_SHARE} is
 * bad, once it has stayed below that share for {@link #SUSTAINED_MILLIS}: a dip for a reading or two
 * does not alarm. While the bitrate stays low the last baseline is kept, so a lasting collapse stays
 * red; the baseline starts afresh when the stream stops or OBS is read anew ({@link #reset()}), as a
 * changed bitrate setting takes effect only when OBS restarts the stream.
 *
 * <p>Used by the live obs-websocket connector and the rehearsal's simulated encoder alike. One
 * thread at a time.
 */
public final class BitrateBaseline {
    /** Below this share of the baseline, sustained, warns. */
    public static final double WARN_SHARE = 0.5;
    /** Below this share of the baseline, sustained, is bad. */
    public static final double BAD_SHARE = 0.25;
    /** How long the bitrate must stay below a share before it counts. */
    public static final long SUSTAINED_MILLIS = 10_000;
    /** The healthy readings the baseline is the median of. */
    public static final long BASELINE_WINDOW_MILLIS = 300_000;
    /** The span of healthy readings needed before there is a baseline to compare with. */
    public static final long MIN_BASELINE_SPAN_MILLIS = 30_000;

    /** A judgement: the level, and a sentence for a person when it is not OK (else empty). */
    public record Verdict(EncoderHealth.Level level, String why) {
        static final Verdict OK = new Verdict(EncoderHealth.Level.OK, "");
    }

    private record Reading(long atMillis, double kbps) {
    }

    private final ArrayDeque<Reading> healthy = new ArrayDeque<>();
    private double baseline = Double.NaN;
    private long belowWarnSince = -1;
    private long belowBadSince = -1;

    /**
     * Judges a read of the stream's bitrate and learns from it.
     *
     * @param atMillis          when it was read
     * @param kbps              the output bitrate then
     * @param otherwiseHealthy  streaming, not reconnecting, and every other judgement OK
     */
    public Verdict judge(long atMillis, double kbps, boolean otherwiseHealthy) {
        while (!healthy.isEmpty() && healthy.peekFirst().atMillis() < atMillis - BASELINE_WINDOW_MILLIS) {
            healthy.pollFirst();
        }
        double share = Double.isNaN(baseline) || baseline <= 0 ? Double.NaN : kbps / baseline;
        boolean low = share < WARN_SHARE;
        if (otherwiseHealthy && !low && (healthy.isEmpty() || atMillis - healthy.peekLast().atMillis() >= 1000)) {
            healthy.addLast(new Reading(atMillis, kbps));
            if (healthy.peekLast().atMillis() - healthy.peekFirst().atMillis() >= MIN_BASELINE_SPAN_MILLIS) {
                baseline = median();
                share = kbps / baseline;
            }
        }
        belowWarnSince = share < WARN_SHARE ? (belowWarnSince < 0 ? atMillis : belowWarnSince) : -1;
        belowBadSince = share < BAD_SHARE ? (belowBadSince < 0 ? atMillis : belowBadSince) : -1;
        EncoderHealth.Level level = belowBadSince >= 0 && atMillis - belowBadSince >= SUSTAINED_MILLIS ? EncoderHealth.Level.BAD
                : belowWarnSince >= 0 && atMillis - belowWarnSince >= SUSTAINED_MILLIS ? EncoderHealth.Level.WARN
                : EncoderHealth.Level.OK;
        if (level == EncoderHealth.Level.OK) {
            return Verdict.OK;
        }
        long since = atMillis - (level == EncoderHealth.Level.BAD ? belowBadSince : belowWarnSince);
        return new Verdict(level, String.format(Locale.ROOT, "bitrate %,.0f kb/s, %.0f%% of its usual %,.0f kb/s for %d s",
                kbps, 100 * share, baseline, since / 1000));
    }

    /** The stream stopped or OBS is read anew: no baseline until healthy readings span enough again. */
    public void reset() {
        healthy.clear();
        baseline = Double.NaN;
        belowWarnSince = -1;
        belowBadSince = -1;
    }

    /** The baseline now, kb/s; NaN while there is none. */
    public double baselineKbps() {
        return baseline;
    }

    private double median() {
        double[] v = healthy.stream().mapToDouble(Reading::kbps).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
