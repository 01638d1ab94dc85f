package io.edgedeck.console.jitter;

import io.edgedeck.client.analysis.SpanLatency;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the jitter view says about a span's latency: exact where it was recorded, "≈" where it comes from buckets. */
class JitterLatencyTextTest {

    @Test
    void theRecordedMaxIsPrintedExactlyAndTheBucketFiguresCarryTheirPrecision() {
        SpanLatency s = new SpanLatency(81_935, 91, 360, 15.4, 87.0, 116, 251.903, 4.4, 20, 100, 150, 251.903, true);
        String text = JitterView.latencyText(s).replace('\u00A0', ' ');
        assertTrue(text.contains("max 251.9 ms"), text);
        assertTrue(text.contains("p50/p95/p99 ≈ 15.4 ms / 87.0 ms / 116 ms"), text);
        assertTrue(text.contains("±15%"), text);
    }

    @Test
    void aMaxFromTheHeatmapIsMarkedApproximate() {
        SpanLatency s = new SpanLatency(10, 0, 5, 20, 20, 20, 21.5, 500, 20, 20, 20, 21.5, false);
        assertTrue(JitterView.latencyText(s).replace('\u00A0', ' ').contains("max ≈ 21.5 ms"), JitterView.latencyText(s));
    }

    /** The span line wraps under the charts: "≈" stays with the figures it qualifies, and each figure with its unit. */
    @Test
    void aWrappedSpanLineNeverLeavesTheApproximateSignOrAUnitAlone() {
        for (SpanLatency s : new SpanLatency[]{new SpanLatency(81_935, 91, 360, 15.4, 87.0, 116, 251.903, 4.4, 20, 100, 150, 251.903, true),
                new SpanLatency(10, 0, 5, 20, 20, 20, 21.5, 500, 20, 20, 20, 21.5, false)}) {
            String text = JitterView.latencyText(s);
            assertFalse(text.contains("≈ "), "no line break may fall after \"≈\": " + text);
            assertFalse(java.util.regex.Pattern.compile("\\d ms").matcher(text).find(), "nor between a figure and its unit: " + text);
        }
    }
}
