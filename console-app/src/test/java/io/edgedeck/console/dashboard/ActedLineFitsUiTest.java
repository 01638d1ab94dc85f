package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.edgedeck.themes.Theme;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A variant tile whose variant was killed, rolled back or paused says so whole, in fewer words where the tile
 * is too narrow for the line ("killed at 14:22:52 UTC by node-b"), never cut in an ellipsis.
 */
class ActedLineFitsUiTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "killed at 14:22:52 UTC by node-b|",
            "rolled back at 14:22:52 UTC by the fleet's aggregator|",
            "paused at 14:22:52 UTC by sentiment-guard|",
            "rolled back at 14:22:52 UTC by node-b|moved in by a flag change: 3,366 (133 converted)"})
    void theActedLineShowsWholeInFewerWords(String said, String moved) throws Exception {
        String movedLine = moved == null ? "" : moved;
        String[] shown = drawn(said, movedLine, movedLine.isEmpty() ? "" : "moved in: 3,366 (133 conv.)",
                movedLine.isEmpty() ? "" : "moved in: 3,366");
        assertEquals(shown[0], shown[1], "the tile draws all its line says, not '" + shown[1] + "'");
        assertFalse(shown[1].endsWith("…") || shown[1].endsWith("..."), "cut off: " + shown[1]);
        assertTrue(shown[0].startsWith(said.substring(0, said.indexOf(" at ")) + " at 14:22"), "says what and when: " + shown[0]);
    }

    /** A control arm gone quiet after a rollback moved sessions into it: its two lines whole, the cohort in fewer words. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "no exposures for 640 s · control (baseline)|moved in by a flag change: 2,155 (0 converted)|moved in: 2,155 (0 conv.)|moved in: 2,155",
            "no exposures for 25 s · lift -20.0% vs control (n = 4,048)|moved in by a flag change: 12,155 (480 converted)|moved in: 12,155 (480 conv.)|moved in: 12,155"})
    void aQuietArmWithAMovedCohortIsNeverCut(String said, String moved, String movedShort, String movedShortest) throws Exception {
        String[] shown = drawn(said, moved, movedShort, movedShortest);
        assertEquals(shown[0], shown[1], "the tile draws all its lines say, not '" + shown[1] + "'");
        assertFalse(shown[1].contains("…") || shown[1].contains("..."), "cut off: " + shown[1]);
        assertTrue(shown[0].contains("moved in"), "the moved cohort is named: " + shown[0]);
    }

    /** What the description label says, and what it draws, for a tile given these lines. */
    private static String[] drawn(String said, String movedLine, String movedShort, String movedShortest) throws Exception {
        List<String> shorter = ShowTilesView.shorterLines(said, movedLine, movedShort, movedShortest);
        String full = said + (movedLine.isEmpty() ? "" : "\n" + movedLine);
        return WaitForAsyncUtils.asyncFx(() -> {
            Tile tile = TileBuilder.create().skinType(Tile.SkinType.NUMBER).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                    .title("checkout-button · treatment").unit("conv").animated(false).textVisible(true).build();
            tile.setSkin(new HeldNumberTileSkin(tile));
            StackPane root = new StackPane(tile);
            Scene scene = new Scene(root, ShowTilesView.WIDTH, ShowTilesView.HEIGHT);
            scene.getStylesheets().setAll(Theme.DARK.tokenSheetUrl(), Theme.componentSheetUrl());
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            tile.setValue(0);
            tile.getProperties().put(HeldNumberTileSkin.SHORT_DESCRIPTION, shorter);
            tile.setDescription(full);
            tile.setText("0 conversions · 1,760 exposures");
            for (int i = 0; i < 3; i++) {
                root.applyCss();
                root.layout();
            }
            Label description = root.lookupAll(".label").stream().filter(n -> n instanceof Label l && !l.getText().isEmpty()
                            && l.getText().startsWith(said.substring(0, said.indexOf(' '))))
                    .map(Label.class::cast).findFirst().orElseThrow(() -> new AssertionError("no label says " + said));
            String drawn = null;
            for (Node c : description.getChildrenUnmodifiable()) {
                if (c instanceof Text t && t.isVisible()) {
                    drawn = t.getText();
                }
            }
            stage.close();
            return new String[] {description.getText(), drawn};
        }).get(10, TimeUnit.SECONDS);
    }
}
