package io.edgedeck.engine.metrics;

import org.HdrHistogram.Histogram;

import java.util.Arrays;

/**
 * Counts of latencies in µs, bucketed exactly as an HdrHistogram of 1 µs to {@link #HIGHEST_MICROS} at
 * {@link #DIGITS} significant digits buckets them (the same index for every value, the same value for every
 * index), kept in a plain array with the range of indexes in use. Adding, subtracting, clearing and reading
 * touch only that range, which for a PoP's latencies is a few hundred of the {@link #LENGTH} buckets, and
 * nothing is tracked per value but a count: no compare-and-set of a maximum, no scan of the whole array.
 * {@link #valuesAtPercentiles} and {@link #max} answer what HdrHistogram's {@code getValueAtPercentile} and
 * {@code getMaxValue} answer for the same values; {@code LatencyCountsTest} holds both to it.
 *
 * <p>Not thread-safe: one engine thread, like the engine.
 */
public final class LatencyCounts {
    /** Values are in microseconds: 1 µs to 2 min. */
    public static final long HIGHEST_MICROS = 120_000_000L;
    /** Two significant digits: any value within 1% of the one it is counted as. */
    public static final int DIGITS = 2;

    // HdrHistogram's layout for a lowest discernible value of 1 (unit magnitude 0): sub-buckets of 2^8 values (the
    // smallest power of two holding 2 x 10^DIGITS), each bucket after the first holding its upper half, so a value's
    // bucket is the power of two above its sub-bucket range and its index is counted from there.
    private static final int SUB_BUCKET_COUNT_MAGNITUDE = 64 - Long.numberOfLeadingZeros(2L * pow10(DIGITS) - 1);
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (1L << SUB_BUCKET_COUNT_MAGNITUDE) - 1;
    private static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_COUNT_MAGNITUDE;
    /** Buckets: as many as HdrHistogram's counts array of the same range and precision has. */
    public static final int LENGTH = index(HIGHEST_MICROS) + 1;
    /** What one holds in memory: its array of {@link #LENGTH} counts and its header. */
    public static final long FOOTPRINT_BYTES = 16L + 8L * LENGTH + 48;
    private static final long[] LOWEST = new long[LENGTH];
    private static final long[] HIGHEST = new long[LENGTH];

    static {
        for (int i = 0; i < LENGTH; i++) {
            int bucket = (i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
            int sub = (i & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
            if (bucket < 0) {
                sub -= SUB_BUCKET_HALF_COUNT;
                bucket = 0;
            }
            LOWEST[i] = (long) sub << bucket;
            HIGHEST[i] = LOWEST[i] + (1L << bucket) - 1;
        }
    }

    private static long pow10(int digits) {
        long p = 1;
        for (int i = 0; i < digits; i++) {
            p *= 10;
        }
        return p;
    }

    /** The bucket of a value from 1 to {@link #HIGHEST_MICROS}. */
    public static int index(long micros) {
        int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(micros | SUB_BUCKET_MASK);
        int sub = (int) (micros >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub - SUB_BUCKET_HALF_COUNT;
    }

    /** The highest value bucket {@code index} holds: what HdrHistogram reports for it. */
    public static long highestValue(int index) {
        return HIGHEST[index];
    }

    /** The lowest value bucket {@code index} holds. */
    public static long lowestValue(int index) {
        return LOWEST[index];
    }

    private final long[] counts = new long[LENGTH];
    private long total;
    // The lowest and highest index with a count; lo > hi when empty.
    private int lo = LENGTH;
    private int hi = -1;

    /** Counts one value, already within 1 and {@link #HIGHEST_MICROS}. */
    public void record(long micros) {
        int i = index(micros);
        counts[i]++;
        total++;
        if (i < lo) {
            lo = i;
        }
        if (i > hi) {
            hi = i;
        }
    }

    public long total() {
        return total;
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /** The lowest index with a count, or {@link #LENGTH} when empty. */
    public int lowestIndex() {
        return lo;
    }

    /** The highest index with a count, or -1 when empty. */
    public int highestIndex() {
        return hi;
    }

    /** The count of bucket {@code index}. */
    public long count(int index) {
        return counts[index];
    }

    /** Adds every count of {@code other}. */
    public void add(LatencyCounts other) {
        if (other.total == 0) {
            return;
        }
        for (int i = other.lo; i <= other.hi; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        lo = Math.min(lo, other.lo);
        hi = Math.max(hi, other.hi);
    }

    /**
     * Takes away a second that was added, as {@link #copyTo} kept it: {@code length} counts from index {@code from},
     * {@code sum} in all. The range in use shrinks to fit.
     */
    void subtract(int from, int[] slice, int length, long sum) {
        if (sum == 0) {
            return;
        }
        for (int k = 0; k < length; k++) {
            counts[from + k] -= slice[k];
        }
        total -= sum;
        if (total == 0) {
            lo = LENGTH;
            hi = -1;
            return;
        }
        while (counts[lo] == 0) {
            lo++;
        }
        while (counts[hi] == 0) {
            hi--;
        }
    }

    /** Copies the counts in use into {@code slice} (as ints: one second's counts) from index {@link #lowestIndex()}. */
    int copyTo(int[] slice) {
        int length = hi - lo + 1;
        for (int k = 0; k < length; k++) {
            slice[k] = Math.toIntExact(counts[lo + k]);
        }
        return length;
    }

    /**
     * Copies the counts in use into {@code slice} from index {@link #lowestIndex()}, as {@link #copyTo} does, adds
     * them to {@code a}, {@code b} and {@code c} as {@link #add} does, and empties this: one pass over the range in
     * use instead of five (a second closing into its windows).
     */
    int moveTo(int[] slice, LatencyCounts a, LatencyCounts b, LatencyCounts c) {
        if (total == 0) {
            return 0;
        }
        int from = lo;
        int length = hi - lo + 1;
        long[] own = counts;
        long[] ca = a.counts;
        long[] cb = b.counts;
        long[] cc = c.counts;
        for (int k = 0; k < length; k++) {
            int i = from + k;
            long n = own[i];
            slice[k] = Math.toIntExact(n);
            ca[i] += n;
            cb[i] += n;
            cc[i] += n;
            own[i] = 0;
        }
        a.took(total, lo, hi);
        b.took(total, lo, hi);
        c.took(total, lo, hi);
        total = 0;
        lo = LENGTH;
        hi = -1;
        return length;
    }

    private void took(long sum, int from, int to) {
        total += sum;
        lo = Math.min(lo, from);
        hi = Math.max(hi, to);
    }

    /** Empties it, touching only the range in use. */
    public void clear() {
        if (hi >= lo) {
            Arrays.fill(counts, lo, hi + 1, 0L);
        }
        total = 0;
        lo = LENGTH;
        hi = -1;
    }

    /** HdrHistogram's {@code getMaxValue}: the highest value of the highest bucket in use, 0 when empty. */
    public long max() {
        return hi < 0 ? 0 : HIGHEST[hi];
    }

    /** The count a percentile above 0 must reach, as HdrHistogram's {@code getValueAtPercentile} computes it. */
    static long rank(double percentile, long total) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0D), 100.0D);
        return Math.max(1, (long) Math.ceil((requested * total) / 100.0));
    }

    /**
     * Fills {@code out} with the values at {@code percentiles} (ascending, above 0) of this and {@code more} counted
     * together, in one pass over their ranges, as HdrHistogram would answer for one histogram holding both.
     */
    public void valuesAtPercentiles(LatencyCounts more, double[] percentiles, long[] out) {
        long all = total + more.total;
        int from = Math.min(lo, more.lo);
        int to = Math.max(hi, more.hi);
        int next = 0;
        long rank = all == 0 ? 0 : rank(percentiles[0], all);
        long seen = 0;
        for (int i = from; i <= to && next < percentiles.length; i++) {
            seen += counts[i] + more.counts[i];
            while (next < percentiles.length && seen >= rank) {
                out[next++] = HIGHEST[i];
                if (next < percentiles.length) {
                    rank = rank(percentiles[next], all);
                }
            }
        }
        while (next < percentiles.length) {
            out[next++] = 0;
        }
    }

    /** An HdrHistogram holding the same counts, with the same maximum and minimum, for exposition. */
    public Histogram toHistogram() {
        Histogram h = new Histogram(1, HIGHEST_MICROS, DIGITS);
        for (int i = lo; i <= hi; i++) {
            if (counts[i] > 0) {
                h.recordValueWithCount(LOWEST[i], counts[i]);
            }
        }
        return h;
    }
}
