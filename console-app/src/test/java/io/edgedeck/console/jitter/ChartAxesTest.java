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
    }
}
