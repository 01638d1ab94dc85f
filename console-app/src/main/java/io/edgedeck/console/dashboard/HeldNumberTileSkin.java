package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.NumberTileSkin;

/** TilesFX's number skin, drawing once per {@link Redraws#batch} of changes. */
final class HeldNumberTileSkin extends NumberTileSkin implements Redraws.Held {
    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;

    HeldNumberTileSkin(Tile tile) {
        super(tile);
        redraws = new Redraws(super::redraw, super::resize);
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
