package io.edgedeck.simulator.server.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.IntFunction;

/**
 * What a run of peers' requests leaves on the heap once they are answered: for a test that a node keeps nothing a
 * peer sent past its request, measured after full collections, so it holds only what is still reachable.
 */
public final class RetainedHeap {
    /** Distinct field names this long, sent this many times: kept, they would hold tens of MB. */
    public static final int NAME_CHARS = 100_000;
    public static final int REQUESTS = 200;
    /** What the run may leave, far under what its names would hold if kept (each at least its own size, twice). */
    public static final long MARGIN_BYTES = 20L * 1024 * 1024;

    private RetainedHeap() {
    }

    /** A field name of {@link #NAME_CHARS} characters that no other request's name starts like. */
    public static String uniqueName(String tag, int i) {
        return uniqueName(tag, i, NAME_CHARS);
    }

    /** A field name of {@code chars} characters that no other request's name starts like. */
    public static String uniqueName(String tag, int i, int chars) {
        String head = tag + "-" + i + "-";
        return head + "n".repeat(chars - head.length());
    }

    /**
     * The bytes the heap holds after {@code send} has run for 0 to {@link #REQUESTS} - 1, over what it held before;
     * {@code send} is run once first with -1, so what the first request loads for good (classes, caches) is not counted.
     */
    public static long grownBy(IntFunction<?> send) {
        return grownBy(REQUESTS, send);
    }

    /** As {@link #grownBy(IntFunction)}, for {@code requests} requests. */
    public static long grownBy(int requests, IntFunction<?> send) {
        send.apply(-1);
        long before = used();
        for (int i = 0; i < requests; i++) {
            send.apply(i);
        }
        return used() - before;
    }

    private static long used() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        // The least of a few full collections: what is reachable, whatever a collection left behind once.
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
