package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.NumberTileSkin;
import javafx.scene.control.Label;
import javafx.scene.text.Text;

/**
 * TilesFX's number skin, drawing once per {@link Redraws#batch} of changes, its small texts at
 * {@link TileTexts#MIN_PX} at least: the footer wraps onto a second line where it is too long for one,
 * and the description keeps above it.
 */
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
        Redraws.requestResize(redraws, () -> {
            super.resize();
            legible();
        });
    }

    @Override
    protected void resizeStaticText() {
        super.resizeStaticText();
        legible();
    }

    private void legible() {
        Text title = (Text) TileTexts.read(NumberTileSkin.class, this, "titleText");
        Label description = (Label) TileTexts.read(NumberTileSkin.class, this, "description");
        if (title == null || description == null) {
            return;
        }
        TileTexts.title(title, width - size * 0.1);
        TileTexts.atLeastMin((Text) TileTexts.read(NumberTileSkin.class, this, "upperUnitText"));
        TileTexts.atLeastMin((Text) TileTexts.read(NumberTileSkin.class, this, "unitText"));
        Text footer = (Text) TileTexts.read(NumberTileSkin.class, this, "text");
        double top = footer.isVisible() && !footer.getText().isEmpty()
                ? TileTexts.footer(footer, width, size, height - size * 0.05) : height - size * 0.05;
        if (description.getFont().getSize() < TileTexts.MIN_PX) {
            description.setFont(eu.hansolo.tilesfx.fonts.Fonts.latoRegular(TileTexts.MIN_PX));
        }
        double room = Math.max(0, top - description.getLayoutY() - 2);
        description.setPrefHeight(Math.min(description.getPrefHeight(), room));
        description.setMaxHeight(room);
    }

    @Override
    public Redraws redraws() {
        return redraws;
    }
}
