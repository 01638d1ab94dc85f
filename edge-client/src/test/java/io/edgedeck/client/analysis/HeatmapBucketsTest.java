package io.edgedeck.client.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeatmapBucketsTest {

    @Test
    void bucketsCoverOneMillisecondToTenSecondsAndClampOutside() {
        double[] edges = HeatmapBuckets.edgesMs();
        assertEquals(HeatmapBuckets.COUNT + 1, edges.length);
        assertEquals(1.0, edges[0]);
        assertEquals(10_000.0, edges[HeatmapBuckets.COUNT]);
        assertEquals(0, HeatmapBuckets.of(10));
        assertEquals(8, HeatmapBuckets.of(10_000));
        assertEquals(7, HeatmapBuckets.of(9_999));
        assertEquals(HeatmapBuckets.COUNT - 1, HeatmapBuckets.of(60_000_000));
    }
}
