package io.edgedeck.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's windowed per-PoP latency percentiles, RFC 3550 jitter and per-variant counts against
 * Esper computing the same results over the same windows, on the same event stream, in one run.
 *
 * <p>The stream is 30 engine seconds of {@code bench-large} (12 PoPs), recorded once per fork from
 * the show itself, played in a child JVM ({@link ShowEventStream}): the requests the PoPs served with their latencies, the
 * exposures and the conversions per flag variant, seconds 410 to 440, so the latency shift cued at
 * gru at 420 s moves its percentiles in the middle. Both sides ({@link EngineStreamStats},
 * {@link EsperStreamStats}) take it in order, end every engine second and read every PoP's and every
 * variant's 10 s window there; {@code EsperComparisonTest} checks that they report the same.
 * {@code esperWithoutPercentiles} is Esper with the percentiles left out (requests counted, jitter,
 * variant counts): less than equal work, the cost of Esper's windows, tables and dispatch before
 * any percentile, which no way of computing percentiles in Esper could go below.
 *
 * <p>An operation is one event; each invocation takes the next {@value #BATCH} and the stream is
 * replayed end to end, its times shifted by its length each time round, so the windows stay full and
 * time only moves forward. The once-a-second reads are in the figure, spread over the events of
 * their second. Setup plays the whole stream once before the warm-up, so measuring starts with full
 * windows.
 */
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
public class EsperComparisonBenchmark extends ShortRun {
    static final String SCENARIO = "bench-large";
    static final int FROM_SECOND = 410;
    static final int SECONDS = 30;
    static final int BATCH = 4096;

    private static ShowEventStream stream;

    /** The stream, recorded on first use in this JVM. */
    static synchronized ShowEventStream stream() {
        if (stream == null) {
            stream = ShowEventStream.recordApart(SCENARIO, FROM_SECOND, SECONDS);
        }
        return stream;
    }

    /** One side and where it is in the replayed stream. */
    abstract static class Side {
        ShowEventStream events;
        StreamStats stats;
        private int cursor;
        private long offsetMillis;

        abstract StreamStats make(ShowEventStream events);

        @Setup
        public void setUp() {
            events = stream();
            System.out.println("\nstream: " + events);
            stats = make(events);
            for (int i = 0; i < events.length / BATCH; i++) {
                next();
            }
        }

        /** Takes the next {@value #BATCH} events, going round to the start of the stream at its end. */
        WindowReadout next() {
            int left = BATCH;
            while (left > 0) {
                int to = Math.min(events.length, cursor + left);
                stats.play(events, cursor, to, offsetMillis);
                left -= to - cursor;
                cursor = to;
                if (cursor == events.length) {
                    cursor = 0;
                    offsetMillis += events.durationMillis();
                }
            }
            return stats.readout();
        }
    }

    @State(Scope.Thread)
    public static class EdgeDeckSide extends Side {
        @Override
        StreamStats make(ShowEventStream events) {
            return new EngineStreamStats(events, r -> { });
        }
    }

    @State(Scope.Thread)
    public static class EsperSide extends Side {
        @Override
        StreamStats make(ShowEventStream events) {
            return new EsperStreamStats(events, true, r -> { });
        }

        @TearDown
        public void tearDown() {
            ((EsperStreamStats) stats).destroy();
        }
    }

    /** Esper with the requests counted but no percentiles kept: not equal work, the least Esper costs. */
    @State(Scope.Thread)
    public static class EsperCountsOnlySide extends EsperSide {
        @Override
        StreamStats make(ShowEventStream events) {
            return new EsperStreamStats(events, false, r -> { });
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public WindowReadout edgeDeck(EdgeDeckSide side) {
        return side.next();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public WindowReadout esper(EsperSide side) {
        return side.next();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public WindowReadout esperWithoutPercentiles(EsperCountsOnlySide side) {
        return side.next();
    }
}
