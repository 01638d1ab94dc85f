package io.edgedeck.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link EsperComparisonBenchmark} compares equal work: on the benchmark's own stream, played twice
 * end to end as the benchmark replays it, the engine's classes and Esper's statements report, at the
 * end of every engine second, the same requests per PoP, the same exposures and conversions per
 * variant, the same RFC 3550 jitter per PoP, and the same p50/p95/p99 per PoP within the
 * histograms' precision (2 significant digits of microseconds: the engine reports the top of the
 * bucket holding the exact value, at most 1% above it).
 */
class EsperComparisonTest {
    private static ShowEventStream stream;
    private static List<WindowReadout> engine;
    private static List<WindowReadout> esper;

    @BeforeAll
    static void playBoth() {
        stream = EsperComparisonBenchmark.stream();
        List<WindowReadout> ours = new ArrayList<>();
        List<WindowReadout> theirs = new ArrayList<>();
        play(new EngineStreamStats(stream, r -> ours.add(r.copy())));
        EsperStreamStats esperStats = new EsperStreamStats(stream, true, r -> theirs.add(r.copy()));
        try {
            play(esperStats);
        } finally {
            esperStats.destroy();
        }
        engine = ours;
        esper = theirs;
    }

    /** Both passes of the benchmark's replay, and the end of the last second. */
    private static void play(StreamStats stats) {
        long length = stream.durationMillis();
        stats.play(stream, 0, stream.length, 0);
        stats.play(stream, 0, stream.length, length);
        stats.advanceTo(2 * length);
    }

    @Test
    void theStreamIsTheShowsMix() {
        assertEquals(12, stream.popCount(), "bench-large has 12 PoPs");
        assertTrue(stream.count(ShowEventStream.REQUEST) > 100_000, stream::toString);
        assertTrue(stream.count(ShowEventStream.EXPOSURE) > 1_000, stream::toString);
        assertTrue(stream.count(ShowEventStream.CONVERSION) > 100, stream::toString);
        assertTrue(stream.arms.size() >= 5, stream::toString);
        for (int p = 0; p < stream.popCount(); p++) {
            int pop = p;
            long n = java.util.stream.IntStream.range(0, stream.length)
                    .filter(i -> stream.kind[i] == ShowEventStream.REQUEST && stream.pop[i] == pop).count();
            assertTrue(n > 1_000, () -> stream.config.pops().get(pop).id() + " served only " + n);
        }
    }

    @Test
    void bothReportEverySecondOfBothPasses() {
        assertEquals(2 * EsperComparisonBenchmark.SECONDS, engine.size());
        assertEquals(engine.size(), esper.size());
        for (int s = 0; s < engine.size(); s++) {
            assertEquals(s, engine.get(s).second);
            assertEquals(s, esper.get(s).second);
        }
    }

    @Test
    void variantCountsAreEqual() {
        long conversionsSeen = 0;
        for (int s = 0; s < engine.size(); s++) {
            WindowReadout a = engine.get(s);
            WindowReadout b = esper.get(s);
            for (int arm = 0; arm < stream.arms.size(); arm++) {
                String name = String.join("/", stream.arms.get(arm)) + " at second " + s;
                assertEquals(a.exposures[arm], b.exposures[arm], "exposures of " + name);
                assertEquals(a.conversions[arm], b.conversions[arm], "conversions of " + name);
                conversionsSeen += a.conversions[arm];
            }
        }
        assertTrue(conversionsSeen > 0, "no window held a conversion: the comparison would prove nothing");
    }

    @Test
    void requestsAndJitterPerPopAreEqual() {
        for (int s = 0; s < engine.size(); s++) {
            for (int p = 0; p < stream.popCount(); p++) {
                String name = stream.config.pops().get(p).id() + " at second " + s;
                assertEquals(engine.get(s).requests[p], esper.get(s).requests[p], "requests at " + name);
                assertTrue(engine.get(s).requests[p] > 0, "no requests at " + name);
                assertEquals(engine.get(s).jitter[p], esper.get(s).jitter[p], 1e-9, "jitter at " + name);
            }
        }
    }

    @Test
    void percentilesPerPopAgreeWithinTheHistogramsPrecision() {
        for (int s = 0; s < engine.size(); s++) {
            for (int p = 0; p < stream.popCount(); p++) {
                String name = stream.config.pops().get(p).id() + " at second " + s;
                within(engine.get(s).p50[p], esper.get(s).p50[p], "p50 at " + name);
                within(engine.get(s).p95[p], esper.get(s).p95[p], "p95 at " + name);
                within(engine.get(s).p99[p], esper.get(s).p99[p], "p99 at " + name);
            }
        }
    }

    /** The engine's value is the top of the 1%-wide bucket (of whole microseconds) holding the exact one. */
    private static void within(double histogram, double exact, String what) {
        double truncated = Math.floor(exact * 1000) / 1000;
        if (!(histogram >= truncated && histogram <= exact * 1.01 + 0.001)) {
            fail(what + ": engine " + histogram + " ms, Esper (exact) " + exact + " ms");
        }
    }
}
