package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import io.edgedeck.themes.Theme;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder tile lines up with the dashboard's other show tiles: the same width and height, its left
 * edge on one of their columns, in every state it can be coloured (its red outline included) and every theme.
 */
class ShowTilesAlignUiTest {
    private static final long NOW = 1_800_000_000_000L;
    /** The show tiles' gap across and down. */
    private static final double GAP = 10;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** A read of OBS one second ago with {@code dropped} of 3600 frames dropped: 0 is ok, 72 (2%) amber, 288 (8%) red. */
    private static EncoderHealth read(long dropped) {
        return EncoderHealth.judge(NOW - 1000, true, false, 6000, 0, dropped, 3600, 0, 3600, 0, 3600, 4.2, 1000.0 / 60, 12, 60, 60);
    }

    @Test
    void theEncoderTileSharesTheOtherTilesColumnsAndSizeInEveryStateAndTheme() throws Exception {
        List<String> problems = WaitForAsyncUtils.asyncFx(() -> {
            List<String> found = new ArrayList<>();
            Palette palette = new Palette();
            DashboardFeature dashboard = new DashboardFeature(new DashboardViewModel(), palette, new SimpleBooleanProperty(false));
            StackPane root = new StackPane(palette.probes(), dashboard.view());
            Scene scene = new Scene(root, 1320, 700);
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            for (Theme theme : Theme.values()) {
                // As a theme switch does: the sheets, then the tiles recoloured from the new palette.
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                record State(long dropped, long millisSinceFrame, Status expected) {
                }
                for (State s : List.of(new State(0, 0, Status.OK), new State(72, 0, Status.WARN), new State(288, 0, Status.BAD),
                        new State(288, 60_000, Status.STALE))) {
                    dashboard.encoderModel().update(read(s.dropped()), s.millisSinceFrame(), NOW);
                    dashboard.refreshColors();
                    for (int i = 0; i < 3; i++) {
                        root.applyCss();
                        root.layout();
                    }
                    String where = theme + " " + s.expected() + ": ";
                    if (dashboard.encoderModel().statusProperty().get() != s.expected()) {
                        found.add(where + "the tile is " + dashboard.encoderModel().statusProperty().get());
                    }
                    Bounds encoder = null;
                    List<Bounds> others = new ArrayList<>();
                    for (Node n : tiles(root)) {
                        Bounds b = n.localToScene(n.getLayoutBounds());
                        if ("encoder-tile".equals(n.getId())) {
                            encoder = b;
                        } else {
                            others.add(b);
                        }
                    }
                    if (encoder == null || others.isEmpty()) {
                        found.add(where + "no encoder tile or no other tile shown");
                        continue;
                    }
                    Bounds first = others.getFirst();
                    Bounds e = encoder;
                    if (Math.abs(e.getWidth() - first.getWidth()) > 0.5 || Math.abs(e.getHeight() - first.getHeight()) > 0.5) {
                        found.add(where + "the encoder tile is " + e.getWidth() + "x" + e.getHeight() + ", the others "
                                + first.getWidth() + "x" + first.getHeight());
                    }
                    // The grid's columns start at the first tile's left edge, a tile and a gap apart; its rows likewise.
                    if (!onGrid(e.getMinX(), first.getMinX(), first.getWidth() + GAP)) {
                        found.add(where + "the encoder tile's left edge at x=" + e.getMinX() + " is on no column of the tiles at "
                                + others.stream().map(Bounds::getMinX).distinct().toList());
                    }
                    if (!onGrid(e.getMinY(), first.getMinY(), first.getHeight() + GAP)) {
                        found.add(where + "the encoder tile's top at y=" + e.getMinY() + " is on no row of the tiles at "
                                + others.stream().map(Bounds::getMinY).distinct().toList());
                    }
                }
            }
            stage.close();
            dashboard.dispose();
            return found;
        }).get(30, TimeUnit.SECONDS);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** {@code at} is {@code start} plus a whole number of {@code steps}, to half a pixel. */
    private static boolean onGrid(double at, double start, double step) {
        double steps = (at - start) / step;
        return steps > -0.01 && Math.abs(at - (start + Math.round(steps) * step)) < 0.5;
    }

    /** The tiles shown in the dashboard's show section, the encoder's among them wherever it is placed. */
    private static List<Node> tiles(Parent root) {
        List<Node> out = new ArrayList<>();
        for (Node n : root.lookupAll("*")) {
            if (n instanceof Tile && n.isVisible() && n.getParent() != null && n.getParent().isVisible()
                    && n.getId() != null && (n.getId().startsWith("show-tile") || n.getId().equals("encoder-tile"))) {
                out.add(n);
            }
        }
        return out;
    }
}
