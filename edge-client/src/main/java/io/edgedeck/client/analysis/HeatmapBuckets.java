package io.edgedeck.client.analysis;

/**
 * The latency heatmap's buckets: 32 log-spaced buckets from 1 ms to 10 s, eight per decade, so
 * each bucket is about 33% wider than the one below. Log spacing keeps a 20 ms baseline and a
 * 2 s stall on the same picture with the same relative resolution.
 */
public final class HeatmapBuckets {
    public static final int COUNT = 32;
    private static final int PER_DECADE = 8;
    private static final double FIRST_EDGE_MS = 1.0;

    /** Edges in ms, {@link #COUNT} + 1 of them. */
    private static final double[] EDGES_MS = new double[COUNT + 1];
    /** Upper edges of buckets 0..COUNT-2 in µs; the last bucket is open above. */
    private static final long[] UPPER_MICROS = new long[COUNT - 1];

    static {
        for (int k = 0; k <= COUNT; k++) {
            // Rounded to the µs so the edges read back identically from a bundle.
            EDGES_MS[k] = Math.round(FIRST_EDGE_MS * Math.pow(10, (double) k / PER_DECADE) * 1000) / 1000.0;
        }
        for (int k = 0; k < COUNT - 1; k++) {
            UPPER_MICROS[k] = Math.round(EDGES_MS[k + 1] * 1000);
        }
    }

    private HeatmapBuckets() {
    }

    public static double[] edgesMs() {
        return EDGES_MS.clone();
    }

    /** The bucket a latency in µs falls in; below 1 ms counts in the first, above 10 s in the last. */
    public static int of(long micros) {
        int lo = 0;
        int hi = UPPER_MICROS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (micros < UPPER_MICROS[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
