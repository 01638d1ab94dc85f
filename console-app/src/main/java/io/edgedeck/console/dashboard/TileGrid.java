package io.edgedeck.console.dashboard;

import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;

import java.util.Collection;

/**
 * Sizes the tiles of a flow pane to its width: as many columns as fit at the smallest readable
 * width, rows balanced, then the tiles stretch to fill the row. A wall of 6 gets large tiles; 24
 * get small ones; a window made wider gets more columns.
 */
final class TileGrid {
    private TileGrid() {
    }

    static void fit(FlowPane pane, Collection<? extends Region> tiles, double minWidth, double minHeight, double maxHeight) {
        int count = tiles.size();
        double width = pane.getWidth() - pane.snappedLeftInset() - pane.snappedRightInset();
        if (count == 0 || width <= 0) {
            return;
        }
        int columns = (int) Math.max(1, Math.min(count, Math.floor((width + pane.getHgap()) / (minWidth + pane.getHgap()))));
        int rows = (count + columns - 1) / columns;
        columns = (count + rows - 1) / rows;
        double tileWidth = Math.floor((width - pane.getHgap() * (columns - 1)) / columns) - 1;
        double tileHeight = Math.max(minHeight, Math.min(maxHeight, tileWidth * 0.62));
        for (Region t : tiles) {
            t.setPrefSize(tileWidth, tileHeight);
            t.setMinSize(tileWidth, tileHeight);
            t.setMaxSize(tileWidth, tileHeight);
        }
    }
}
