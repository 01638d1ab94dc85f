package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import javafx.scene.paint.Color;

/** Colours a TilesFX tile from the theme's palette and a status: one look for every tile. */
final class TileColors {
    private TileColors() {
    }

    static void apply(Tile tile, Palette palette, Status status) {
        Color statusColor = palette.status(status);
        tile.setBackgroundColor(palette.color(Palette.Token.SURFACE));
        tile.setTitleColor(palette.color(Palette.Token.TEXT));
        tile.setTextColor(palette.color(Palette.Token.TEXT_MUTED));
        tile.setUnitColor(palette.color(Palette.Token.TEXT_MUTED));
        tile.setForegroundColor(palette.color(Palette.Token.TEXT));
        tile.setNeedleColor(palette.color(Palette.Token.TEXT));
        tile.setThresholdColor(palette.color(Palette.Token.BAD));
        // The sparkline's scale: read by its skin when the skin is made (ShowTilesView remakes it on a theme switch).
        tile.setTickLabelColor(palette.color(Palette.Token.TEXT_MUTED));
        tile.setChartGridColor(palette.color(Palette.Token.TEXT_MUTED));
        tile.setDescriptionColor(statusColor);
        tile.setValueColor(statusColor);
        tile.setBarColor(statusColor);
        // A healthy tile is edged in the theme's border colour, thinner than a status edge: where the surface is
        // the background's own colour (high contrast: black on black) the edge is all that shows the tile.
        tile.setBorderColor(status == Status.OK ? palette.color(Palette.Token.BORDER) : statusColor);
        tile.setBorderWidth(status == Status.OK ? 1 : 2);
    }
}
