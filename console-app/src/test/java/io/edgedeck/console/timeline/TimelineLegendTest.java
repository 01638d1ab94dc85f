package io.edgedeck.console.timeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legend of a Timeline panel never covers the panel's title, however many series it names. */
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
}
