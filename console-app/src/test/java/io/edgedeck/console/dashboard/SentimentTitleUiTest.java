package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.Palette;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sentiment tile's title keeps how much of the chat was not scored on a 1,000 px window, where the show tiles'
 * row is 916 px wide and four tiles share it, and on a tile at its narrowest ({@link ShowTilesView#WIDTH}, which some
 * window between 600 and 1,000 px gives): the producer reads "12% not scored" whole, inside the tile, whatever else the
 * title gives up.
 */
@ExtendWith(ApplicationExtension.class)
class SentimentTitleUiTest {
    /** The show tiles' row on a 1,000 px window: the dashboard's width less its margins (42 px a side). */
    private static final double ROW_AT_1000 = 916;
    /** A row whose four columns of tiles are each at their narrowest: 185 px, 10 px apart. */
    private static final double ROW_AT_NARROWEST = 4 * (ShowTilesView.WIDTH + 1) + 3 * 10;

    @Test
    void aTileOnA1000PxWindowKeepsTheShareNotScored(FxRobot robot) throws Exception {
        double width = keepsTheShareNotScored(robot, ROW_AT_1000);
        assertTrue(width < 250, "a tile as narrow as on a 1,000 px window: " + width + " px");
    }

    @Test
    void aTileAtItsNarrowestKeepsTheShareNotScored(FxRobot robot) throws Exception {
        double width = keepsTheShareNotScored(robot, ROW_AT_NARROWEST);
        assertEquals(ShowTilesView.WIDTH, width, "a tile at its narrowest");
    }

    /** Shows the tiles in a row {@code row} px wide and checks the sentiment tile's title; returns the tile's width. */
    private static double keepsTheShareNotScored(FxRobot robot, double row) throws Exception {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        Stage[] stage = new Stage[1];
        ShowTilesView[] view = new ShowTilesView[1];
        robot.interact(() -> {
            view[0] = new ShowTilesView(vm, new Palette());
            stage[0] = new Stage();
            stage[0].setScene(new Scene(view[0], row, 400));
            // Shown: TilesFX draws a tile's texts only once its window shows.
            stage[0].show();
            vm.apply(Frames.frame(0, null, null, new ChatMetrics(1_000, 850, 1, 30, 0.21, List.of(), 812, 0.64, 0.12,
                    0.18, 0.24, List.of()), null, null, null, null));
        });
        try {
            WaitForAsyncUtils.waitForFxEvents();
            String title = WaitForAsyncUtils.asyncFx(() -> vm.chat().sentimentTitleProperty().get()).get(5, TimeUnit.SECONDS);
            assertTrue(title.contains("12% not scored"), title);
            List<String> shown = WaitForAsyncUtils.asyncFx(() -> {
                view[0].applyCss();
                view[0].layout();
                List<Text> texts = new ArrayList<>();
                nodes(view[0].lookup("#show-tile-sentiment"), texts);
                return texts.stream().map(Text::getText).toList();
            }).get(5, TimeUnit.SECONDS);
            double[] at = WaitForAsyncUtils.asyncFx(() -> {
                Node tile = view[0].lookup("#show-tile-sentiment");
                List<Text> texts = new ArrayList<>();
                nodes(tile, texts);
                Text notScored = texts.stream().filter(t -> t.getText().contains("not scored")).findFirst().orElse(null);
                return new double[] {tile.getLayoutBounds().getWidth(), tile.localToScene(tile.getLayoutBounds()).getMaxX(),
                        notScored == null ? 0 : notScored.localToScene(notScored.getLayoutBounds()).getMaxX()};
            }).get(5, TimeUnit.SECONDS);
            double width = at[0];
            assertTrue(shown.stream().anyMatch(t -> t.contains("12% not scored") && !t.contains("…")),
                    "the tile (" + Math.round(width) + " px) drops '12% not scored' from '" + title + "': shows " + shown);
            assertTrue(at[2] <= at[1] + 0.5, "the title " + shown + " runs past the tile's right edge (" + Math.round(at[2]) + " px, the tile"
                    + " ends at " + Math.round(at[1]) + ")");
            return width;
        } finally {
            robot.interact(() -> stage[0].close());
        }
    }

    /** The texts a person sees under {@code n}. */
    private static void nodes(Node n, List<Text> into) {
        if (n == null || !n.isVisible()) {
            return;
        }
        if (n instanceof Text t && !t.getText().isBlank()) {
            into.add(t);
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                nodes(c, into);
            }
        }
    }
}
