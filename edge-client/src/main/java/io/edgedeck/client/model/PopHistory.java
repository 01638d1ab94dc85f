package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Arrays;
import java.util.Objects;

/**
 * One PoP's latency over time, as columns: row {@code i} covers engine seconds
 * {@code [startSecond[i], startSecond[i] + resolutionSeconds)}. Columns are arrays rather than a
 * list of row objects so hours of history travel and sit in memory compactly.
 *
 * <p>A row with no served requests has zero latencies: read {@code requests} before the
 * percentiles. Latencies come from HdrHistogram at two significant digits (1% resolution).
 *
 * @param resolutionSeconds 1 for per-second rows; more where old history was downsampled
 * @param bucketEdgesMs     heatmap bucket edges, one more than there are buckets; the first bucket
 *                          also holds everything below the first edge, the last everything above the last
 * @param requests          requests served in the row
 * @param lost              requests that got no answer in the row
 * @param jitterMs          RFC 3550 jitter at the end of the row (for downsampled rows: the highest
 *                          per-second value inside it, so a spike is never averaged away); NaN for a
 *                          row that served no request, which measured no jitter
 * @param heatmap           row-major counts: {@code heatmap[row * buckets() + bucket]}
 * @param probes            the same PoP over the same span as the node's active probes measured it
 *                          (SmokePing-style, {@code source: probe}), in rows of its own with the same
 *                          columns ({@code requests} are answered probes, {@code lost} unanswered ones),
 *                          and no {@code probes} of its own; null (absent on the wire) when no probe has
 *                          measured this PoP. The columns above are then the audience's alone: what
 *                          viewers were served, from their own reports and CDN logs.
 */
public record PopHistory(String pop, int resolutionSeconds, double[] bucketEdgesMs,
                         long[] startSecond, long[] requests, long[] lost,
                         double[] p5Ms, double[] p50Ms, double[] p95Ms, double[] p99Ms, double[] maxMs,
                         double[] jitterMs, long[] heatmap,
                         @JsonInclude(JsonInclude.Include.NON_NULL) PopHistory probes) {

    public PopHistory {
        Objects.requireNonNull(pop, "pop");
        int rows = startSecond.length;
        if (resolutionSeconds < 1) {
            throw new IllegalArgumentException("resolutionSeconds must be at least 1, was " + resolutionSeconds);
        }
        if (bucketEdgesMs.length < 2) {
            throw new IllegalArgumentException("a heatmap needs at least two bucket edges");
        }
        for (Object column : new Object[] {requests, lost, p5Ms, p50Ms, p95Ms, p99Ms, maxMs, jitterMs}) {
            if (java.lang.reflect.Array.getLength(column) != rows) {
                throw new IllegalArgumentException("every column of " + pop + " must have " + rows + " rows");
            }
        }
        if (heatmap.length != rows * (bucketEdgesMs.length - 1)) {
            throw new IllegalArgumentException("the heatmap of " + pop + " must have " + rows + " x "
                    + (bucketEdgesMs.length - 1) + " counts, has " + heatmap.length);
        }
        if (probes != null && (probes.probes != null || !probes.pop.equals(pop))) {
            throw new IllegalArgumentException("the probe series of " + pop + " must be of the same PoP and hold no probe series itself");
        }
    }

    /** A PoP's history without a probe series. */
    public PopHistory(String pop, int resolutionSeconds, double[] bucketEdgesMs, long[] startSecond, long[] requests, long[] lost,
                      double[] p5Ms, double[] p50Ms, double[] p95Ms, double[] p99Ms, double[] maxMs, double[] jitterMs,
                      long[] heatmap) {
        this(pop, resolutionSeconds, bucketEdgesMs, startSecond, requests, lost, p5Ms, p50Ms, p95Ms, p99Ms, maxMs, jitterMs,
                heatmap, null);
    }

    /** This history with {@code series} as its probe series. */
    public PopHistory withProbes(PopHistory series) {
        return new PopHistory(pop, resolutionSeconds, bucketEdgesMs, startSecond, requests, lost, p5Ms, p50Ms, p95Ms, p99Ms, maxMs,
                jitterMs, heatmap, series);
    }

    public int rows() {
        return startSecond.length;
    }

    public int buckets() {
        return bucketEdgesMs.length - 1;
    }

    public long heat(int row, int bucket) {
        return heatmap[row * buckets() + bucket];
    }

    /** The first row that ends after {@code second}, or {@link #rows()} when none does. */
    public int firstRowEndingAfter(long second) {
        int i = Arrays.binarySearch(startSecond, second - resolutionSeconds + 1);
        return i >= 0 ? i : -i - 1;
    }

    /** The rows overlapping engine seconds {@code [fromSecond, toSecond)}, as a history of their own. */
    public PopHistory between(long fromSecond, long toSecond) {
        int from = firstRowEndingAfter(fromSecond);
        int to = Math.max(from, firstRowEndingAfter(toSecond - 1));
        if (to < rows() && startSecond[to] < toSecond) {
            to++;
        }
        int b = buckets();
        return new PopHistory(pop, resolutionSeconds, bucketEdgesMs, Arrays.copyOfRange(startSecond, from, to),
                Arrays.copyOfRange(requests, from, to), Arrays.copyOfRange(lost, from, to), Arrays.copyOfRange(p5Ms, from, to),
                Arrays.copyOfRange(p50Ms, from, to), Arrays.copyOfRange(p95Ms, from, to), Arrays.copyOfRange(p99Ms, from, to),
                Arrays.copyOfRange(maxMs, from, to), Arrays.copyOfRange(jitterMs, from, to),
                Arrays.copyOfRange(heatmap, from * b, to * b), probes == null ? null : probes.between(fromSecond, toSecond));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PopHistory h && pop.equals(h.pop) && resolutionSeconds == h.resolutionSeconds
                && Arrays.equals(bucketEdgesMs, h.bucketEdgesMs) && Arrays.equals(startSecond, h.startSecond)
                && Arrays.equals(requests, h.requests) && Arrays.equals(lost, h.lost)
                && Arrays.equals(p5Ms, h.p5Ms) && Arrays.equals(p50Ms, h.p50Ms) && Arrays.equals(p95Ms, h.p95Ms)
                && Arrays.equals(p99Ms, h.p99Ms) && Arrays.equals(maxMs, h.maxMs)
                && Arrays.equals(jitterMs, h.jitterMs) && Arrays.equals(heatmap, h.heatmap) && Objects.equals(probes, h.probes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pop, resolutionSeconds, Arrays.hashCode(startSecond), Arrays.hashCode(jitterMs),
                Arrays.hashCode(heatmap), probes);
    }

    @Override
    public String toString() {
        return "PopHistory[" + pop + ", " + rows() + " rows of " + resolutionSeconds + " s"
                + (rows() == 0 ? "" : ", seconds " + startSecond[0] + ".." + (startSecond[rows() - 1] + resolutionSeconds))
                + (probes == null ? "" : ", probes " + probes.rows() + " rows")
                + "]";
    }
}
