package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import javafx.util.Subscription;

/**
 * The encoder tile on the wall: OBS's dropped frames as the number, what decided its colour below
 * it, encoder and render lag, render time against the frame time, bitrate and CPU as its text.
 * In the show tiles' grid ({@link ShowTilesView#placeLast}), sized and aligned as they are, once a frame
 * carries encoder health; until then it takes no room.
 */
public final class EncoderTile {
    private final EncoderTileViewModel model;
    private final Palette palette;
    private final Tile tile;
    private final Tooltip tooltip = new Tooltip();
    private final Subscription subscriptions;
    private Status coloured;

    public EncoderTile(EncoderTileViewModel model, Palette palette) {
        this.model = model;
        this.palette = palette;
        tile = TileBuilder.create()
                .skinType(Tile.SkinType.NUMBER)
                .prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                .title("Encoder (OBS)")
                .unit("% dropped")
                .decimals(1)
                .minValue(0)
                // the number may be a bitrate in kb/s, not only a share
                .maxValue(10_000_000)
                .animated(false)
                .textVisible(true)
                .textSize(Tile.TextSize.BIGGER)
                .build();
        tile.setId("encoder-tile");
        // NaN (OBS unreachable: nothing measured) shows as a dash, as the other tiles' "no number" does.
        tile.setCustomDecimalFormat(ShowTilesView.numberOrDash(1));
        tile.setCustomDecimalFormatEnabled(true);
        // Drawn once for all it was told before the window first shows (Redraws).
        tile.setSkin(new HeldNumberTileSkin(tile));
        tooltip.setShowDelay(Duration.millis(300));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(460);
        Tooltip.install(tile, tooltip);
        subscriptions = model.whyProperty().subscribe(this::update)
                .and(model.detailProperty().subscribe(this::update))
                .and(model.figureProperty().subscribe(this::update))
                .and(model.unitProperty().subscribe(this::update))
                .and(model.statusProperty().subscribe(this::update));
    }

    private void update() {
        String unit = model.unitProperty().get();
        if (!unit.equals(tile.getUnit())) {
            tile.setUnit(unit);
            // a bitrate reads in whole kb/s; shares and render time to a tenth
            tile.setCustomDecimalFormat(ShowTilesView.numberOrDash(unit.equals("kb/s") ? 0 : 1));
        }
        tile.setValue(model.figureProperty().get());
        tile.setDescription(model.headlineProperty().get() + " · " + model.whyProperty().get());
        tile.setText(model.detailProperty().get());
        tooltip.setText("Encoder (OBS): " + model.headlineProperty().get() + "\n" + model.whyProperty().get() + "\n"
                + model.detailProperty().get() + "\nOBS's thresholds: over 1% of frames dropped, skipped or missed warns, over 5% is bad;"
                + " render time over 75% of a frame's time warns, over it is bad; a bitrate under half of the stream's usual"
                + " for 10 s warns, under a quarter is bad.");
        Status now = model.statusProperty().get();
        if (now != coloured) {
            TileColors.apply(tile, palette, now);
            coloured = now;
        }
    }

    public Tile node() {
        return tile;
    }

    /** Re-reads the palette after a theme switch. FX thread. */
    public void refreshColors() {
        coloured = null;
        update();
    }

    /** Stops following the view model. FX thread. */
    public void dispose() {
        subscriptions.unsubscribe();
    }
}
