package io.edgedeck.client.analysis;

import io.edgedeck.client.model.PopHistory;
import org.HdrHistogram.Histogram;

/**
 * A PoP's latency over a span of rows, two ways.
 *
 * <p><b>As recorded</b>: the engine's load is open-loop (each session sends on its own schedule,
 * whatever the edge is doing) and each request's latency includes any time it queued, so these
 * percentiles carry no coordinated omission: they are what the audience got.
 *
 * <p><b>As a closed-loop prober would see it</b>: HdrHistogram's
 * {@code copyCorrectedForCoordinatedOmission} with the expected interval at the span's average
 * request rate (1 s / requests per second). It adds the requests a prober that waits for each
 * answer before sending the next would have been kept from sending. When the gap between requests
 * is longer than the latencies, both views agree; when they differ, the corrected one is what a
 * synthetic monitor (a ping every interval) would report, and the difference is a measure of stalls.
 *
 * <p>The percentiles come from the span's heatmap buckets (each count taken at its bucket's geometric
 * middle), because per-second histograms are not kept: they are accurate to about ±15%, a bucket's
 * width ({@link #BUCKET_PRECISION}). The maximum is the largest of the rows' own recorded maxima
 * (exact to HdrHistogram's 1%), so it matches the history; it falls back to the heatmap only when no
 * row recorded one ({@link #maxExact()} says which).
 */
public record SpanLatency(long requests, long lost, double seconds, double p50Ms, double p95Ms, double p99Ms, double maxMs,
                          double expectedIntervalMs, double correctedP50Ms, double correctedP95Ms,
                          double correctedP99Ms, double correctedMaxMs, boolean maxExact) {

    /** How far a figure taken from the heatmap's buckets may be from what was recorded: a bucket's width. */
    public static final double BUCKET_PRECISION = 0.15;

    private static final long HIGHEST_MICROS = 120_000_000L;

    /** Rows {@code [from, to)} of a history. */
    public static SpanLatency of(PopHistory h, int from, int to) {
        Histogram recorded = new Histogram(1, HIGHEST_MICROS, 2);
        double[] edges = h.bucketEdgesMs();
        long requests = 0;
        long lost = 0;
        double recordedMaxMs = Double.NaN;
        for (int r = from; r < to; r++) {
            requests += h.requests()[r];
            lost += h.lost()[r];
            double rowMax = h.maxMs()[r];
            if (h.requests()[r] > 0 && rowMax > 0 && (Double.isNaN(recordedMaxMs) || rowMax > recordedMaxMs)) {
                recordedMaxMs = rowMax;
            }
            for (int b = 0; b < h.buckets(); b++) {
                long count = h.heat(r, b);
                if (count > 0) {
                    recorded.recordValueWithCount(Math.round(Math.sqrt(edges[b] * edges[b + 1]) * 1000), count);
                }
            }
        }
        double seconds = Math.max(0, to - from) * (double) h.resolutionSeconds();
        if (recorded.getTotalCount() == 0) {
            return new SpanLatency(requests, lost, seconds, 0, 0, 0, 0, 0, 0, 0, 0, 0, false);
        }
        boolean exact = !Double.isNaN(recordedMaxMs);
        // The correction only adds values below the largest one, so both views share the maximum.
        double maxMs = exact ? recordedMaxMs : ms(recorded.getMaxValue());
        long intervalMicros = Math.max(1, Math.round(seconds * 1_000_000 / recorded.getTotalCount()));
        Histogram corrected = recorded.copyCorrectedForCoordinatedOmission(intervalMicros);
        // A bucket's middle can lie above the largest request that landed in it; no percentile exceeds the max.
        return new SpanLatency(requests, lost, seconds,
                atMost(recorded, 50, maxMs), atMost(recorded, 95, maxMs), atMost(recorded, 99, maxMs), maxMs,
                intervalMicros / 1000.0, atMost(corrected, 50, maxMs), atMost(corrected, 95, maxMs),
                atMost(corrected, 99, maxMs), exact ? maxMs : ms(corrected.getMaxValue()), exact);
    }

    private static double atMost(Histogram h, double percentile, double maxMs) {
        return Math.min(ms(h.getValueAtPercentile(percentile)), maxMs);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
