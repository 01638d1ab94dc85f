package io.edgedeck.console.timeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The legend of a Timeline panel never covers the panel's title, however many series it names, nor any value the
 * panel draws: the newest samples at the right edge stay in sight under it.
 */
class TimelineLegendTest {

    /** Entries on the title's line start right of the title; entries on one line never overlap; all end by the right edge. */
    private static void assertClear(double titleRight, double right, List<Double> widths, List<double[]> at) {
        for (int i = 0; i < widths.size(); i++) {
            double x = at.get(i)[0];
            if (at.get(i)[1] == 0) {
                assertTrue(x >= titleRight, "entry " + i + " at " + x + " covers the title, which ends at " + titleRight);
            }
            assertTrue(x + widths.get(i) <= right + 1e-9, "entry " + i + " runs past the right edge");
            for (int j = 0; j < i; j++) {
                if (at.get(j)[1] == at.get(i)[1]) {
                    boolean apart = at.get(j)[0] + widths.get(j) <= x || x + widths.get(i) <= at.get(j)[0];
                    assertTrue(apart, "entries " + j + " and " + i + " overlap");
                }
            }
        }
    }

    @Test
    void twoShortSeriesStayOnTheTitlesLine() {
        List<double[]> at = TimelineView.legendLayout(200, 1200, List.of(90.0, 120.0));
        assertEquals(0, at.get(0)[1]);
        assertEquals(0, at.get(1)[1]);
        assertEquals(1200 - 120, at.get(1)[0], 1e-9, "right-aligned");
        assertClear(200, 1200, List.of(90.0, 120.0), at);
    }

    /** A three-way test on a 1320 px window: the conversion title (about 330 px) and three long variant names. */
    @Test
    void threeLongSeriesWrapUnderTheTitleInsteadOfCoveringIt() {
        List<Double> widths = List.of(280.0, 290.0, 300.0);
        double titleRight = 98 + 330;
        double right = 1320 - 24 - 10;
        List<double[]> at = TimelineView.legendLayout(titleRight, right, widths);
        assertClear(titleRight, right, widths, at);
        assertTrue(at.stream().anyMatch(p -> p[1] == 1), "some entries wrapped to the next line");
    }

    @Test
    void aNarrowPanelPutsEveryEntryUnderTheTitle() {
        List<Double> widths = List.of(150.0, 150.0);
        List<double[]> at = TimelineView.legendLayout(400, 450, widths);
        assertClear(400, 450, widths, at);
        assertTrue(at.stream().allMatch(p -> p[1] >= 1), "nothing fits beside the title");
    }

    /**
     * Every value a panel can draw, its scale's top included (a conversion line at its highest, the worst PoP, the
     * objective's line), lies below the band its title and legend take, however short the panel and however many
     * lines the legend wraps to.
     */
    @Test
    void noValueIsDrawnInTheBandOfThePanelsTitleAndLegend() {
        for (double height = 60; height <= 400; height += 5) {
            for (int lines = 1; lines <= 3; lines++) {
                double band = TimelineView.bandHeight(lines);
                if (band >= height) {
                    continue;
                }
                double top = 34;
                for (double v : new double[]{0, 3, 8.5, 10}) {
                    double y = TimelineView.valueY(v, 0, 10, top, height, band);
                    assertTrue(y >= top + band - 1e-9, v + " of 0-10 drawn " + (y - top) + " px into a " + height
                            + " px panel whose title and " + lines + "-line legend take " + band + " px");
                    assertTrue(y <= top + height + 1e-9, "inside the panel");
                }
                assertEquals(top + height, TimelineView.valueY(0, 0, 10, top, height, band), 1e-9, "the scale's foot at the bottom");
                assertEquals(top + band, TimelineView.valueY(10, 0, 10, top, height, band), 1e-9, "its top at the band's foot");
            }
        }
        assertEquals(TimelineView.LEGEND_BAND + TimelineView.LEGEND_LINE, TimelineView.bandHeight(2), 1e-9);
    }

    @Test
    void theLatencyScaleHasRoomAboveTheObjectiveAndTheWorstPop() {
        assertEquals(187.5, TimelineView.latencyCeiling(150, 100), 1e-9);
        assertEquals(440, TimelineView.latencyCeiling(150, 400), 1e-9);
    }

    /** A scale marked at its foot, middle and top reaches the value it must show with a round middle. */
    @Test
    void aScalesTopHasARoundMiddle() {
        assertEquals(200, TimelineView.roundTop(187.5), 1e-9, "the 150 ms objective and a quarter");
        assertEquals(10, TimelineView.roundTop(5), 1e-9);
        assertEquals(10, TimelineView.roundTop(9.6), 1e-9);
        assertEquals(20, TimelineView.roundTop(15), 1e-9);
        assertEquals(400, TimelineView.roundTop(330), 1e-9);
        assertEquals(1000, TimelineView.roundTop(401), 1e-9);
        assertEquals(4, TimelineView.roundTop(4), 1e-9);
        assertEquals(0.4, TimelineView.roundTop(0.3), 1e-12);
    }

    /** A mark says the value it marks: 7.5, never "8". */
    @Test
    void aScaleLabelIsTheValueItMarks() {
        assertEquals("7.5", TimelineView.scaleLabel(7.5, ""));
        assertEquals("100 ms", TimelineView.scaleLabel(100, "ms"));
        assertEquals("0 ms", TimelineView.scaleLabel(0, "ms"));
        assertEquals("0.2", TimelineView.scaleLabel(0.2, ""));
    }
}
