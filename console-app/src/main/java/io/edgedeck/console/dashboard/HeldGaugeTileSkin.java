package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.GaugeTileSkin;

/** TilesFX's gauge skin, drawing once per {@link Redraws#batch} of changes. */
final class HeldGaugeTileSkin extends GaugeTileSkin implements Redraws.Held {
    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;

    HeldGaugeTileSkin(Tile tile) {
        super(tile);
        redraws = new Redraws(super::redraw);
    }

    @Override
    protected void redraw() {
        Redraws.request(redraws, super::redraw);
    }

    @Override
    public Redraws redraws() {
        return redraws;
    }
}
