package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import io.edgedeck.themes.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolled-back variant's tile says so in the theme's alarm red in every theme, through the CSS passes a
 * theme switch makes, and that red reads against the tile at arm's length. A healthy tile is edged, so it shows
 * where its surface is the page's own colour (the high-contrast theme's black).
 */
class RolledBackDescriptionTest {
    private static final String SAID = "rolled back at 05:15 by sentiment-guard";

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void theDescriptionKeepsTheAlarmColourThroughACssPassInEveryTheme() throws Exception {
        for (Theme theme : Theme.values()) {
            Color[] seen = WaitForAsyncUtils.asyncFx(() -> {
                Palette palette = new Palette();
                Tile tile = TileBuilder.create().skinType(Tile.SkinType.NUMBER).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                        .title("offer-banner · treatment").unit("conv").animated(false).textVisible(true).build();
                tile.setSkin(new HeldNumberTileSkin(tile));
                StackPane root = new StackPane(palette.probes(), tile);
                Scene scene = new Scene(root, ShowTilesView.WIDTH, ShowTilesView.HEIGHT);
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                Stage stage = new Stage();
                stage.setScene(scene);
                stage.show();
                root.applyCss();
                TileColors.apply(tile, palette, Status.BAD);
                tile.setValue(3.85);
                tile.setDescription(SAID);
                root.applyCss();
                root.layout();
                // The sheets again, as a theme switch sets them: every label's CSS is applied anew.
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                root.applyCss();
                Label description = root.lookupAll(".label").stream().filter(n -> n instanceof Label l && SAID.equals(l.getText()))
                        .map(Label.class::cast).findFirst().orElseThrow(() -> new AssertionError("no label says " + SAID));
                Color shown = (Color) description.getTextFill();
                Color bad = palette.status(Status.BAD);
                Color surface = palette.color(Palette.Token.SURFACE);
                stage.close();
                return new Color[] {bad, shown, surface};
            }).get(10, TimeUnit.SECONDS);
            assertEquals(seen[0], seen[1], theme + ": the rolled-back description");
            double contrast = contrast(seen[1], seen[2]);
            assertTrue(contrast >= 4.5, theme + ": the alarm red against the tile is " + contrast + ":1, under 4.5:1");
        }
    }

    @Test
    void aHealthyTileIsEdgedInTheThemesBorderColourInEveryTheme() throws Exception {
        for (Theme theme : Theme.values()) {
            Object[] seen = WaitForAsyncUtils.asyncFx(() -> {
                Palette palette = new Palette();
                Tile tile = TileBuilder.create().skinType(Tile.SkinType.NUMBER).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                        .title("Throughput").unit("req/s").animated(false).build();
                StackPane root = new StackPane(palette.probes(), tile);
                Scene scene = new Scene(root, ShowTilesView.WIDTH, ShowTilesView.HEIGHT);
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                root.applyCss();
                TileColors.apply(tile, palette, Status.OK);
                return new Object[] {tile.getBorderColor(), tile.getBorderWidth(), palette.color(Palette.Token.SURFACE),
                        palette.color(Palette.Token.BORDER)};
            }).get(10, TimeUnit.SECONDS);
            Color edge = (Color) seen[0];
            assertEquals(seen[3], edge, theme + ": a healthy tile's edge is the theme's border colour");
            assertTrue((double) seen[1] >= 1 && (double) seen[1] < 2, theme + ": a healthy tile's edge is thinner than a status edge, "
                    + seen[1]);
            double against = contrast(edge, (Color) seen[2]);
            double needed = theme == Theme.CONTRAST ? 3.0 : 1.2;
            assertTrue(against >= needed, theme + ": the edge against the tile's surface is " + against + ":1, under " + needed + ":1");
        }
    }

    /** WCAG's contrast ratio of two opaque colours. */
    private static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
