package io.edgedeck.simulator.connectors.obs;

import java.util.ArrayDeque;

/**
 * OBS's cumulative frame counters read over time, turned into counts over a sliding window: the
 * newest read minus the oldest one still inside the window. When a counter goes down (OBS restarted
 * the output) the window starts again from that read, as OBS's own dock does. Not thread-safe.
 */
final class FrameWindow {
    /** One read of a pair of cumulative counters: the part (dropped, skipped, missed) and the whole. */
    record Read(long atMillis, long part, long whole) {
    }

    private final long windowMillis;
    private final ArrayDeque<Read> reads = new ArrayDeque<>();

    FrameWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Adds a read; returns {part, whole} over the window ending at it. */
    long[] add(long atMillis, long part, long whole) {
        Read newest = reads.peekLast();
        if (newest != null && (part < newest.part() || whole < newest.whole())) {
            reads.clear();
        }
        reads.addLast(new Read(atMillis, part, whole));
        while (reads.size() > 2 && reads.peekFirst().atMillis() < atMillis - windowMillis) {
            reads.removeFirst();
        }
        Read oldest = reads.peekFirst();
        if (reads.size() == 1) {
            // The first read after a start: OBS's totals since the output started are the best we know.
            return new long[]{part, whole};
        }
        return new long[]{part - oldest.part(), whole - oldest.whole()};
    }

    void clear() {
        reads.clear();
    }
}
