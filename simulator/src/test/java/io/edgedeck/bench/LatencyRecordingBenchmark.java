package io.edgedeck.bench;

import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.engine.metrics.LatencyWindows;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The HdrHistogram-backed {@link LatencyWindows} of one PoP against the obvious alternative, on the
 * same latency stream: keep every latency of the last seconds in growable {@code double[]}s and sort
 * them when p50/p95/p99 are asked for.
 *
 * <p>{@code record*} is the cost of one served request, with the second rolled over every
 * {@code requestsPerSecond} records (so the rolling cost is spread over the requests that paid for
 * it). {@code read*} is one read of the 10 s window (ten completed seconds and half of the current
 * one), which the console does for every PoP every frame.
 *
 * <p>The naive side is written the way a careful first version would be: one buffer per second in a
 * ring, reused once its capacity has grown, and one reused scratch array to sort, so in steady state
 * it allocates nothing and its cost is the copying and sorting itself.
 */
public class LatencyRecordingBenchmark extends ShortRun {
    private static final int STREAM = 1 << 16;

    /** A PoP's latency stream: 18 ms typical, a log-normal spread and a 1% slow tail. */
    static double[] latencyStream() {
        var random = new SplittableRandom(7);
        double[] ms = new double[STREAM];
        for (int i = 0; i < STREAM; i++) {
            double v = 18.0 * Math.exp(0.35 * random.nextGaussian());
            ms[i] = random.nextDouble() < 0.01 ? v * (2 + 8 * random.nextDouble()) : v;
        }
        return ms;
    }

    /**
     * The naive windows: every value of the current second and the ten before it, sorted on read.
     * A ring of eleven so the window is exact to the second, like {@link LatencyWindows}.
     */
    static final class SortingWindows {
        private static final int SLOTS = LatencyWindows.SHORT_SECONDS + 1;
        private final double[][] seconds = new double[SLOTS][];
        private final int[] sizes = new int[SLOTS];
        private double[] scratch = new double[1024];
        private int current;

        SortingWindows() {
            for (int i = 0; i < SLOTS; i++) {
                seconds[i] = new double[1024];
            }
        }

        void record(double ms) {
            double[] values = seconds[current];
            int n = sizes[current];
            if (n == values.length) {
                values = seconds[current] = Arrays.copyOf(values, n * 2);
            }
            values[n] = ms;
            sizes[current] = n + 1;
        }

        void rollSecond() {
            current = (current + 1) % SLOTS;
            sizes[current] = 0;
        }

        /** p50, p95, p99 and max of the window, by sorting a copy of its values. */
        LatencyWindow shortWindow() {
            int total = 0;
            for (int size : sizes) {
                total += size;
            }
            if (scratch.length < total) {
                scratch = new double[Integer.highestOneBit(total) * 2];
            }
            int at = 0;
            for (int i = 0; i < SLOTS; i++) {
                System.arraycopy(seconds[i], 0, scratch, at, sizes[i]);
                at += sizes[i];
            }
            if (total == 0) {
                return LatencyWindow.empty(LatencyWindows.SHORT_SECONDS);
            }
            Arrays.sort(scratch, 0, total);
            return new LatencyWindow(LatencyWindows.SHORT_SECONDS, total, rank(total, 0.50), rank(total, 0.95),
                    rank(total, 0.99), scratch[total - 1]);
        }

        private double rank(int total, double quantile) {
            return scratch[Math.max(0, (int) Math.ceil(quantile * total) - 1)];
        }

        /** Bytes held: the per-second buffers and the sort scratch. */
        long footprintBytes() {
            long bytes = 8L * scratch.length;
            for (double[] s : seconds) {
                bytes += 8L * s.length;
            }
            return bytes;
        }
    }

    @State(Scope.Thread)
    public static class Recording {
        @Param({"5000", "50000"})
        public int requestsPerSecond;

        final double[] stream = latencyStream();
        LatencyWindows hdr;
        SortingWindows naive;
        int next;
        int inSecond;

        @Setup(Level.Trial)
        public void setUp() {
            hdr = new LatencyWindows();
            naive = new SortingWindows();
        }

        double nextLatency() {
            next = (next + 1) & (STREAM - 1);
            return stream[next];
        }

        boolean secondComplete() {
            if (++inSecond == requestsPerSecond) {
                inSecond = 0;
                return true;
            }
            return false;
        }
    }

    @State(Scope.Thread)
    public static class Reading {
        @Param({"5000", "50000"})
        public int requestsPerSecond;

        LatencyWindows hdr;
        SortingWindows naive;

        @Setup(Level.Trial)
        public void setUp() {
            double[] stream = latencyStream();
            hdr = new LatencyWindows();
            naive = new SortingWindows();
            int i = 0;
            // Ten full seconds and half of the current one: what a frame sees mid-second.
            for (int second = 0; second <= LatencyWindows.SHORT_SECONDS; second++) {
                int count = second < LatencyWindows.SHORT_SECONDS ? requestsPerSecond : requestsPerSecond / 2;
                for (int r = 0; r < count; r++) {
                    double ms = stream[i++ & (STREAM - 1)];
                    hdr.record(ms);
                    naive.record(ms);
                }
                if (second < LatencyWindows.SHORT_SECONDS) {
                    hdr.rollSecond();
                    naive.rollSecond();
                }
            }
            // The bytes each side holds for one PoP: the windows' follow the spread of the latencies, not the rate.
            System.err.printf("# footprint at %d req/s: LatencyWindows %d B; sorting 10 s window %d B%n", requestsPerSecond,
                    hdr.footprintBytes(), naive.footprintBytes());
            System.err.printf("# p99 of the same window: hdr %.3f ms, sorted %.3f ms%n",
                    hdr.shortWindow().p99Ms(), naive.shortWindow().p99Ms());
        }
    }

    @Benchmark
    public void recordHdr(Recording s) {
        s.hdr.record(s.nextLatency());
        if (s.secondComplete()) {
            s.hdr.rollSecond();
        }
    }

    @Benchmark
    public void recordSorting(Recording s) {
        s.naive.record(s.nextLatency());
        if (s.secondComplete()) {
            s.naive.rollSecond();
        }
    }

    @Benchmark
    public LatencyWindow readHdr(Reading s) {
        return s.hdr.shortWindow();
    }

    @Benchmark
    public LatencyWindow readSorting(Reading s) {
        return s.naive.shortWindow();
    }
}
