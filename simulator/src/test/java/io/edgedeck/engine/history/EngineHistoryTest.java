package io.edgedeck.engine.history;

import io.edgedeck.client.analysis.HeatmapBuckets;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.engine.metrics.LatencyCounts;
import org.HdrHistogram.IntCountsHistogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineHistoryTest {

    private static LatencyCounts second(long... micros) {
        LatencyCounts h = new LatencyCounts();
        for (long m : micros) {
            h.record(m);
        }
        return h;
    }

    private static long[] repeat(long value, int times) {
        long[] out = new long[times];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static long[] concat(long[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToLong(java.util.Arrays::stream).toArray();
    }

    private static double equivalentMs(long micros) {
        return new IntCountsHistogram(1, 120_000_000L, 2).highestEquivalentValue(micros) / 1000.0;
    }

    @Test
    void aSecondOfKnownLatenciesGivesItsPercentilesAndHeatmapRow() {
        EngineHistory history = new EngineHistory(1);
        LatencyCounts h = second(concat(repeat(12_000, 90), repeat(150_000, 9), repeat(1_500_000, 1)));
        history.recordSecond(0, 0, h, 100, 3, 4.25);

        PopHistory ph = history.query(0, "fra", 0, 1);
        assertEquals(1, ph.rows());
        assertEquals(1, ph.resolutionSeconds());
        assertEquals(100, ph.requests()[0]);
        assertEquals(3, ph.lost()[0]);
        assertEquals(equivalentMs(12_000), ph.p5Ms()[0]);
        assertEquals(equivalentMs(12_000), ph.p50Ms()[0]);
        assertEquals(equivalentMs(150_000), ph.p95Ms()[0]);
        assertEquals(equivalentMs(150_000), ph.p99Ms()[0]);
        assertEquals(equivalentMs(1_500_000), ph.maxMs()[0]);
        assertEquals(4.25, ph.jitterMs()[0]);
        // 12 ms, 150 ms and 1.5 s lie in buckets 8 (10-13.3 ms), 17 (133-178 ms) and 25 (1.33-1.78 s).
        for (int b = 0; b < ph.buckets(); b++) {
            long expected = switch (b) {
                case 8 -> 90;
                case 17 -> 9;
                case 25 -> 1;
                default -> 0;
            };
            assertEquals(expected, ph.heat(0, b), "bucket " + b);
        }
    }

    @Test
    void percentilesAgreeWithHdrHistogramsOwnForAnyMixOfLatencies() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int trial = 0; trial < 200; trial++) {
            IntCountsHistogram h = new IntCountsHistogram(1, 120_000_000L, 2);
            LatencyCounts counts = new LatencyCounts();
            int n = 1 + random.nextInt(400);
            for (int i = 0; i < n; i++) {
                long micros = (long) Math.exp(8 + 3 * random.nextDouble());
                h.recordValue(micros);
                counts.record(micros);
            }
            int[] row = new int[HistoryTable.STRIDE];
            EngineHistory.summarise(counts, n, 0, 0, row);
            assertEquals(h.getMaxValue(), row[HistoryTable.MAX], "max of trial " + trial);
            assertEquals(h.getValueAtPercentile(5), row[HistoryTable.P5], "p5 of trial " + trial);
            assertEquals(h.getValueAtPercentile(50), row[HistoryTable.P50], "p50 of trial " + trial);
            assertEquals(h.getValueAtPercentile(95), row[HistoryTable.P95], "p95 of trial " + trial);
            assertEquals(h.getValueAtPercentile(99), row[HistoryTable.P99], "p99 of trial " + trial);
            long heat = 0;
            for (int b = 0; b < HeatmapBuckets.COUNT; b++) {
                heat += row[HistoryTable.HEAT + b];
            }
            assertEquals(n, heat, "every request lands in one bucket");
        }
    }

    @Test
    void aSecondWithoutTrafficHasZeroLatenciesAndItsLoss() {
        EngineHistory history = new EngineHistory(1);
        history.recordSecond(0, 0, second(), 0, 7, 0);
        PopHistory ph = history.query(0, "fra", 0, 10);
        assertEquals(1, ph.rows());
        assertEquals(7, ph.lost()[0]);
        assertEquals(0, ph.p99Ms()[0]);
    }

    @Test
    void aSecondThatServedNobodyHasNoJitterRatherThanTheLastOneCarriedThrough() {
        EngineHistory history = new EngineHistory(1, 60, 10);
        // The estimator keeps its last value through an outage; the history must not.
        for (long s = 0; s < 150; s++) {
            boolean served = s < 60 || s == 130;
            history.recordSecond(0, s, served ? second(repeat(20_000, 40)) : second(), served ? 40 : 0, served ? 0 : 40,
                    s < 60 ? 5 : 30);
        }
        PopHistory perSecond = history.query(0, "fra", 100, 150);
        assertEquals(1, perSecond.resolutionSeconds());
        assertTrue(Double.isNaN(perSecond.jitterMs()[0]), "second 100 served nobody: " + perSecond.jitterMs()[0]);
        assertEquals(30, perSecond.jitterMs()[30], "second 130 served: its jitter is measured");
        PopHistory perMinute = history.query(0, "fra", 0, 150);
        assertEquals(60, perMinute.resolutionSeconds());
        assertEquals(5, perMinute.jitterMs()[0], "minute 0 served throughout");
        assertTrue(Double.isNaN(perMinute.jitterMs()[1]), "minute 1 served nobody: " + perMinute.jitterMs()[1]);
        assertEquals(30, perMinute.jitterMs()[2], "the minute in progress: the highest of the seconds that served");
    }

    @Test
    void olderHistoryIsKeptPerMinuteAndMemoryStopsGrowing() {
        EngineHistory history = new EngineHistory(1, 120, 5);
        LatencyCounts calm = second(repeat(20_000, 50));
        LatencyCounts spike = second(repeat(500_000, 5));
        long bytesAt600 = 0;
        for (long s = 0; s < 3000; s++) {
            boolean spiky = s % 60 == 30;
            history.recordSecond(0, s, spiky ? spike : calm, spiky ? 5 : 50, 0, spiky ? 40 : 2);
            if (s == 599) {
                bytesAt600 = history.retainedBytes();
            }
        }
        assertEquals(bytesAt600, history.retainedBytes(), "the tables stop growing once full");

        PopHistory recent = history.query(0, "fra", 2940, 3000);
        assertEquals(1, recent.resolutionSeconds());
        assertEquals(60, recent.rows());
        assertEquals(2940, recent.startSecond()[0]);

        PopHistory whole = history.query(0, "fra", 0, 3000);
        assertEquals(60, whole.resolutionSeconds());
        assertEquals(5, whole.rows(), "only the newest five minutes are held");
        assertEquals(2700, whole.startSecond()[0]);
        assertEquals(59 * 50 + 5, whole.requests()[0]);
        assertEquals(40.0, whole.jitterMs()[0], "a minute keeps its highest jitter");
        assertEquals(equivalentMs(500_000), whole.maxMs()[0]);
        assertEquals(equivalentMs(20_000), whole.p50Ms()[0]);
        assertEquals(59 * 50, whole.heat(0, HeatmapBuckets.of(20_000)));
    }

    @Test
    void aSeriesThatBeganLateAnswersFromSecondZeroPerSecondWhileItHoldsEveryRow() {
        EngineHistory history = new EngineHistory(1, 600, 10);
        for (long s = 500; s < 700; s++) {
            history.recordSecond(0, s, second(20_000), 1, 0, 1);
        }
        PopHistory whole = history.query(0, "fra", 0, 700);
        assertEquals(1, whole.resolutionSeconds(), "every row is still held at full resolution");
        assertEquals(200, whole.rows());
        assertEquals(500, whole.startSecond()[0]);
        for (long s = 700; s < 1200; s++) {
            history.recordSecond(0, s, second(20_000), 1, 0, 1);
        }
        assertEquals(60, history.query(0, "fra", 0, 1200).resolutionSeconds(), "rows dropped for room: per minute again");
    }

    @Test
    void theMinuteInProgressIsPartOfAPerMinuteAnswer() {
        EngineHistory history = new EngineHistory(1, 60, 10);
        for (long s = 0; s < 150; s++) {
            history.recordSecond(0, s, second(20_000), 1, 0, 1);
        }
        PopHistory whole = history.query(0, "fra", 0, 150);
        assertEquals(60, whole.resolutionSeconds());
        assertEquals(3, whole.rows());
        assertEquals(120, whole.startSecond()[2]);
        assertEquals(30, whole.requests()[2]);
    }

    @Test
    void theDocumentedBoundHolds() {
        EngineHistory history = new EngineHistory(48);
        LatencyCounts h = second(20_000);
        for (long s = 0; s < EngineHistory.FINE_SECONDS + 600; s++) {
            for (int p = 0; p < 48; p++) {
                history.recordSecond(p, s, h, 1, 0, 1);
            }
        }
        long full = EngineHistory.FINE_SECONDS * 160L * 48;
        assertTrue(history.retainedBytes() >= full, "per-second rows are all held: " + history.retainedBytes());
        assertTrue(history.retainedBytes() < 70L * 1024 * 1024, "48 PoPs over 2 h stay under 70 MB: " + history.retainedBytes());
    }
}
