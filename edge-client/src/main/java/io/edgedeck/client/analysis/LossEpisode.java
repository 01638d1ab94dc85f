package io.edgedeck.client.analysis;

import io.edgedeck.client.model.PopHistory;

import java.util.Locale;
import java.util.Optional;

/**
 * When a PoP first lost a share of its requests and kept losing it: the answer to "which PoP drops
 * requests, since when". A row is <em>lossy</em> when at least {@value #MIN_LOST} of its requests
 * got no answer and they were at least the threshold's share of the row's requests (served and
 * lost); with fewer, one unlucky request in a quiet second would read as a storm. The episode starts
 * at the first second of the first run of at least {@code sustainSeconds} lossy, and ends at the
 * first second of the first run of as many seconds that are not lossy (a row that served and lost
 * nothing is not lossy), so one noisy second under the line inside a lasting loss does not end it.
 *
 * @param second      the engine second the episode starts at
 * @param untilSecond the second it ended at (the first second of the calm run after it), or -1 when
 *                    it still went on at the end of the history
 * @param requests    requests served in the episode
 * @param lost        requests lost in the episode
 */
public record LossEpisode(long second, long untilSecond, long requests, long lost) {

    /** The share of a second's requests lost that counts, by default: far above what a healthy PoP loses. */
    public static final double DEFAULT_THRESHOLD = 0.05;
    /** How long loss must stay over the threshold to count, by default: as long as jitter must. */
    public static final int DEFAULT_SUSTAIN_SECONDS = JitterOnset.DEFAULT_SUSTAIN_SECONDS;
    /** The fewest requests a row must lose to be lossy. */
    public static final int MIN_LOST = 2;
    /** A change at most this long before an episode is named as what it came right after. */
    public static final int RIGHT_AFTER_SECONDS = 10;

    /** The share of the episode's requests lost. */
    public double share() {
        return share(requests, lost);
    }

    /** The first loss episode of {@code h}, by {@link #DEFAULT_THRESHOLD} held {@link #DEFAULT_SUSTAIN_SECONDS}. */
    public static Optional<LossEpisode> first(PopHistory h) {
        return first(h, DEFAULT_THRESHOLD, DEFAULT_SUSTAIN_SECONDS);
    }

    public static Optional<LossEpisode> first(PopHistory h, double threshold, int sustainSeconds) {
        int sustainRows = Math.max(1, Math.ceilDiv(sustainSeconds, h.resolutionSeconds()));
        int run = 0;
        int start = -1;
        for (int i = 0; i < h.rows() && start < 0; i++) {
            run = lossy(h, i, threshold) ? run + 1 : 0;
            if (run == sustainRows) {
                start = i - run + 1;
            }
        }
        if (start < 0) {
            return Optional.empty();
        }
        int end = h.rows();
        int calm = 0;
        for (int i = start + sustainRows; i < h.rows(); i++) {
            calm = lossy(h, i, threshold) ? 0 : calm + 1;
            if (calm == sustainRows) {
                end = i - calm + 1;
                break;
            }
        }
        long requests = 0;
        long lost = 0;
        for (int i = start; i < end; i++) {
            requests += h.requests()[i];
            lost += h.lost()[i];
        }
        return Optional.of(new LossEpisode(h.startSecond()[start], end == h.rows() ? -1 : h.startSecond()[end], requests, lost));
    }

    /** Whether row {@code i} lost at least {@value #MIN_LOST} requests and {@code threshold} of them. */
    static boolean lossy(PopHistory h, int i, double threshold) {
        long lost = h.lost()[i];
        return lost >= MIN_LOST && share(h.requests()[i], lost) >= threshold;
    }

    /** The share of requests lost, {@code lost / (served + lost)}; NaN when there were none. */
    public static double share(long served, long lost) {
        return served + lost == 0 ? Double.NaN : (double) lost / (served + lost);
    }

    /** What happened, in engine time: "rose to 30.1% at 2:00 and fell back at 5:00". */
    public String describe() {
        return describe(share(), second, untilSecond);
    }

    /** An episode's sentence from its parts; {@code untilSecond} -1 when it went on to the end. */
    public static String describe(double share, long second, long untilSecond) {
        return "rose to " + percent(share) + " at " + WhatChanged.clock(second)
                + (untilSecond < 0 ? " and still held at the end" : " and fell back at " + WhatChanged.clock(untilSecond));
    }

    /**
     * How an episode reads against the newest change before it: "right after" when that change came
     * within {@value #RIGHT_AFTER_SECONDS} s before the episode started, else "after".
     */
    public static String after(long episodeSecond, long changeMillis) {
        return episodeSecond * 1000 - changeMillis <= RIGHT_AFTER_SECONDS * 1000 ? "right after" : "after";
    }

    /** A share as a person reads it: "30.1%", "0.1%", "–" for none; a share under 0.1% but not none as "<0.1%". */
    public static String percent(double share) {
        if (Double.isNaN(share)) {
            return "–";
        }
        if (share > 0 && share < 0.0005) {
            return "<0.1%";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
