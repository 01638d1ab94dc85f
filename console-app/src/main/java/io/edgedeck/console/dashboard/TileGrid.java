package io.edgedeck.console.dashboard;

import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;

import java.util.Collection;

/**
 * Sizes the tiles of a flow pane so they all fit the room it has, as large as they can be: it
 * tries every number of columns, keeps those whose tiles are at least the smallest readable size,
 * and picks the one whose tiles are largest (measured against a nominal tile). A wall of 6 gets
 * large tiles; 24 get small ones; a wider or taller window gets larger ones. When even the smallest
 * tiles do not fit the height, the wall keeps the smallest height and scrolls.
 */
final class TileGrid {
    /** The tile the sizes are measured against. */
    static final double NOMINAL_WIDTH = 300;
    static final double NOMINAL_HEIGHT = 200;

    private TileGrid() {
    }

    /** The columns and tile size chosen for a wall. */
    record Fit(int columns, int rows, double tileWidth, double tileHeight) {
    }

    /**
     * @param width     the room across, gaps included
     * @param height    the room down, gaps included; 0 or less when unknown (then the height is not a limit)
     * @param minWidth  the narrowest readable tile
     * @param minHeight the lowest readable tile
     * @param maxHeight the highest a tile needs to be
     */
    static Fit choose(int count, double width, double height, double gap, double minWidth, double minHeight, double maxHeight) {
        Fit best = null;
        if (height > 0) {
            double bestScale = -1;
            for (int columns = 1; columns <= count; columns++) {
                int rows = (count + columns - 1) / columns;
                double w = tileWidth(width, gap, columns);
                if (w < minWidth && columns > 1) {
                    break;
                }
                double h = Math.min(Math.floor((height - gap * (rows - 1)) / rows) - 1, cap(w, minHeight, maxHeight));
                if (h < minHeight) {
                    continue;
                }
                double scale = Math.min(w / NOMINAL_WIDTH, h / NOMINAL_HEIGHT);
                // Equal scale: fewer rows leave the tiles wider, and a wall that reads left to right.
                if (scale > bestScale + 1e-9) {
                    best = new Fit(columns, rows, w, h);
                    bestScale = scale;
                }
            }
        }
        if (best == null) {
            // No height to fit (or too little): as many columns as stay readable, rows balanced, and scroll.
            int columns = (int) Math.max(1, Math.min(count, Math.floor((width + gap) / (minWidth + gap))));
            int rows = (count + columns - 1) / columns;
            columns = (count + rows - 1) / rows;
            double w = tileWidth(width, gap, columns);
            best = new Fit(columns, rows, w, height > 0 ? minHeight : cap(w, minHeight, maxHeight));
        }
        return best;
    }

    private static double tileWidth(double width, double gap, int columns) {
        return Math.floor((width - gap * (columns - 1)) / columns) - 1;
    }

    /** No taller than the tallest a tile needs, nor much taller than wide. */
    private static double cap(double width, double minHeight, double maxHeight) {
        return Math.max(minHeight, Math.min(maxHeight, width * 0.9));
    }

    /** Sizes the pane's tiles for the height it may use ({@code height} &lt;= 0: as much as it needs). */
    static Fit fit(FlowPane pane, Collection<? extends Region> tiles, double height, double minWidth, double minHeight,
                   double maxHeight) {
        int count = tiles.size();
        double width = pane.getWidth() - pane.snappedLeftInset() - pane.snappedRightInset();
        // Before the first real layout the pane can be a few pixels wide: leave the tiles as they are until then.
        if (count == 0 || width < minWidth) {
            return null;
        }
        double room = height > 0 ? height - pane.snappedTopInset() - pane.snappedBottomInset() : 0;
        Fit fit = choose(count, width, room, Math.max(pane.getHgap(), pane.getVgap()), minWidth, minHeight, maxHeight);
        for (Region t : tiles) {
            t.setPrefSize(fit.tileWidth(), fit.tileHeight());
            t.setMinSize(fit.tileWidth(), fit.tileHeight());
            t.setMaxSize(fit.tileWidth(), fit.tileHeight());
        }
        return fit;
    }
}
