package io.edgedeck.engine.history;

import io.edgedeck.client.analysis.HeatmapBuckets;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.engine.metrics.LatencyCounts;

/**
 * Every PoP's latency, second by second, for support engineers looking back at a show: per engine
 * second the request and loss counts, p5/p50/p95/p99/max latency, RFC 3550 jitter at the end of the
 * second, and a heatmap row of counts per {@linkplain HeatmapBuckets latency bucket}. A second in
 * which no request was served measured no jitter: its jitter is NaN (the estimator's last value is
 * not carried through an outage, where it would read as minutes of stutter).
 *
 * <p><b>Memory is bounded</b> whatever the show's length. Per PoP, the last
 * {@value #FINE_SECONDS} seconds (2 h) are kept at one row per second; every minute is also kept as
 * one row (percentiles from the minute's merged histogram, counts summed, the highest jitter) for the
 * last {@value #COARSE_MINUTES} minutes (24 h, the longest show). A row is 40 ints (160 bytes), so a
 * PoP costs at most 7200 x 160 + 1440 x 160 bytes, about 1.4 MB, plus one histogram for the minute
 * in progress; 48 PoPs stay under 70 MB. Both tables grow as the show does, so a 15-minute show
 * with six PoPs holds under 1 MB.
 *
 * <p><b>Cost</b>: {@link #recordSecond} runs once per PoP per engine second and reads the second's
 * counts (a pass over the buckets in use, and one addition into the minute's counts);
 * nothing happens per request. Engine thread only, like the engine.
 */
public final class EngineHistory {
    public static final int FINE_SECONDS = 2 * 60 * 60;
    public static final int COARSE_SECONDS = 60;
    public static final int COARSE_MINUTES = 24 * 60;
    private static final double[] PERCENTILES = {5, 50, 95, 99};
    /** The jitter cell of a row in which no request was served: nothing was measured. */
    static final int NO_JITTER = -1;
    /** The heatmap bucket of each latency bucket's highest value: a lookup per bucket in use instead of a search. */
    private static final byte[] HEAT_OF_INDEX = new byte[LatencyCounts.LENGTH];

    static {
        for (int i = 0; i < HEAT_OF_INDEX.length; i++) {
            HEAT_OF_INDEX[i] = (byte) HeatmapBuckets.of(LatencyCounts.highestValue(i));
        }
    }

    private final Series[] series;
    private final int[] row = new int[HistoryTable.STRIDE];

    public EngineHistory(int popCount) {
        this(popCount, FINE_SECONDS, COARSE_MINUTES);
    }

    /** With other retention, for tests of the bound. */
    EngineHistory(int popCount, int fineSeconds, int coarseMinutes) {
        series = new Series[popCount];
        for (int i = 0; i < popCount; i++) {
            series[i] = new Series(new HistoryTable(1, fineSeconds), new HistoryTable(COARSE_SECONDS, coarseMinutes));
        }
    }

    private static final class Series {
        final HistoryTable fine;
        final HistoryTable coarse;
        final LatencyCounts minute = new LatencyCounts();
        long minuteStart = -1;
        long minuteRequests;
        long minuteLost;
        int minuteMaxJitterMicros = NO_JITTER;

        Series(HistoryTable fine, HistoryTable coarse) {
            this.fine = fine;
            this.coarse = coarse;
        }
    }

    /**
     * Records one completed engine second of one PoP, before its histogram is reset.
     *
     * @param latencyMicros the second's served requests' latencies, in µs
     */
    public void recordSecond(int pop, long second, LatencyCounts latencyMicros, long requests, long lost, double jitterMs) {
        Series s = series[pop];
        int jitterMicros = latencyMicros.isEmpty() ? NO_JITTER : (int) Math.min(Integer.MAX_VALUE, Math.round(jitterMs * 1000));
        summarise(latencyMicros, requests, lost, jitterMicros, row);
        s.fine.append(second, row);

        if (s.minuteStart < 0) {
            s.minuteStart = Math.floorDiv(second, COARSE_SECONDS) * COARSE_SECONDS;
        }
        s.minute.add(latencyMicros);
        s.minuteRequests += requests;
        s.minuteLost += lost;
        s.minuteMaxJitterMicros = Math.max(s.minuteMaxJitterMicros, jitterMicros);
        if ((second + 1) % COARSE_SECONDS == 0) {
            minuteRow(s, row);
            s.coarse.append(s.minuteStart, row);
            s.minute.clear();
            s.minuteStart = second + 1;
            s.minuteRequests = 0;
            s.minuteLost = 0;
            s.minuteMaxJitterMicros = NO_JITTER;
        }
    }

    /**
     * Records {@code seconds} completed engine seconds of one PoP from {@code fromSecond} in which no
     * request was served or lost: the same rows {@link #recordSecond} writes for each.
     */
    public void recordEmptySeconds(int pop, long fromSecond, long seconds) {
        for (long s = fromSecond; s < fromSecond + seconds; s++) {
            recordSecond(pop, s, NOTHING, 0, 0, Double.NaN);
        }
    }

    private static final LatencyCounts NOTHING = new LatencyCounts();

    private static void minuteRow(Series s, int[] out) {
        summarise(s.minute, s.minuteRequests, s.minuteLost, s.minuteMaxJitterMicros, out);
    }

    /** Fills a row from counts of µs latencies. */
    static void summarise(LatencyCounts h, long requests, long lost, int jitterMicros, int[] out) {
        java.util.Arrays.fill(out, 0);
        out[HistoryTable.REQUESTS] = saturate(requests);
        out[HistoryTable.LOST] = saturate(lost);
        out[HistoryTable.JITTER] = jitterMicros;
        if (h.isEmpty()) {
            return;
        }
        // One pass over the buckets in use fills the heatmap row and all four percentiles, each
        // chosen as HdrHistogram's getValueAtPercentile chooses it.
        long total = h.total();
        long[] rank = new long[PERCENTILES.length];
        for (int i = 0; i < rank.length; i++) {
            double p = Math.nextAfter(PERCENTILES[i], Double.NEGATIVE_INFINITY);
            rank[i] = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        }
        int next = 0;
        long seen = 0;
        for (int i = h.lowestIndex(); i <= h.highestIndex(); i++) {
            long count = h.count(i);
            if (count == 0) {
                continue;
            }
            long value = LatencyCounts.highestValue(i);
            out[HistoryTable.HEAT + HEAT_OF_INDEX[i]] += saturate(count);
            seen += count;
            while (next < rank.length && seen >= rank[next]) {
                out[HistoryTable.P5 + next++] = saturate(value);
            }
        }
        out[HistoryTable.MAX] = saturate(h.max());
    }

    private static int saturate(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    /**
     * A PoP's rows over engine seconds {@code [from, to)}: per second when all of that range is
     * still held at full resolution (or all the series ever recorded is), otherwise per minute for the whole range (including the
     * minute in progress), so one answer never mixes resolutions.
     */
    public PopHistory query(int pop, String popId, long from, long to) {
        Series s = series[pop];
        // Per second while that table still holds every row it was given: a series that began late (a
        // PoP's probes) answers a query from second 0 at full resolution too.
        boolean fine = s.coarse.isEmpty() || from >= s.fine.oldestSecond() || s.fine.holdsEveryRow();
        HistoryTable t = fine ? s.fine : s.coarse;
        long[] range = t.range(from, to);
        boolean partial = !fine && s.minuteStart >= 0 && s.minuteStart < s.fine.endSecond()
                && s.minuteStart < to && s.minuteStart + COARSE_SECONDS > from;
        int n = (int) range[1] + (partial ? 1 : 0);
        Columns c = new Columns(n);
        for (int i = 0; i < range[1]; i++) {
            long r = range[0] + i;
            c.set(i, t.startOf(r), field -> t.get(r, field));
        }
        if (partial) {
            int[] minute = new int[HistoryTable.STRIDE];
            minuteRow(s, minute);
            c.set(n - 1, s.minuteStart, field -> minute[field]);
        }
        return c.toHistory(popId, t.resolutionSeconds);
    }

    /** The engine second after the newest recorded row of any PoP. */
    public long endSecond() {
        return series.length == 0 ? 0 : series[0].fine.endSecond();
    }

    /** Bytes the history holds now, for the bound's test and the docs. */
    public long retainedBytes() {
        long total = 0;
        for (Series s : series) {
            total += s.fine.retainedBytes() + s.coarse.retainedBytes() + LatencyCounts.FOOTPRINT_BYTES;
        }
        return total;
    }

    private static final class Columns {
        final long[] start;
        final long[] requests;
        final long[] lost;
        final double[][] latency = new double[6][];
        final long[] heat;

        Columns(int n) {
            start = new long[n];
            requests = new long[n];
            lost = new long[n];
            for (int k = 0; k < latency.length; k++) {
                latency[k] = new double[n];
            }
            heat = new long[n * HeatmapBuckets.COUNT];
        }

        void set(int i, long startSecond, java.util.function.IntUnaryOperator field) {
            start[i] = startSecond;
            requests[i] = field.applyAsInt(HistoryTable.REQUESTS);
            lost[i] = field.applyAsInt(HistoryTable.LOST);
            for (int k = 0; k < latency.length; k++) {
                int micros = field.applyAsInt(HistoryTable.P5 + k);
                latency[k][i] = HistoryTable.P5 + k == HistoryTable.JITTER && micros == NO_JITTER ? Double.NaN : micros / 1000.0;
            }
            for (int b = 0; b < HeatmapBuckets.COUNT; b++) {
                heat[i * HeatmapBuckets.COUNT + b] = field.applyAsInt(HistoryTable.HEAT + b);
            }
        }

        PopHistory toHistory(String popId, int resolution) {
            return new PopHistory(popId, resolution, HeatmapBuckets.edgesMs(), start, requests, lost,
                    latency[0], latency[1], latency[2], latency[3], latency[4], latency[5], heat);
        }
    }
}
