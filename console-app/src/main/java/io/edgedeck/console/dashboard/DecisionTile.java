package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

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
    private final Label[][] cells = new Label[STAGES + 1][HEADER.length];

    DecisionTile(DecisionTileViewModel model, Palette palette) {
        this.model = model;
        this.palette = palette;
        GridPane grid = new GridPane();
        grid.setHgap(6);
        for (int c = 0; c < HEADER.length; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setHalignment(c == 0 ? HPos.LEFT : HPos.RIGHT);
            cc.setHgrow(c == 0 ? Priority.ALWAYS : Priority.NEVER);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r <= STAGES; r++) {
            for (int c = 0; c < HEADER.length; c++) {
                Label l = new Label(r == 0 ? HEADER[c] : "");
                l.setFont(Font.font(null, r > 0 && c == 2 ? FontWeight.BOLD : FontWeight.NORMAL, 12));
                cells[r][c] = l;
                grid.add(l, c, r);
            }
        }
        headline.setFont(Font.font(null, FontWeight.BOLD, 13));
        headline.setWrapText(true);
        VBox face = new VBox(4, headline, grid);
        tile = TileBuilder.create()
                .skinType(Tile.SkinType.CUSTOM)
                .prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                .title("Decision budget")
                .graphic(face)
                .animated(false)
                .textVisible(true)
                .build();
        tile.setId("show-tile-decisions");
    }

    Tile node() {
        return tile;
    }

    /** Shows the view model's numbers, coloured from the palette. */
    void update(String staleText) {
        headline.setText(staleText.isEmpty() ? model.headlineProperty().get() : staleText);
        headline.setTextFill(palette.status(model.statusProperty().get()));
        List<DecisionTileViewModel.StageRow> rows = model.rowsProperty().get();
        for (int c = 0; c < HEADER.length; c++) {
            cells[0][c].setTextFill(palette.color(Palette.Token.TEXT_MUTED));
        }
        for (int r = 1; r <= STAGES; r++) {
            DecisionTileViewModel.StageRow row = r <= rows.size() ? rows.get(r - 1) : null;
            String[] text = row == null ? new String[]{"", "", "", ""} : new String[]{
                    row.stage() + " ≤" + Math.round(row.budgetMs()), ms(row.p50Ms()), ms(row.p95Ms()), ms(row.p99Ms())};
            Status st = row == null ? Status.NEUTRAL : model.statusProperty().get() == Status.STALE ? Status.STALE : row.status();
            for (int c = 0; c < HEADER.length; c++) {
                cells[r][c].setText(text[c]);
                cells[r][c].setTextFill(c == 0 || c == 2 ? palette.status(st) : palette.color(Palette.Token.TEXT));
            }
        }
        tile.setText(model.detailProperty().get());
    }

    static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
