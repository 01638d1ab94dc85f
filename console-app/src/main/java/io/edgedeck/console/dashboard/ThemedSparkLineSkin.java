package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.SparkLineTileSkin;

/**
 * TilesFX's sparkline skin reads its scale's colours only when it is made, so a theme switch makes
 * a new one; this one sizes itself at once to the tile it replaces a skin on (the stock skin waits
 * for the tile's size to change, and until then draws its dashed lines with dashes of length zero,
 * which the renderer refuses). It draws once per {@link Redraws#batch} of changes.
 */
final class ThemedSparkLineSkin extends SparkLineTileSkin implements Redraws.Held {
    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;

    ThemedSparkLineSkin(Tile tile) {
        super(tile);
        redraws = new Redraws(super::redraw, super::resize);
        if (tile.getWidth() > 0 && tile.getHeight() > 0) {
            resize();
        }
    }

    @Override
    protected void redraw() {
        Redraws.request(redraws, super::redraw);
    }

    @Override
    protected void resize() {
        Redraws.requestResize(redraws, super::resize);
    }

    @Override
    public Redraws redraws() {
        return redraws;
    }
}
