package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import javafx.scene.control.Label;

import java.util.List;
import java.util.Locale;

/**
 * The decision budget tile's face: the share over 500 ms, then one row per stage with its p50, p95
 * and p99 in ms, the stage and its p95 in the stage's colour. A show tile like the others; its
 * tooltip and colour are kept by {@link ShowTilesView}. FX thread.
 */
final class DecisionTile {
    private static final String[] HEADER = {"ms", "p50", "p95", "p99"};
    private static final int STAGES = 4;

    private final DecisionTileViewModel model;
    private final Palette palette;
    private final Tile tile;
    private final Label headline = new Label();
    private final Label footnote = new Label();
    private final Label[][] cells = new Label[STAGES + 1][HEADER.length];

    DecisionTile(DecisionTileViewModel model, Palette palette) {
        this.model = model;
        this.palette = palette;
        tile = TableTiles.create("Decision budget", "show-tile-decisions", headline, HEADER, cells, 2, footnote);
    }

    Tile node() {
        return tile;
    }

    /** Shows the view model's numbers, coloured from the palette. */
    void update(String staleText) {
        TableTiles.say(headline, staleText.isEmpty() ? model.headlinesProperty().get() : List.of(staleText));
        TableTiles.fill(headline, palette.status(model.statusProperty().get()));
        List<DecisionTileViewModel.StageRow> rows = model.rowsProperty().get();
        for (int c = 0; c < HEADER.length; c++) {
            TableTiles.fill(cells[0][c], palette.color(Palette.Token.TEXT_MUTED));
        }
        for (int r = 1; r <= STAGES; r++) {
            DecisionTileViewModel.StageRow row = r <= rows.size() ? rows.get(r - 1) : null;
            String[] text = row == null ? new String[]{"", "", "", ""} : new String[]{
                    row.stage() + " ≤" + Math.round(row.budgetMs()), ms(row.p50Ms()), ms(row.p95Ms()), ms(row.p99Ms())};
            Status st = row == null ? Status.NEUTRAL : model.statusProperty().get() == Status.STALE ? Status.STALE : row.status();
            for (int c = 0; c < HEADER.length; c++) {
                cells[r][c].setText(text[c]);
                TableTiles.fill(cells[r][c], c == 0 || c == 2 ? palette.status(st) : palette.color(Palette.Token.TEXT));
            }
        }
        TableTiles.say(footnote, model.footnotesProperty().get());
        TableTiles.fill(footnote, palette.color(Palette.Token.TEXT_MUTED));
    }

    static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
