package io.edgedeck.console.dashboard;

import io.edgedeck.console.common.PopIds;
import eu.hansolo.tilesfx.Tile;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import javafx.scene.control.Label;

import java.util.List;
import java.util.Locale;

/**
 * The cost tile's face: what was spent and converted, then the PoPs with the most and the fewest
 * conversions per unit of cost (every PoP in the tooltip, and what the last 50 ms of p95 bought: a
 * sentence too long for the face at a readable size). A show tile like the others; its tooltip and
 * colour are kept by {@link ShowTilesView}. FX thread.
 */
final class CostTile {
    private static final String[] HEADER = {"PoP", "cost", "conv", "conv/unit"};
    /** Rows the face has room for: the best two and the worst two when there are more PoPs. */
    static final int ROWS = 4;

    private final CostTileViewModel model;
    private final Palette palette;
    private final Tile tile;
    private final Label headline = new Label();
    private final Label[][] cells = new Label[ROWS + 1][HEADER.length];

    CostTile(CostTileViewModel model, Palette palette) {
        this.model = model;
        this.palette = palette;
        tile = TableTiles.create("Conversions per unit of cost", "show-tile-cost", headline, HEADER, cells, 3, null);
    }

    Tile node() {
        return tile;
    }

    /** The rows the face shows: all when they fit, else the best two and the worst two. */
    static List<CostTileViewModel.PopRow> shown(List<CostTileViewModel.PopRow> rows) {
        if (rows.size() <= ROWS) {
            return rows;
        }
        return List.of(rows.get(0), rows.get(1), rows.get(rows.size() - 2), rows.get(rows.size() - 1));
    }

    /** Shows the view model's numbers, coloured from the palette. */
    void update(String staleText) {
        Status status = model.statusProperty().get();
        headline.setText(staleText.isEmpty() ? model.headlineProperty().get() : staleText);
        TableTiles.fill(headline, palette.status(status));
        List<CostTileViewModel.PopRow> rows = shown(model.rowsProperty().get());
        for (int c = 0; c < HEADER.length; c++) {
            TableTiles.fill(cells[0][c], palette.color(Palette.Token.TEXT_MUTED));
        }
        for (int r = 1; r <= ROWS; r++) {
            CostTileViewModel.PopRow row = r <= rows.size() ? rows.get(r - 1) : null;
            String[] text = row == null ? new String[]{"", "", "", ""} : new String[]{PopIds.shown(row.pop()),
                    String.format(Locale.ROOT, "%,.2f", row.cost()), String.format(Locale.ROOT, "%,d", row.conversions()),
                    perUnit(row.conversionsPerCost())};
            for (int c = 0; c < HEADER.length; c++) {
                cells[r][c].setText(text[c]);
                TableTiles.fill(cells[r][c], status == Status.STALE ? palette.status(Status.STALE) : palette.color(Palette.Token.TEXT));
            }
        }
    }

    static String perUnit(Double v) {
        return v == null ? "-" : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
