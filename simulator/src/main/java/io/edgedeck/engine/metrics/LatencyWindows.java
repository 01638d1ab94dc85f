package io.edgedeck.engine.metrics;

import io.edgedeck.client.model.LatencyWindow;
import org.HdrHistogram.Histogram;

/**
 * Latency of one PoP over sliding windows of engine time, bucketed as HdrHistogram buckets it.
 *
 * <p>Requests are counted into the current engine second; when a second completes it is added to
 * the rolling 10 s and 60 s sums and to the whole show, kept in a ring of the last
 * {@value #RING} seconds, and the second that leaves each window is taken out of it. A window is
 * therefore exact to the second. Each of these steps touches only the buckets in use
 * ({@link LatencyCounts}): a second is kept as the slice of buckets from its lowest to its highest
 * latency, and the percentiles of a window and the second in progress are read in one pass over
 * their buckets, with the answers HdrHistogram's {@code getValueAtPercentile} and {@code getMaxValue}
 * give for the same values ({@code LatencyWindowsTest} compares them at every second). So the cost
 * of a PoP per second and per frame follows the spread of its latencies, not the histogram's range;
 * but it is paid per PoP, so 48 PoPs pay about three times what 12 do for the same requests
 * (docs/BENCHMARKS.md, "48 PoPs against 12").
 *
 * <p>The load is open-loop (sessions send on their own schedule, whatever the edge's state), and
 * each request records its own latency including the time it waited in a queue, so the
 * percentiles carry no coordinated omission.
 */
public final class LatencyWindows {
    /** Values are in microseconds: 1 us to 2 min at 2 significant digits (1% accuracy). */
    static final long HIGHEST_MICROS = LatencyCounts.HIGHEST_MICROS;
    static final int DIGITS = LatencyCounts.DIGITS;
    private static final int RING = 64;
    public static final int SHORT_SECONDS = 10;
    public static final int LONG_SECONDS = 60;
    private static final double[] PERCENTILES = {50, 95, 99};

    private final LatencyCounts current = new LatencyCounts();
    // The completed seconds of the ring: each one's counts from bucket ringFrom, ringLength of them, ringTotal in all.
    private final int[][] ring = new int[RING][];
    private final int[] ringFrom = new int[RING];
    private final int[] ringLength = new int[RING];
    private final long[] ringTotal = new long[RING];
    private final long[] requestsPerSecond = new long[RING];
    private final long[] lostPerSecond = new long[RING];
    private final LatencyCounts shortWindow = new LatencyCounts();
    private final LatencyCounts longWindow = new LatencyCounts();
    private final LatencyCounts wholeShow = new LatencyCounts();
    private final long[] percentiles = new long[PERCENTILES.length];
    private long completedSeconds;
    private int slot;
    // The requests served and lost over the last 10 completed seconds, kept as seconds complete and leave.
    private long servedLast10s;
    private long lostLast10s;

    /** Records one served request's latency. */
    public void record(double latencyMs) {
        long micros = (long) (latencyMs * 1000.0);
        current.record(Math.max(1, Math.min(HIGHEST_MICROS, micros)));
    }

    /** Counts a request that never got an answer. */
    public void recordLoss() {
        lostPerSecond[slot]++;
    }

    /** The engine second in progress, in µs; read it just before {@link #rollSecond()} to keep it. */
    public LatencyCounts currentSecond() {
        return current;
    }

    public long requestsThisSecond() {
        // Every request served in the second in progress is counted there, and only those.
        return current.total();
    }

    public long lostThisSecond() {
        return lostPerSecond[slot];
    }

    /** Closes the current engine second and opens the next. */
    public void rollSecond() {
        long k = completedSeconds;
        long sum = current.total();
        int length = 0;
        if (sum > 0) {
            length = current.highestIndex() - current.lowestIndex() + 1;
            if (ring[slot] == null || ring[slot].length < length) {
                ring[slot] = new int[Math.max(length, ring[slot] == null ? 0 : 2 * ring[slot].length)];
            }
            ringFrom[slot] = current.lowestIndex();
            // One pass: kept in the ring, added to the three windows, and the second in progress emptied.
            current.moveTo(ring[slot], shortWindow, longWindow, wholeShow);
        }
        ringLength[slot] = length;
        ringTotal[slot] = sum;
        requestsPerSecond[slot] = sum;
        servedLast10s += sum;
        lostLast10s += lostPerSecond[slot];
        if (k >= SHORT_SECONDS) {
            int old = (int) ((k - SHORT_SECONDS) % RING);
            shortWindow.subtract(ringFrom[old], ring[old], ringLength[old], ringTotal[old]);
            servedLast10s -= requestsPerSecond[old];
            lostLast10s -= lostPerSecond[old];
        }
        if (k >= LONG_SECONDS) {
            int old = (int) ((k - LONG_SECONDS) % RING);
            longWindow.subtract(ringFrom[old], ring[old], ringLength[old], ringTotal[old]);
        }
        completedSeconds = k + 1;
        slot = (int) (completedSeconds % RING);
        requestsPerSecond[slot] = 0;
        lostPerSecond[slot] = 0;
    }

    /**
     * True when nothing was served or lost in the second in progress or the last 10 s: the short
     * window is empty, and seconds in which nothing happens leave it so ({@link #rollEmptySeconds}).
     */
    public boolean quietLast10s() {
        return current.isEmpty() && lostPerSecond[slot] == 0 && servedLast10s == 0 && lostLast10s == 0;
    }

    /**
     * Closes {@code seconds} seconds in which nothing was served or lost, as as many calls of
     * {@link #rollSecond()} would: those calls take every earlier second out of the windows within
     * {@value #RING} seconds and leave every slot of the ring empty, after which more seconds with
     * nothing in them only move the count on.
     */
    public void rollEmptySeconds(long seconds) {
        if (!current.isEmpty() || lostPerSecond[slot] != 0) {
            throw new IllegalStateException("the second in progress holds requests");
        }
        long rolled = Math.min(seconds, RING);
        for (long i = 0; i < rolled; i++) {
            rollSecond();
        }
        completedSeconds += seconds - rolled;
        slot = (int) (completedSeconds % RING);
    }

    public LatencyWindow shortWindow() {
        return summarise(shortWindow, current, SHORT_SECONDS);
    }

    public LatencyWindow longWindow() {
        return summarise(longWindow, current, LONG_SECONDS);
    }

    /** Latency over every completed second of the show. */
    public LatencyWindow wholeShow() {
        return summarise(wholeShow, EMPTY, (int) completedSeconds);
    }

    private static final LatencyCounts EMPTY = new LatencyCounts();

    /** Every request of the show's completed seconds, as an HdrHistogram in µs (made on each call: for exposition). */
    public Histogram wholeShowHistogram() {
        return wholeShow.toHistogram();
    }

    private LatencyWindow summarise(LatencyCounts window, LatencyCounts more, int windowSeconds) {
        long n = window.total() + more.total();
        if (n == 0) {
            return LatencyWindow.empty(windowSeconds);
        }
        window.valuesAtPercentiles(more, PERCENTILES, percentiles);
        return new LatencyWindow(windowSeconds, n, ms(percentiles[0]), ms(percentiles[1]), ms(percentiles[2]),
                ms(Math.max(window.max(), more.max())));
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Bytes it holds: the second in progress and three windows at {@link LatencyCounts#FOOTPRINT_BYTES} each, and the ring of kept seconds. */
    public long footprintBytes() {
        long bytes = 4 * LatencyCounts.FOOTPRINT_BYTES + 16L + 8L * RING + 5 * (16L + 8L * RING);
        for (int[] slice : ring) {
            bytes += slice == null ? 0 : 16L + 4L * slice.length;
        }
        return bytes;
    }

    /** Requests served per second over the last 10 s (completed seconds only). */
    public double throughputRps() {
        return servedLast10s / (double) Math.max(1, Math.min(SHORT_SECONDS, completedSeconds));
    }

    /** Share of requests lost over the last 10 completed seconds. */
    public double lossRatio() {
        long served = servedLast10s;
        long lost = lostLast10s;
        return served + lost == 0 ? 0 : (double) lost / (served + lost);
    }

    /** Requests served in the last 10 completed seconds. */
    public long servedLast10s() {
        return servedLast10s;
    }

    /** Requests lost in the last 10 completed seconds. */
    public long lostLast10s() {
        return lostLast10s;
    }
}
