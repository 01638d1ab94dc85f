package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.console.common.FrameTicker;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.themes.Theme;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a narrow window the show's clock takes a line of its own under the banner, and comes back only with room to spare:
 * a window resized to and fro across the width it left at, or a clock that grows " · STALE" and loses it again, does
 * not move the tabs below up and down a line each time. The console does not tick here: its clock says one thing
 * until the test changes it.
 */
@ExtendWith(ApplicationExtension.class)
class BannerClockLineUiTest {
    private EdgeConnection connection;
    private Console console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        connection = Connections.rehearse("steady-show", 7L, 1);
        console = Console.create(connection, Theme.DARK);
        stage.setScene(console.scene());
        stage.setWidth(1000);
        stage.setHeight(700);
        stage.show();
    }

    @AfterEach
    void close() {
        TestConsoles.close(console, connection);
    }

    /** Whether the clock is on a line of its own, once the window is {@code width} px wide and laid out. */
    private boolean clockBelowAt(FxRobot robot, int width) {
        robot.interact(() -> stage.setWidth(width));
        return FxLookup.onFx(() -> {
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            return clockBelow();
        });
    }

    /** Whether the clock is on the line under the banner now. FX thread. */
    private boolean clockBelow() {
        Label clock = (Label) console.scene().lookup("#show-clock");
        return clock.getParent().getStyleClass().contains(StyleClasses.MODE_BANNER_BELOW);
    }

    private MetricsFrame firstFrame() throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> connection.latestFrame().isPresent());
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        // One tick: the clock says the show's name, time and state, and stays so (nothing ticks again).
        WaitForAsyncUtils.asyncFx(() -> console.dashboard().viewModel().onTick(frame, true, 0)).get(5, TimeUnit.SECONDS);
        return frame;
    }

    @Test
    void resizedToAndFroAcrossTheWidthItLeftAtTheClockStaysOnItsOwnLine(FxRobot robot) throws Exception {
        firstFrame();
        assertFalse(clockBelowAt(robot, 1000), "the clock on the banner's line at 1000 px");
        // Narrower, 2 px at a time, until the clock leaves the banner's line.
        int left = 1000;
        while (!clockBelowAt(robot, left) && left > 300) {
            left -= 2;
        }
        assertTrue(left > 300, "the clock never took a line of its own");
        String clockText = FxLookup.labelText(robot, "#show-clock");
        // To and fro across that width: it stays on its own line; a clock that moved back would move the tabs each time.
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int width : new int[] {left + 2, left + 8, left, left + 16, left - 2}) {
                if (!clockBelowAt(robot, width)) {
                    moved.add(width + " px");
                }
            }
        }
        assertEquals(List.of(), moved, "the clock, which left the banner's line at " + left + " px (" + clockText
                + "), came back at");
        // It comes back once the line has room for it and " · STALE" besides; and leaves again at the same width.
        int back = left;
        while (clockBelowAt(robot, back) && back < 1000) {
            back += 2;
        }
        assertTrue(back - left >= 30, "the clock came back at " + back + " px, having left at " + left
                + " px: no room kept for \" · STALE\"");
        assertTrue(back < 1000, "the clock never came back to the banner's line");
        assertFalse(clockBelowAt(robot, back - 2), "between the two widths the clock stays where it was: on the banner's line");
        assertTrue(clockBelowAt(robot, left), "and leaves it again where it did");
    }

    /**
     * A clock that no longer fits its line moves in the layout pass of the change itself, not a pulse later: the
     * frame drawn with " · STALE" has the clock on its own line. Losing STALE, it stays there.
     */
    @Test
    void aClockThatGrowsPastItsLineMovesInTheSameLayoutPassAndStaysWhenItShrinks(FxRobot robot) throws Exception {
        MetricsFrame frame = firstFrame();
        int left = 1000;
        while (!clockBelowAt(robot, left) && left > 300) {
            left -= 2;
        }
        // The widest the clock still fits at, coming from wider: on the banner's line.
        int fits = left + 2;
        int back = left;
        while (clockBelowAt(robot, back) && back < 1000) {
            back += 2;
        }
        assertFalse(clockBelowAt(robot, fits), "at " + fits + " px, coming from " + back + " px, the clock is on the banner's line");
        boolean[] below = new boolean[2];
        String[] said = new String[1];
        robot.interact(() -> {
            console.dashboard().viewModel().onTick(frame, false, FrameTicker.STALE_AFTER_MILLIS + 1000);
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            said[0] = ((Label) console.scene().lookup("#show-clock")).getText();
            below[0] = clockBelow();
            console.dashboard().viewModel().onTick(frame, true, 0);
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            below[1] = clockBelow();
        });
        assertTrue(said[0].endsWith(" · STALE"), said[0]);
        assertTrue(below[0], "the clock grown to \"" + said[0] + "\" moved to its own line in the layout pass of the change");
        assertTrue(below[1], "and, shorter again, stays there at " + fits + " px: it does not flap");
    }
}
