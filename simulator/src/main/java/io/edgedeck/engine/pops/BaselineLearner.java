package io.edgedeck.engine.pops;

import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;

import java.util.Arrays;

/**
 * Learns what is normal for one PoP from its own recent seconds (docs/BASELINES.md): once per engine
 * second it is offered the PoP's 10 s p95 latency and its jitter, keeps the last
 * {@code windowSeconds} of them that were not frozen, and gives their median and spread (1.4826 times
 * the median absolute deviation). Deterministic: the same seconds give the same baseline. Engine thread.
 *
 * <h2>Frozen</h2>
 * A second is not learned from while
 * <ul>
 *   <li>{@code fault}: a producer reports a fault at the PoP;</li>
 *   <li>{@code down}: the PoP is down or partitioned; {@code no-data}: nothing was observed there;</li>
 *   <li>{@code idle}: it served no request in the last 10 s, so it has no p95;</li>
 *   <li>{@code alarm}: once learned, its p95 is above the normal band ({@link PopBaseline#p95HighMs()});
 *       for at most {@code windowSeconds} in a row without a fault, after which a lasting change is
 *       learned as the new normal (a node fed by ingest alone knows of no faults);</li>
 *   <li>{@code settling}: for {@link #SETTLE_SECONDS} after any of these ends, while the 10 s window
 *       still holds the fault's requests.</li>
 * </ul>
 */
public final class BaselineLearner {
    /** The 10 s window's length: the seconds after a freeze whose p95 still holds frozen requests. */
    static final int SETTLE_SECONDS = 10;
    /** Scales the median absolute deviation to the standard deviation of normally distributed values. */
    static final double MAD_SCALE = 1.4826;
    /** The window a node learns over unless told otherwise: the last five minutes. */
    public static final int DEFAULT_WINDOW_SECONDS = 300;
    /** The smallest spread, in ms. */
    static final double MIN_SPREAD_MS = 1;

    private final int windowSeconds;
    private final double[] p95;
    private final double[] jitter;
    private final double[] scratch;
    private int count;
    private int next;
    private int settling;
    private int alarmSeconds;
    private PopBaseline current;

    public BaselineLearner(int windowSeconds) {
        if (windowSeconds < PopBaseline.MIN_SAMPLES) {
            throw new IllegalArgumentException("baselineWindowSeconds must be at least " + PopBaseline.MIN_SAMPLES
                    + " (the seconds a baseline needs), was " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
        this.p95 = new double[windowSeconds];
        this.jitter = new double[windowSeconds];
        this.scratch = new double[windowSeconds];
        this.current = new PopBaseline(0, 0, 0, 0, 0, windowSeconds, "idle");
    }

    /**
     * One completed engine second at the PoP.
     *
     * @param p95Ms     the PoP's p95 over the last 10 s, in ms
     * @param served    requests the PoP served in the last 10 s
     * @param jitterMs  its jitter estimate, in ms
     * @param faulted   whether a producer reports a fault at the PoP
     */
    public void second(double p95Ms, long served, double jitterMs, PopHealth health, boolean faulted) {
        String cause = cause(p95Ms, served, health, faulted);
        if (cause != null && !cause.equals("alarm")) {
            alarmSeconds = 0;
        }
        if (cause != null) {
            settling = SETTLE_SECONDS;
        } else if (settling > 0) {
            settling--;
            cause = "settling";
        }
        if (cause == null) {
            p95[next] = p95Ms;
            jitter[next] = jitterMs;
            next = (next + 1) % windowSeconds;
            count = Math.min(windowSeconds, count + 1);
        }
        current = summarise(cause);
    }

    private String cause(double p95Ms, long served, PopHealth health, boolean faulted) {
        if (faulted) {
            return "fault";
        }
        switch (health) {
            case DOWN, PARTITIONED -> {
                return "down";
            }
            case NO_DATA -> {
                return "no-data";
            }
            default -> {
            }
        }
        if (served == 0) {
            return "idle";
        }
        if (current.learned() && p95Ms > current.p95HighMs()) {
            if (alarmSeconds < windowSeconds) {
                alarmSeconds++;
                return "alarm";
            }
            return null;
        }
        alarmSeconds = 0;
        return null;
    }

    private PopBaseline summarise(String frozenBy) {
        if (count == 0) {
            return new PopBaseline(0, 0, 0, 0, 0, windowSeconds, frozenBy);
        }
        double p95Median = median(p95);
        double p95Spread = spread(p95, p95Median);
        double jitterMedian = median(jitter);
        double jitterSpread = spread(jitter, jitterMedian);
        return new PopBaseline(p95Median, p95Spread, jitterMedian, jitterSpread, count, windowSeconds, frozenBy);
    }

    private double median(double[] values) {
        System.arraycopy(values, 0, scratch, 0, count);
        return sortedMedian();
    }

    private double spread(double[] values, double median) {
        for (int i = 0; i < count; i++) {
            scratch[i] = Math.abs(values[i] - median);
        }
        double mad = sortedMedian();
        return Math.max(MAD_SCALE * mad, Math.max(MIN_SPREAD_MS, PopBaseline.MIN_SPREAD_SHARE * median));
    }

    /**
     * The median of {@code scratch[0, count)}, the value a sort would give, found by selection: linear in the window
     * rather than a sort of it, once per PoP per engine second.
     */
    private double sortedMedian() {
        int mid = count / 2;
        double upper = select(scratch, count, mid);
        if (count % 2 == 1) {
            return upper;
        }
        // Selection leaves the mid smallest values before index mid: the largest of them is the lower middle.
        double lower = scratch[0];
        for (int i = 1; i < mid; i++) {
            lower = Math.max(lower, scratch[i]);
        }
        return (lower + upper) / 2;
    }

    /**
     * The {@code k}-th smallest of {@code a[0, n)} (from 0), rearranging {@code a} so that every value before index
     * {@code k} is at most it and every value after at least it. Three-way partitions around the median of three, so
     * a window of equal values (a PoP whose p95 stays in one bucket) takes one pass. The values are latencies and
     * jitters, never NaN and never -0.0, on which {@code <} orders as {@link Arrays#sort(double[])} does.
     */
    static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            double x = a[lo];
            double y = a[(lo + hi) >>> 1];
            double z = a[hi];
            double pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int lt = lo;
            int i = lo;
            int gt = hi;
            while (i <= gt) {
                double v = a[i];
                if (v < pivot) {
                    a[i++] = a[lt];
                    a[lt++] = v;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt--] = v;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /** The baseline after the last second offered. */
    public PopBaseline baseline() {
        return current;
    }
}
