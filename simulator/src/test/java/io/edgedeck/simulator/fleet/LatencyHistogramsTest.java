package io.edgedeck.simulator.fleet;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyHistogramsTest {

    @Test
    void roundTripsAndAddsUpExactly() {
        Histogram a = LatencyHistograms.empty();
        Histogram b = LatencyHistograms.empty();
        Histogram all = LatencyHistograms.empty();
        for (int i = 1; i <= 1000; i++) {
            LatencyHistograms.recordMillis(i % 2 == 0 ? a : b, i * 0.37);
            LatencyHistograms.recordMillis(all, i * 0.37);
        }
        LatencyHistograms.recordMillis(a, 500_000.0);
        LatencyHistograms.recordMillis(all, 500_000.0);
        Histogram merged = LatencyHistograms.empty();
        merged.add(LatencyHistograms.decode(LatencyHistograms.encode(a)));
        merged.add(LatencyHistograms.decode(LatencyHistograms.encode(b)));
        assertEquals(all, merged);
        assertEquals(120_000.0, LatencyHistograms.percentileMillis(merged, 100), 1_000.0, "clamped to 120 s");
    }

    @Test
    void refusesWhatIsNotAHistogramOrHoldsValuesPastItsRange() {
        assertThrows(IllegalArgumentException.class, () -> LatencyHistograms.decode("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> LatencyHistograms.decode("aGVsbG8="));
        Histogram huge = new Histogram(2);
        huge.recordValue(1_000_000_000_000L);
        assertThrows(IllegalArgumentException.class, () -> LatencyHistograms.decode(LatencyHistograms.encode(huge)));
    }
}
