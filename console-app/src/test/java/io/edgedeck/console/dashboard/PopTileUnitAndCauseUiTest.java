package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.common.StyleClasses;
import io.edgedeck.themes.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.edgedeck.console.dashboard.DashboardViewModelTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PoP tile read across a room: every tile of a wall says its p95's unit, whatever the width of its numbers, its p95
 * in the same size as its neighbours'; and a tile red for a cause other than its p95 says the cause in words.
 */
class PopTileUnitAndCauseUiTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    private static PopMetrics pop(String id, PopHealth health, double p50, double p95, double p99, double jitterMs, List<String> faults) {
        return new PopMetrics(id, "apac", health, new LatencyWindow(10, 500, p50, p95, p99, p99 * 1.2),
                LatencyWindow.empty(60), jitterMs, 0.003, 50, 1000, 10, 0, 0, 0, faults);
    }

    /** What each tile shows once laid out at {@code w} × {@code h}: its health, its unit (or "" where hidden), its p95's font size. */
    private static List<String[]> laidOut(double w, double h, PopMetrics... pops) throws Exception {
        DashboardViewModel vm = new DashboardViewModel();
        vm.onTick(frame(4, ShowState.RUNNING, pops), true, 0);
        return WaitForAsyncUtils.asyncFx(() -> {
            Pane root = new Pane();
            List<PopTile> tiles = new ArrayList<>();
            for (PopMetrics p : pops) {
                PopTile t = new PopTile(vm.tile(p.id()));
                tiles.add(t);
                root.getChildren().add(t);
            }
            Scene scene = new Scene(root, w * pops.length, h);
            scene.getStylesheets().setAll(Theme.DARK.tokenSheetUrl(), Theme.componentSheetUrl());
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            for (int i = 0; i < tiles.size(); i++) {
                tiles.get(i).resizeRelocate(i * w, 0, w, h);
            }
            root.applyCss();
            root.layout();
            root.layout();
            List<String[]> shown = new ArrayList<>();
            for (PopTile t : tiles) {
                Label health = (Label) t.lookup("." + StyleClasses.POP_TILE_HEALTH);
                Label unit = (Label) t.lookup("." + StyleClasses.POP_TILE_UNIT);
                Label value = (Label) t.lookup("." + StyleClasses.POP_TILE_VALUE);
                shown.add(new String[]{health.getText(), unit.isVisible() ? unit.getText() : "", String.valueOf(value.getFont().getSize())});
            }
            stage.hide();
            return shown;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyTileOfAShortWallKeepsItsUnit() throws Exception {
        // A wall of 24 at 1600 px: tiles about 242 × 136, the detail beside the p95. A two-digit jitter, a
        // three-digit p95 and p99 make the detail and the number wide.
        List<String[]> shown = laidOut(242, 136,
                pop("fra", PopHealth.UP, 17, 27, 40, 5.6, List.of()),
                pop("nrt", PopHealth.UP, 38, 51, 92, 10.8, List.of()),
                pop("gru", PopHealth.DEGRADED, 190, 202, 216, 6.1, List.of("latency")),
                pop("bom", PopHealth.DEGRADED, 43, 113, 148, 26.3, List.of("jitter")));
        for (String[] tile : shown) {
            assertEquals("ms p95", tile[1].replace('\n', ' '), "every tile says its unit: " + String.join(" | ", tile));
            assertEquals(shown.getFirst()[2], tile[2], "the p95 in the same size as its neighbours': " + String.join(" | ", tile));
            assertTrue(Double.parseDouble(tile[2]) >= 30, "a number still read across a room: " + String.join(" | ", tile));
        }
    }

    @Test
    void aDegradedPopSaysItsCauseInWords() throws Exception {
        DashboardViewModel vm = new DashboardViewModel();
        vm.onTick(frame(4, ShowState.RUNNING, pop("iad", PopHealth.DEGRADED, 21, 31, 41, 3.8, List.of("acquirer")),
                pop("fra", PopHealth.DEGRADED, 40, 97, 120, 38.2, List.of("jitter")),
                pop("ams", PopHealth.DEGRADED, 20, 30, 40, 3, List.of("jitter", "loss"))), true, 0);
        assertEquals("degraded: acquirer slow", vm.tile("iad").healthProperty().get());
        assertEquals("degraded: jitter 38 ms", vm.tile("fra").healthProperty().get());
        assertEquals("degraded: jitter 3 ms, loss 0.3%", vm.tile("ams").healthProperty().get());

        // A wall of 6 at 1320 px: a tile about 195 px across has no room for the title, the word and the cause;
        // the cause stays (the colour says degraded).
        List<String[]> shown = laidOut(195, 176, pop("iad", PopHealth.DEGRADED, 21, 31, 41, 3.8, List.of("acquirer")));
        assertTrue(shown.getFirst()[0].contains("acquirer slow"), "the cause on the tile: " + shown.getFirst()[0]);
    }
}
