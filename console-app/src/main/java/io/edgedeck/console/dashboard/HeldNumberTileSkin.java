package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.skins.NumberTileSkin;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.text.Text;

import java.util.List;

/**
 * TilesFX's number skin, drawing once per {@link Redraws#batch} of changes, its small texts at
 * {@link TileTexts#MIN_PX} at least: the footer wraps onto a second line where it is too long for one,
 * and the description keeps above it. A description too long for the room left shows the tile's
 * first {@link #SHORT_DESCRIPTION} that fits instead, where it has them, rather than end in an ellipsis.
 */
final class HeldNumberTileSkin extends NumberTileSkin implements Redraws.Held {
    /**
     * The key, in a tile's properties, of the shorter descriptions (a {@code List<String>}, longest first) it
     * shows where its own does not fit: the first that fits, else the shortest.
     */
    static final String SHORT_DESCRIPTION = "edgedeck.shortDescription";

    /** Null while the stock skin's constructor draws the tile the first time. */
    private final Redraws redraws;

    HeldNumberTileSkin(Tile tile) {
        super(tile);
        redraws = new Redraws(this::draw, super::resize);
    }

    @Override
    protected void redraw() {
        Redraws.request(redraws, this::draw);
    }

    private void draw() {
        super.redraw();
        keepDescriptionColour();
        fitDescription();
    }

    /**
     * The stock skin colours its description with {@code setTextFill}, which the theme sheet's {@code .label} rule
     * undoes at the label's next CSS pass (a rolled-back variant's "rolled back at …" then read in the text colour,
     * not red): set inline, it keeps the tile's description colour.
     */
    private void keepDescriptionColour() {
        Label description = (Label) TileTexts.read(NumberTileSkin.class, this, "description");
        if (description != null && tile.getDescriptionColor() != null) {
            TableTiles.fill(description, tile.getDescriptionColor());
        }
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
        fitDescription();
    }

    /** The tile's description where it fits the room {@link #legible} left it, else its first short one that does. */
    private void fitDescription() {
        Label description = (Label) TileTexts.read(NumberTileSkin.class, this, "description");
        String full = tile.getDescription();
        if (description == null || full == null || !(tile.getProperties().get(SHORT_DESCRIPTION) instanceof List<?> shorter)) {
            return;
        }
        String shown = full;
        for (Object s : shorter) {
            if (fits(description, shown)) {
                break;
            }
            shown = (String) s;
        }
        description.setText(shown);
    }

    /** Whether {@code text} wraps within the label's width to no more than the height it is allowed. */
    private static boolean fits(Label label, String text) {
        double room = label.getMaxHeight();
        if (!(room > 0) || Double.isInfinite(room)) {
            return true;
        }
        Insets pad = label.getInsets();
        Text probe = new Text(text);
        probe.setFont(label.getFont());
        probe.setLineSpacing(label.getLineSpacing());
        probe.setWrappingWidth(Math.max(1, label.getPrefWidth() - pad.getLeft() - pad.getRight()));
        return probe.getLayoutBounds().getHeight() + pad.getTop() + pad.getBottom() <= room + 0.5;
    }

    @Override
    public Redraws redraws() {
        return redraws;
    }
}
