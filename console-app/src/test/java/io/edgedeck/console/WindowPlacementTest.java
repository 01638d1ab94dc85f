package io.edgedeck.console;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A remembered window opens on a screen this machine has, no larger than it. */
class WindowPlacementTest {
    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1440, 876);
    private static final Rectangle2D MONITOR = new Rectangle2D(1440, 0, 2560, 1415);

    @Test
    void aWindowThatFitsOpensWhereItWas() {
        assertEquals(new WindowPlacement(1320, 820, 1500.0, 40.0),
                WindowPlacement.fitted(1320, 820, 1500.0, 40.0, List.of(LAPTOP, MONITOR)));
        assertEquals(new WindowPlacement(1440, 876, -1.0, -1.0), WindowPlacement.fitted(1440, 876, -1.0, -1.0, List.of(LAPTOP)),
                "a maximised window's corner just beyond the screen's edge");
    }

    @Test
    void aWindowOnAMonitorSinceUnpluggedOpensCentredOnTheScreenThereIs() {
        assertEquals(new WindowPlacement(1440, 876, null, null), WindowPlacement.fitted(2400, 1300, 1500.0, 40.0, List.of(LAPTOP)));
    }

    @Test
    void sizesAndPlacesNoScreenHasAreFittedToTheMainScreen() {
        assertEquals(new WindowPlacement(1320, 876, null, null),
                WindowPlacement.fitted(1320, 1e9, 1e300, -1e300, List.of(LAPTOP, MONITOR)));
        assertEquals(new WindowPlacement(1440, 876, null, null),
                WindowPlacement.fitted(Double.POSITIVE_INFINITY, Double.NaN, null, null, List.of(LAPTOP, MONITOR)));
    }
}
