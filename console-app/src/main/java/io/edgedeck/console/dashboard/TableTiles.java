package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/** A show tile whose face is a bold headline over a small table (the decision budget, the cost per PoP). FX thread. */
final class TableTiles {
    private TableTiles() {
    }

    /**
     * A tile of the show tiles' size with {@code headline} over a table: a header row, then
     * {@code rows} rows whose labels fill {@code cells} ({@code cells[0]} is the header). The first
     * column is left-aligned and takes the spare width, the others right-aligned; {@code boldColumn}
     * is bold below the header. A {@code footnote}, where given, sits under the table in the theme's
     * smallest readable size (the tile's own footer text is drawn at a fraction of the tile's size,
     * about 7 px on a show tile); null leaves the tile's footer text.
     */
    static Tile create(String title, String id, Label headline, String[] header, Label[][] cells, int boldColumn,
                       Label footnote) {
        GridPane grid = new GridPane();
        grid.setHgap(6);
        for (int c = 0; c < header.length; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setHalignment(c == 0 ? HPos.LEFT : HPos.RIGHT);
            cc.setHgrow(c == 0 ? Priority.ALWAYS : Priority.NEVER);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < header.length; c++) {
                Label l = new Label(r == 0 ? header[c] : "");
                l.setFont(Font.font(null, r > 0 && c == boldColumn ? FontWeight.BOLD : FontWeight.NORMAL, 12));
                cells[r][c] = l;
                grid.add(l, c, r);
            }
        }
        headline.setFont(Font.font(null, FontWeight.BOLD, 13));
        headline.setWrapText(true);
        // a narrow tile (the wall of 24) wraps the headline onto a second line instead of cutting it
        // to "p99 ...", which hid whether the budget was kept
        headline.setMinHeight(Region.USE_PREF_SIZE);
        VBox face = new VBox(4, headline, grid);
        if (footnote != null) {
            footnote.setFont(Font.font(null, FontWeight.NORMAL, ThemedSparkLineSkin.MIN_FONT_PX));
            footnote.setWrapText(true);
            footnote.setMinHeight(Region.USE_PREF_SIZE);
            face.getChildren().add(footnote);
        }
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.CUSTOM)
                .prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                .title(title)
                .graphic(face)
                .animated(false)
                .textVisible(true)
                .textSize(Tile.TextSize.BIGGER)
                .build();
        tile.setId(id);
        return tile;
    }
}
