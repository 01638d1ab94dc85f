package io.edgedeck.simulator.bundle;

import io.edgedeck.client.analysis.HeatmapBuckets;
import io.edgedeck.client.model.PopHistory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleHistoryCsvTest {

    @Test
    void aSecondThatServedNobodyHasAnEmptyJitterCellAndReadsBackAsNoJitter() throws Exception {
        int n = 3;
        PopHistory h = new PopHistory("iad", 1, HeatmapBuckets.edgesMs(), new long[] {10, 11, 12}, new long[] {40, 0, 40},
                new long[] {0, 40, 0}, new double[n], new double[n], new double[n], new double[n], new double[n],
                new double[] {12.5, Double.NaN, 3}, new long[n * HeatmapBuckets.COUNT]);
        String csv = BundleFormat.toCsv(h);
        String[] lines = csv.split("\n");
        assertTrue(lines[2].startsWith("11,1,0,40,0.000,0.000,0.000,0.000,0.000,,"), lines[2]);
        PopHistory back = BundleFormat.fromCsv("iad", csv, HeatmapBuckets.edgesMs(), "history/iad.csv");
        assertEquals(12.5, back.jitterMs()[0]);
        assertTrue(Double.isNaN(back.jitterMs()[1]), "read back as no jitter: " + back.jitterMs()[1]);
        assertEquals(3, back.jitterMs()[2]);
    }
}
