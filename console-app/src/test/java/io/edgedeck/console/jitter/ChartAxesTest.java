package io.edgedeck.console.jitter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Jitter tab's small charts: value labels that do not touch, and a legend whose last entry is never cut. */
class ChartAxesTest {
    @Test
    void aShortPanelLabelsFewerGridLinesSoNoTwoLabelsTouch() {
        assertEquals(1, ChartAxes.labelEvery(30), "30 px apart: every line");
        assertEquals(1, ChartAxes.labelEvery(ChartAxes.MIN_LABEL_GAP));
        // The review's 60 px jitter panel in five steps: labels 12 px apart, every second one instead.
        assertEquals(2, ChartAxes.labelEvery(12));
        assertEquals(4, ChartAxes.labelEvery(6), "a heatmap of 6 px cells");
    }

    @Test
    void aLegendTooWideForItsPanelNarrowsAndThenShortensItsTitleRatherThanCutItsLastEntry() {
        // "RFC 3550 jitter (ms)" (165 px) with audience, probes and "threshold 15 ms": 545 px in full.
        double[] labels = {62, 50, 110};
        assertEquals(ChartAxes.FIT_FULL, ChartAxes.legendFit(165, 80, labels, 600));
        assertEquals(ChartAxes.FIT_COMPACT, ChartAxes.legendFit(165, 80, labels, 515), "the review's 515 px panel");
        assertEquals(ChartAxes.FIT_SHORT_TITLE, ChartAxes.legendFit(165, 80, labels, 420));
        // Beside the ranking on a 1000x700 window whose tab scrolls: the short title with the narrowest swatches and gaps.
        assertEquals(ChartAxes.FIT_TIGHT, ChartAxes.legendFit(165, 80, labels, 380));
    }

    /** The heatmap's log scale in round numbers: 1, 2 and 5 in each decade where they stay apart, else 1 and 3, else the powers of ten. */
    @Test
    void aLogScaleIsMarkedInRoundNumbers() {
        java.util.function.DoubleUnaryOperator tall = v -> 400 - 80 * Math.log10(v);
        assertEquals(java.util.List.of("10 ms", "20 ms", "50 ms", "100 ms", "200 ms", "500 ms", "1 s"),
                ChartAxes.logMarks(5.6, 1000, tall).stream().map(ChartAxes.ValueMark::label).toList());
        java.util.function.DoubleUnaryOperator lower = v -> 400 - 50 * Math.log10(v);
        assertEquals(java.util.List.of("10 ms", "30 ms", "100 ms", "300 ms", "1 s"),
                ChartAxes.logMarks(5.6, 1000, lower).stream().map(ChartAxes.ValueMark::label).toList());
        java.util.function.DoubleUnaryOperator shortPanel = v -> 400 - 30 * Math.log10(v);
        assertEquals(java.util.List.of("10 ms", "100 ms", "1 s"),
                ChartAxes.logMarks(5.6, 1000, shortPanel).stream().map(ChartAxes.ValueMark::label).toList());
        assertEquals(java.util.List.of("0.5 ms", "1 ms", "2 ms", "5 ms"),
                ChartAxes.logMarks(0.42, 7.5, tall).stream().map(ChartAxes.ValueMark::label).toList());
    }
}
