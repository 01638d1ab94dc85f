package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import eu.hansolo.tilesfx.fonts.Fonts;
import javafx.geometry.HPos;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;

import java.util.List;

/** A show tile whose face is a bold headline over a small table (the decision budget, the cost per PoP). FX thread. */
final class TableTiles {
    private TableTiles() {
    }

    /**
     * A table row's height, 1.05 of its text's size: Lato's line is 1.2 of it, with room above the capitals for
     * accents the figures and stage names do not have. The tighter rows leave the decision budget's face room for
     * its count of decisions under the table, its texts at {@link TileTexts#MIN_PX}.
     */
    static final double ROW_PX = Math.ceil(TileTexts.MIN_PX * 1.05);

    /** A face label's property: its text in fewer and fewer words, longest first ({@link #say}). */
    private static final String WORDINGS = "edgedeck.tableTile.wordings";

    /**
     * Gives a face's headline or footnote its text in fewer and fewer words, longest first: it shows the
     * first that fits the face's width on one line (the last, wrapped, where none does), so a narrow tile
     * says the same in fewer words rather than taking a second line the table's rows need.
     */
    static void say(Label label, List<String> wordings) {
        label.getProperties().put(WORDINGS, List.copyOf(wordings));
        double width = label.getParent() instanceof Region face && face.getWidth() > 0 ? face.getWidth() : Double.MAX_VALUE;
        fit(label, width, new Text());
    }

    /** Sets {@code label} to the first of its wordings that fits {@code width} on one line; only a change is set. */
    private static void fit(Label label, double width, Text measure) {
        if (!(label.getProperties().get(WORDINGS) instanceof List<?> wordings) || wordings.isEmpty()) {
            return;
        }
        measure.setFont(label.getFont());
        double room = width - label.snappedLeftInset() - label.snappedRightInset();
        String chosen = (String) wordings.getLast();
        for (Object w : wordings) {
            measure.setText((String) w);
            if (measure.getLayoutBounds().getWidth() <= room) {
                chosen = (String) w;
                break;
            }
        }
        if (!chosen.equals(label.getText())) {
            label.setText(chosen);
        }
    }

    /**
     * Colours a face's label. Set inline, not with {@code setTextFill}: the component sheet's {@code .label} rule
     * colours every label, and a stylesheet outranks a colour set in code at the label's next CSS pass (a theme
     * switch among others), which left a headline in the text colour instead of its
     * state's. Only a change is set, so an unchanged colour costs the label no CSS pass.
     */
    static void fill(Label label, javafx.scene.paint.Color color) {
        String style = String.format(java.util.Locale.ROOT, "-fx-text-fill: rgba(%d,%d,%d,%.3f);", Math.round(color.getRed() * 255),
                Math.round(color.getGreen() * 255), Math.round(color.getBlue() * 255), color.getOpacity());
        if (!style.equals(label.getStyle())) {
            label.setStyle(style);
        }
    }

    /** TilesFX's custom skin with its title at {@link TileTexts#MIN_PX} at least (the stock skin sets it at 12 px). */
    private static final class TitledSkin extends eu.hansolo.tilesfx.skins.CustomTileSkin {
        TitledSkin(Tile tile) {
            super(tile);
        }

        @Override
        protected void resizeStaticText() {
            super.resizeStaticText();
            javafx.scene.text.Text title = (javafx.scene.text.Text) TileTexts.read(eu.hansolo.tilesfx.skins.CustomTileSkin.class,
                    this, "titleText");
            TileTexts.title(title, width - size * 0.1);
        }
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
                // Lato, the tiles' face: narrower than the system font, so a narrow tile's table keeps its numbers whole.
                l.setFont(r > 0 && c == boldColumn ? Fonts.latoBold(TileTexts.MIN_PX) : Fonts.latoRegular(TileTexts.MIN_PX));
                l.setMinHeight(ROW_PX);
                l.setPrefHeight(ROW_PX);
                l.setMaxHeight(ROW_PX);
                cells[r][c] = l;
                grid.add(l, c, r);
            }
        }
        headline.setFont(Fonts.latoBold(TileTexts.MIN_PX));
        headline.setWrapText(true);
        // a narrow tile (the wall of 24) wraps the headline onto a second line instead of cutting it
        // to "p99 ...", which hid whether the budget was kept
        headline.setMinHeight(Region.USE_PREF_SIZE);
        Text measure = new Text();
        VBox face = new VBox(2, headline, grid) {
            @Override
            protected void layoutChildren() {
                if (getWidth() > 0) {
                    fit(headline, getWidth(), measure);
                    if (footnote != null) {
                        fit(footnote, getWidth(), measure);
                    }
                }
                if (footnote != null && getHeight() > 0) {
                    // The footnote only where the face has room for it under the table (a headline that takes two
                    // lines even in its fewest words): the tooltip keeps it.
                    double without = prefHeight(getWidth()) - (footnote.isVisible() ? footnote.prefHeight(getWidth()) + getSpacing() : 0);
                    boolean fits = without + footnote.prefHeight(getWidth()) + getSpacing() <= getHeight();
                    if (fits != footnote.isVisible()) {
                        footnote.setVisible(fits);
                    }
                }
                super.layoutChildren();
            }
        };
        // Sized to the tile, never taller: a face that does not fit loses its footnote, not its top.
        face.setMinHeight(0);
        if (footnote != null) {
            footnote.managedProperty().bind(footnote.visibleProperty());
            footnote.setFont(Fonts.latoRegular(TileTexts.MIN_PX));
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
        tile.setSkin(new TitledSkin(tile));
        return tile;
    }
}
