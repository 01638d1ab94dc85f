package io.edgedeck.console.common;

import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How hard the console works, for benchmarks and soaks: the FX thread's CPU time over wall time
 * (its busy share), the longest gap between two pulses (the worst frame), the heap still in use
 * after the last garbage collection, and the number of live threads. Prints one line per
 * interval and a summary on close. FX thread.
 */
public final class FxMonitor implements AutoCloseable {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final PrintStream out;
    private final Supplier<String> engineClock;
    private final AnimationTimer pulses;
    private final Timeline report;
    private final long fxThread;

    private long lastPulseNanos;
    private long windowWorstNanos;
    private long windowPulses;
    private long windowStartWall;
    private long windowStartCpu;
    private long totalStartWall;
    private long totalStartCpu;
    private long worstNanos;
    private long maxHeapBytes;
    private int maxThreads;
    private boolean closed;

    /** @param engineClock what the show's clock reads now, for the report lines */
    public FxMonitor(PrintStream out, Supplier<String> engineClock, Duration interval) {
        this.out = out;
        this.engineClock = engineClock;
        this.fxThread = Thread.currentThread().threadId();
        this.pulses = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (lastPulseNanos != 0) {
                    windowWorstNanos = Math.max(windowWorstNanos, now - lastPulseNanos);
                }
                lastPulseNanos = now;
                windowPulses++;
            }
        };
        this.report = new Timeline(new KeyFrame(interval, e -> reportWindow()));
        report.setCycleCount(Timeline.INDEFINITE);
    }

    public void start() {
        totalStartWall = windowStartWall = System.nanoTime();
        totalStartCpu = windowStartCpu = threads.getThreadCpuTime(fxThread);
        pulses.start();
        report.play();
    }

    private void reportWindow() {
        long wall = System.nanoTime();
        long cpu = threads.getThreadCpuTime(fxThread);
        double busy = 100.0 * (cpu - windowStartCpu) / Math.max(1, wall - windowStartWall);
        long heap = heapAfterLastCollection();
        int live = threads.getThreadCount();
        worstNanos = Math.max(worstNanos, windowWorstNanos);
        maxHeapBytes = Math.max(maxHeapBytes, heap);
        maxThreads = Math.max(maxThreads, live);
        out.printf(Locale.ROOT, "fx  show %s  busy %5.1f%%  worst frame %4.0f ms  pulses %4d  heap after GC %5.0f MB  threads %d%n",
                engineClock.get(), busy, windowWorstNanos / 1e6, windowPulses, heap / 1048576.0, live);
        out.flush();
        windowStartWall = wall;
        windowStartCpu = cpu;
        windowWorstNanos = 0;
        windowPulses = 0;
    }

    /** Heap in use right after the last collection of each heap pool: what the program really keeps. */
    static long heapAfterLastCollection() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                bytes += pool.getCollectionUsage().getUsed();
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        if (closed || totalStartWall == 0) {
            return;
        }
        closed = true;
        reportWindow();
        pulses.stop();
        report.stop();
        long wall = System.nanoTime() - totalStartWall;
        double busy = 100.0 * (threads.getThreadCpuTime(fxThread) - totalStartCpu) / Math.max(1, wall);
        out.printf(Locale.ROOT, "fx  summary over %.0f s: busy %.1f%%, worst frame %.0f ms, heap after GC at most %.0f MB, threads at most %d%n",
                wall / 1e9, busy, worstNanos / 1e6, maxHeapBytes / 1048576.0, maxThreads);
        out.flush();
    }
}
