package io.edgedeck.engine.pops;

import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;

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
    // The window in arrival order (a ring), and the same values kept sorted, so each second moves one value in each.
    private final double[] p95;
    private final double[] jitter;
    private final double[] sortedP95;
    private final double[] sortedJitter;
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
        this.sortedP95 = new double[windowSeconds];
        this.sortedJitter = new double[windowSeconds];
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
            if (count == windowSeconds) {
                remove(sortedP95, count, p95[next]);
                remove(sortedJitter, count, jitter[next]);
                count--;
            }
            insert(sortedP95, count, p95Ms);
            insert(sortedJitter, count, jitterMs);
            p95[next] = p95Ms;
            jitter[next] = jitterMs;
            next = (next + 1) % windowSeconds;
            count++;
            current = summarise(cause);
        } else if (!cause.equals(current.frozenBy())) {
            // The window is as it was: the same figures, frozen for this cause.
            current = count == 0 ? summarise(cause) : new PopBaseline(current.p95Ms(), current.p95SpreadMs(),
                    current.jitterMs(), current.jitterSpreadMs(), count, windowSeconds, cause);
        }
    }

    /**
     * True when a second in which the PoP served nothing in the last 10 s, at {@code health} and with
     * {@code faulted}, would change nothing: the baseline is already frozen for that
     * second's cause, settling from it, and counting no alarm.
     */
    boolean settledWhileIdle(PopHealth health, boolean faulted) {
        String cause = faulted ? "fault"
                : health == PopHealth.DOWN || health == PopHealth.PARTITIONED ? "down"
                : health == PopHealth.NO_DATA ? "no-data" : "idle";
        return settling == SETTLE_SECONDS && alarmSeconds == 0 && cause.equals(current.frozenBy());
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
        double p95Median = median(sortedP95, count);
        double p95Spread = spread(sortedP95, count, p95Median);
        double jitterMedian = median(sortedJitter, count);
        double jitterSpread = spread(sortedJitter, count, jitterMedian);
        return new PopBaseline(p95Median, p95Spread, jitterMedian, jitterSpread, count, windowSeconds, frozenBy);
    }

    /** The median of {@code sorted[0, n)}. */
    static double median(double[] sorted, int n) {
        int mid = n / 2;
        return n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * 1.4826 times the median absolute deviation of {@code sorted[0, n)} from {@code median}, at least the smallest
     * spread. The deviations of a sorted window are two sorted runs, those below the median (growing leftwards) and
     * those above (growing rightwards): their median is the middle one or two of the two runs taken together, found
     * by a binary search over how many come from the lower run ({@link #deviationAt}), the same value a sort of the
     * deviations gives, in about log2(n) steps rather than n/2.
     */
    static double spread(double[] sorted, int n, double median) {
        int split = lowerBound(sorted, n, median);
        int mid = n / 2;
        double upper = deviationAt(sorted, n, split, median, mid);
        double mad = n % 2 == 1 ? upper : (deviationAt(sorted, n, split, median, mid - 1) + upper) / 2;
        return Math.max(MAD_SCALE * mad, Math.max(MIN_SPREAD_MS, PopBaseline.MIN_SPREAD_SHARE * median));
    }

    /**
     * The {@code k}-th smallest (from 0) of the deviations from {@code median} of {@code sorted[0, n)}, whose values
     * below the median end at {@code split}: the deviations of {@code sorted[split - 1]}, {@code sorted[split - 2]} ...
     * grow, and so do those of {@code sorted[split]}, {@code sorted[split + 1]} ... The {@code k + 1} smallest take
     * some {@code i} from the first run and the rest from the second; the least {@code i} whose next one in the first
     * run is no smaller than the last one taken from the second is found by bisection, and the answer is the larger
     * of the two runs' last taken.
     */
    private static double deviationAt(double[] sorted, int n, int split, double median, int k) {
        int take = k + 1;
        int lo = Math.max(0, take - (n - split));
        int hi = Math.min(split, take);
        while (lo < hi) {
            int i = (lo + hi) >>> 1;
            if (Math.abs(sorted[split - 1 - i] - median) < Math.abs(sorted[split + take - i - 1] - median)) {
                lo = i + 1;
            } else {
                hi = i;
            }
        }
        double fromBelow = lo > 0 ? Math.abs(sorted[split - lo] - median) : Double.NEGATIVE_INFINITY;
        double fromAbove = take - lo > 0 ? Math.abs(sorted[split + take - lo - 1] - median) : Double.NEGATIVE_INFINITY;
        return Math.max(fromBelow, fromAbove);
    }

    /** The first index of {@code sorted[0, n)} whose value is at least {@code value}. */
    private static int lowerBound(double[] sorted, int n, double value) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (sorted[m] < value) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }

    private static void insert(double[] sorted, int n, double value) {
        int at = lowerBound(sorted, n, value);
        System.arraycopy(sorted, at, sorted, at + 1, n - at);
        sorted[at] = value;
    }

    private static void remove(double[] sorted, int n, double value) {
        int at = lowerBound(sorted, n, value);
        System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
    }

    /** The baseline after the last second offered. */
    public PopBaseline baseline() {
        return current;
    }
}
