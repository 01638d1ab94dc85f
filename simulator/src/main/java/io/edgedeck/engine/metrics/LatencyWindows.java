package io.edgedeck.engine.metrics;

import io.edgedeck.client.model.LatencyWindow;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Latency of one PoP over sliding windows of engine time, backed by HdrHistogram.
 *
 * <p>Requests are recorded into the histogram of the current engine second; when a second
 * completes it is added to the rolling 10 s and 60 s sums and to the whole-show histogram, and the
 * second that leaves each window is subtracted. A window is therefore exact to the second and
 * costs two histogram additions per second, whatever the request rate. Reading a window adds the
 * current, partial second so a tile moves with every frame.
 *
 * <p>The load is open-loop (sessions send on their own schedule, whatever the edge's state), and
 * each request records its own latency including the time it waited in a queue, so the
 * percentiles carry no coordinated omission.
 */
public final class LatencyWindows {
    /** Values are in microseconds: 1 us to 2 min at 2 significant digits (1% accuracy). */
    static final long HIGHEST_MICROS = 120_000_000L;
    static final int DIGITS = 2;
    private static final int RING = 64;
    public static final int SHORT_SECONDS = 10;
    public static final int LONG_SECONDS = 60;

    private final IntCountsHistogram[] seconds = new IntCountsHistogram[RING];
    private final long[] requestsPerSecond = new long[RING];
    private final long[] lostPerSecond = new long[RING];
    private final Histogram shortWindow = newHistogram();
    private final Histogram longWindow = newHistogram();
    private final Histogram wholeShow = newHistogram();
    private final Histogram scratch = newHistogram();
    private long completedSeconds;
    private int current;

    public LatencyWindows() {
        for (int i = 0; i < RING; i++) {
            seconds[i] = new IntCountsHistogram(1, HIGHEST_MICROS, DIGITS);
        }
    }

    private static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, DIGITS);
    }

    /** Records one served request's latency. */
    public void record(double latencyMs) {
        long micros = (long) (latencyMs * 1000.0);
        seconds[current].recordValue(Math.max(1, Math.min(HIGHEST_MICROS, micros)));
        requestsPerSecond[current]++;
    }

    /** Counts a request that never got an answer. */
    public void recordLoss() {
        lostPerSecond[current]++;
    }

    /** The engine second in progress, in µs; read it just before {@link #rollSecond()} to keep it. */
    public IntCountsHistogram currentSecond() {
        return seconds[current];
    }

    public long requestsThisSecond() {
        return requestsPerSecond[current];
    }

    public long lostThisSecond() {
        return lostPerSecond[current];
    }

    /** Closes the current engine second and opens the next. */
    public void rollSecond() {
        long k = completedSeconds;
        IntCountsHistogram done = seconds[current];
        shortWindow.add(done);
        longWindow.add(done);
        wholeShow.add(done);
        if (k >= SHORT_SECONDS) {
            shortWindow.subtract(seconds[(int) ((k - SHORT_SECONDS) % RING)]);
        }
        if (k >= LONG_SECONDS) {
            longWindow.subtract(seconds[(int) ((k - LONG_SECONDS) % RING)]);
        }
        completedSeconds = k + 1;
        current = (int) (completedSeconds % RING);
        seconds[current].reset();
        requestsPerSecond[current] = 0;
        lostPerSecond[current] = 0;
    }

    public LatencyWindow shortWindow() {
        return snapshot(shortWindow, SHORT_SECONDS);
    }

    public LatencyWindow longWindow() {
        return snapshot(longWindow, LONG_SECONDS);
    }

    private LatencyWindow snapshot(Histogram window, int windowSeconds) {
        scratch.reset();
        scratch.add(window);
        scratch.add(seconds[current]);
        return summarise(scratch, windowSeconds);
    }

    /** Latency over every completed second of the show. */
    public LatencyWindow wholeShow() {
        return summarise(wholeShow, (int) completedSeconds);
    }

    public Histogram wholeShowHistogram() {
        return wholeShow;
    }

    static LatencyWindow summarise(Histogram h, int windowSeconds) {
        long n = h.getTotalCount();
        if (n == 0) {
            return LatencyWindow.empty(windowSeconds);
        }
        return new LatencyWindow(windowSeconds, n,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Requests served per second over the last 10 s (completed seconds only). */
    public double throughputRps() {
        return sumLast(requestsPerSecond) / (double) Math.max(1, Math.min(SHORT_SECONDS, completedSeconds));
    }

    /** Share of requests lost over the last 10 completed seconds. */
    public double lossRatio() {
        long served = sumLast(requestsPerSecond);
        long lost = sumLast(lostPerSecond);
        return served + lost == 0 ? 0 : (double) lost / (served + lost);
    }

    /** Requests served in the last 10 completed seconds. */
    public long servedLast10s() {
        return sumLast(requestsPerSecond);
    }

    /** Requests lost in the last 10 completed seconds. */
    public long lostLast10s() {
        return sumLast(lostPerSecond);
    }

    private long sumLast(long[] perSecond) {
        long sum = 0;
        long from = Math.max(0, completedSeconds - SHORT_SECONDS);
        for (long k = from; k < completedSeconds; k++) {
            sum += perSecond[(int) (k % RING)];
        }
        return sum;
    }
}
