package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.SparkLineTileSkin;

/**
 * TilesFX's sparkline skin reads its scale's colours only when it is made, so a theme switch makes
 * a new one; this one sizes itself at once to the tile it replaces a skin on (the stock skin waits
 * for the tile's size to change, and until then draws its dashed lines with dashes of length zero,
 * which the renderer refuses).
 */
final class ThemedSparkLineSkin extends SparkLineTileSkin {
    ThemedSparkLineSkin(Tile tile) {
        super(tile);
        if (tile.getWidth() > 0 && tile.getHeight() > 0) {
            resize();
        }
    }
}
