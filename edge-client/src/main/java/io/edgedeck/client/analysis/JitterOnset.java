package io.edgedeck.client.analysis;

import io.edgedeck.client.model.PopHistory;

import java.util.Optional;

/**
 * When a PoP's jitter first went over a threshold and stayed there: the answer to "since when does
 * Frankfurt stutter". The onset is the first second of the first run of at least
 * {@code sustainSeconds} at or above the threshold. Everything before it is calm by that
 * definition; a lone second over the line (one late packet swings the RFC 3550 estimate for a
 * moment) is not an onset, and a PoP that flaps afterwards keeps the time it first went bad. A second
 * that served no request has no jitter (NaN): it is not over, so an outage neither starts nor holds a run.
 *
 * @param second   the engine second the run starts at
 * @param jitterMs the jitter at the end of that second
 */
public record JitterOnset(long second, double jitterMs) {

    /** How long jitter must stay over the threshold to count, by default. */
    public static final int DEFAULT_SUSTAIN_SECONDS = 3;
    /** The default threshold: jitter a viewer notices as stutter on a live stream. */
    public static final double DEFAULT_THRESHOLD_MS = 15;

    public static Optional<JitterOnset> first(PopHistory h, double thresholdMs, int sustainSeconds) {
        int sustainRows = Math.max(1, Math.ceilDiv(sustainSeconds, h.resolutionSeconds()));
        int run = 0;
        for (int i = 0; i < h.rows(); i++) {
            run = h.jitterMs()[i] >= thresholdMs ? run + 1 : 0;
            if (run == sustainRows) {
                int start = i - run + 1;
                return Optional.of(new JitterOnset(h.startSecond()[start], h.jitterMs()[start]));
            }
        }
        return Optional.empty();
    }
}
