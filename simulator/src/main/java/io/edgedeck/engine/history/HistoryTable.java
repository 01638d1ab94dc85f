package io.edgedeck.engine.history;

import io.edgedeck.client.analysis.HeatmapBuckets;

import java.util.Arrays;

/**
 * Rows of equal duration for one PoP, oldest dropped first once {@link #capacity} rows are held.
 * Each row is {@value #STRIDE} ints in one flat array (no object per row): requests, lost, p5,
 * p50, p95, p99, max and jitter in µs, then {@link HeatmapBuckets#COUNT} heatmap counts. The array
 * grows by doubling up to the capacity, so a short show costs only what it uses.
 */
final class HistoryTable {
    static final int REQUESTS = 0;
    static final int LOST = 1;
    static final int P5 = 2;
    static final int P50 = 3;
    static final int P95 = 4;
    static final int P99 = 5;
    static final int MAX = 6;
    static final int JITTER = 7;
    static final int HEAT = 8;
    static final int STRIDE = HEAT + HeatmapBuckets.COUNT;
    private static final int INITIAL_ROWS = 256;

    final int resolutionSeconds;
    final int capacity;
    private int[] data;
    /** Engine second at which row 0 (the first ever appended) starts; -1 until a row is appended. */
    private long firstStart = -1;
    /** Rows appended since the start, including those dropped since. */
    private long appended;

    HistoryTable(int resolutionSeconds, int capacity) {
        this.resolutionSeconds = resolutionSeconds;
        this.capacity = capacity;
        this.data = new int[Math.min(capacity, INITIAL_ROWS) * STRIDE];
    }

    /** Appends a row starting at {@code startSecond}; rows must follow each other without gaps. */
    void append(long startSecond, int[] row) {
        if (firstStart < 0) {
            firstStart = startSecond;
        } else if (startSecond != endSecond()) {
            throw new IllegalStateException("row at " + startSecond + " s does not follow the last one, which ends at "
                    + endSecond() + " s");
        }
        if (appended < capacity && (appended + 1) * STRIDE > data.length) {
            data = Arrays.copyOf(data, (int) Math.min((long) capacity * STRIDE, (long) data.length * 2));
        }
        System.arraycopy(row, 0, data, slot(appended) * STRIDE, STRIDE);
        appended++;
    }

    private int slot(long rowIndex) {
        return (int) (rowIndex % capacity);
    }

    /** The first engine second still held, or 0 when empty. */
    long oldestSecond() {
        return firstStart < 0 ? 0 : firstStart + oldestRow() * resolutionSeconds;
    }

    /** The engine second after the newest row. */
    long endSecond() {
        return firstStart < 0 ? 0 : firstStart + appended * resolutionSeconds;
    }

    boolean isEmpty() {
        return appended == 0;
    }

    /** True while no row has been dropped for room. */
    boolean holdsEveryRow() {
        return appended <= capacity;
    }

    private long oldestRow() {
        return Math.max(0, appended - capacity);
    }

    /** Held rows overlapping {@code [from, to)}: the first row index and how many. */
    long[] range(long from, long to) {
        if (firstStart < 0 || to <= from) {
            return new long[] {0, 0};
        }
        long first = Math.max(oldestRow(), Math.floorDiv(from - firstStart, resolutionSeconds));
        long end = Math.min(appended, Math.ceilDiv(to - firstStart, resolutionSeconds));
        return new long[] {first, Math.max(0, end - first)};
    }

    long startOf(long rowIndex) {
        return firstStart + rowIndex * resolutionSeconds;
    }

    int get(long rowIndex, int field) {
        return data[slot(rowIndex) * STRIDE + field];
    }

    /** Bytes held by the rows array, which is nearly all this table costs. */
    long retainedBytes() {
        return (long) data.length * Integer.BYTES;
    }
}
