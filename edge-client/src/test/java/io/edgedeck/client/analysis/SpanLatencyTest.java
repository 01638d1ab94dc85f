package io.edgedeck.client.analysis;

import io.edgedeck.client.model.PopHistory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpanLatencyTest {

    /** One-second rows, each with the given count in one bucket. */
    private static PopHistory rows(int bucket, long... counts) {
        int n = counts.length;
        long[] seconds = new long[n];
        long[] heat = new long[n * HeatmapBuckets.COUNT];
        for (int i = 0; i < n; i++) {
            seconds[i] = i;
            heat[i * HeatmapBuckets.COUNT + bucket] = counts[i];
        }
        return new PopHistory("fra", 1, HeatmapBuckets.edgesMs(), seconds, counts.clone(), new long[n], new double[n],
                new double[n], new double[n], new double[n], new double[n], new double[n], heat);
    }

    @Test
    void whenRequestsAreFurtherApartThanTheirLatencyBothViewsAgree() {
        PopHistory h = rows(HeatmapBuckets.of(20_000), 2, 2, 2, 2, 2);
        SpanLatency s = SpanLatency.of(h, 0, 5);
        assertEquals(10, s.requests());
        assertEquals(500, s.expectedIntervalMs(), 1);
        assertEquals(20, s.p50Ms(), 20 * 0.15, "a bucket's middle is within 15% of what landed in it");
        assertEquals(s.p99Ms(), s.correctedP99Ms());
        assertEquals(s.maxMs(), s.correctedMaxMs());
    }

    @Test
    void aStallAtAHighRateWeighsMoreForAClosedLoopProber() {
        int n = 10;
        long[] counts = new long[n];
        java.util.Arrays.fill(counts, 100);
        PopHistory calm = rows(HeatmapBuckets.of(5_000), counts);
        long[] heat = calm.heatmap().clone();
        // One request in the whole span took 1.5 s.
        heat[HeatmapBuckets.of(1_500_000)] = 1;
        PopHistory stalled = new PopHistory("fra", 1, calm.bucketEdgesMs(), calm.startSecond(), calm.requests(),
                calm.lost(), calm.p5Ms(), calm.p50Ms(), calm.p95Ms(), calm.p99Ms(), calm.maxMs(), calm.jitterMs(), heat);
        SpanLatency s = SpanLatency.of(stalled, 0, n);
        assertEquals(10.0, s.expectedIntervalMs(), 0.1);
        assertTrue(s.p99Ms() < 10, "as recorded, one slow request in 1,000 does not move p99: " + s.p99Ms());
        assertTrue(s.correctedP99Ms() > 100, "a prober stuck behind it would have missed ~150 sends: " + s.correctedP99Ms());
        assertEquals(s.maxMs(), s.correctedMaxMs());
    }

    @Test
    void theMaxIsTheLargestRecordedRowMaxNotABucketsMiddle() {
        PopHistory bucketed = rows(HeatmapBuckets.of(251_903), 3, 3, 3);
        double[] max = {120.0, 251.903, 200.0};
        PopHistory h = new PopHistory("fra", 1, bucketed.bucketEdgesMs(), bucketed.startSecond(), bucketed.requests(),
                bucketed.lost(), bucketed.p5Ms(), bucketed.p50Ms(), bucketed.p95Ms(), bucketed.p99Ms(), max,
                bucketed.jitterMs(), bucketed.heatmap());
        SpanLatency s = SpanLatency.of(h, 0, 3);
        assertTrue(s.maxExact());
        assertEquals(251.903, s.maxMs(), 1e-9, "the history's own max, as the CSV has it");
        assertEquals(251.903, s.correctedMaxMs(), 1e-9);
        assertTrue(s.p99Ms() <= s.maxMs(), "no percentile above the max: " + s);
        assertEquals(200.0, SpanLatency.of(h, 2, 3).maxMs(), 1e-9, "only the span's rows count");
    }

    @Test
    void withoutRecordedRowMaximaTheMaxComesFromTheHeatmapAndSaysSo() {
        SpanLatency s = SpanLatency.of(rows(HeatmapBuckets.of(20_000), 2, 2), 0, 2);
        assertFalse(s.maxExact());
        assertEquals(20, s.maxMs(), 20 * SpanLatency.BUCKET_PRECISION);
    }

    @Test
    void anEmptySpanIsAllZero() {
        SpanLatency s = SpanLatency.of(rows(3, 0, 0), 0, 2);
        assertEquals(0, s.requests());
        assertEquals(0, s.p99Ms());
    }
}
