package io.edgedeck.console.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The onset line's words stay inside the plot, wherever the line falls and however narrow the chart. */
class OnsetLabelTest {
    private static final String FULL = "first held over 15 ms at 04:00";
    private static final String SHORT = "held > 15 ms at 04:00";
    private static final String TIME = "04:00";

    @Test
    void aWideChartKeepsTheWholeWordsRightOfTheLine() {
        JitterChart.OnsetLabel label = JitterChart.OnsetLabel.place(400, 72, 1200, FULL, SHORT, TIME);
        assertEquals(FULL, label.text());
        assertTrue(label.right());
    }

    @Test
    void aLineNearThePlotsRightEdgeHasItsWordsOnItsLeft() {
        JitterChart.OnsetLabel label = JitterChart.OnsetLabel.place(1100, 72, 1200, FULL, SHORT, TIME);
        assertEquals(FULL, label.text());
        assertFalse(label.right());
    }

    @Test
    void aNarrowChartShortensTheWordsRatherThanRunningOverTheScale() {
        // A 1,000 px window: a plot from 72 to about 370 px with the line at its middle. The whole words (240 px)
        // fit on neither side; right-aligned at the line they began at 0, over the latency scale's labels.
        JitterChart.OnsetLabel label = JitterChart.OnsetLabel.place(221, 72, 370, FULL, SHORT, TIME);
        assertEquals(TIME, label.text());
        double width = label.text().length() * JitterChart.OnsetLabel.CHAR_WIDTH;
        if (label.right()) {
            assertTrue(221 + 6 + width <= 370);
        } else {
            assertTrue(221 - 6 - width >= 72);
        }
    }

    @Test
    void theShorterWordsAreTakenWhenTheyFit() {
        JitterChart.OnsetLabel label = JitterChart.OnsetLabel.place(300, 72, 480, FULL, SHORT, TIME);
        assertEquals(SHORT, label.text());
    }
}
