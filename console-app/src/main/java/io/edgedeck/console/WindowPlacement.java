package io.edgedeck.console;

import javafx.geometry.Rectangle2D;

import java.util.List;

/**
 * Where the main window opens: its remembered size and place, kept to a screen this machine has now.
 * A window remembered on a monitor since unplugged, or a settings.json edited by hand to a size no
 * screen has, would open where nobody sees it, or taller than the screen with its status bar out of
 * reach.
 *
 * @param x null to let the window be centred on the main screen
 */
record WindowPlacement(double width, double height, Double x, Double y) {

    /**
     * The remembered bounds fitted to {@code screens} (their visual bounds, the main one first): no
     * larger than the screen the window is on, and placed only when its top left corner is on a screen.
     */
    static WindowPlacement fitted(double width, double height, Double x, Double y, List<Rectangle2D> screens) {
        if (screens.isEmpty()) {
            return new WindowPlacement(width, height, x, y);
        }
        Rectangle2D on = null;
        if (x != null && y != null) {
            // A little inside the corner: a maximised window's corner sits a pixel beyond its screen's edge.
            on = screens.stream().filter(s -> s.contains(x + 8, y + 8)).findFirst().orElse(null);
        }
        Rectangle2D screen = on != null ? on : screens.getFirst();
        return new WindowPlacement(Double.isFinite(width) ? Math.min(width, screen.getWidth()) : screen.getWidth(),
                Double.isFinite(height) ? Math.min(height, screen.getHeight()) : screen.getHeight(),
                on != null ? x : null, on != null ? y : null);
    }
}
