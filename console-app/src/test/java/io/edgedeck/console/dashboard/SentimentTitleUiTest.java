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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sentiment tile's title keeps how much of the chat was not scored on a 1,000 px window, where the show tiles'
 * row is 916 px wide and four tiles share it: the producer reads "12% not scored" whatever else the title gives up.
 */
@ExtendWith(ApplicationExtension.class)
class SentimentTitleUiTest {
    /** The show tiles' row on a 1,000 px window: the dashboard's width less its margins (42 px a side). */
    private static final double ROW_AT_1000 = 916;

    @Test
    void aNarrowTileKeepsTheShareNotScored(FxRobot robot) throws Exception {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        Stage[] stage = new Stage[1];
        ShowTilesView[] view = new ShowTilesView[1];
        robot.interact(() -> {
            view[0] = new ShowTilesView(vm, new Palette());
            stage[0] = new Stage();
            stage[0].setScene(new Scene(view[0], ROW_AT_1000, 400));
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
                List<String> texts = new ArrayList<>();
                texts(view[0].lookup("#show-tile-sentiment"), texts);
                return texts;
            }).get(5, TimeUnit.SECONDS);
            double width = WaitForAsyncUtils.asyncFx(() -> view[0].lookup("#show-tile-sentiment").getLayoutBounds().getWidth())
                    .get(5, TimeUnit.SECONDS);
            assertTrue(width < 250, "a tile as narrow as on a 1,000 px window: " + width + " px");
            assertTrue(shown.stream().anyMatch(t -> t.contains("12% not scored") && !t.contains("…")),
                    "the tile (" + Math.round(width) + " px) drops '12% not scored' from '" + title + "': shows " + shown);
        } finally {
            robot.interact(() -> stage[0].close());
        }
    }

    private static void texts(Node n, List<String> into) {
        if (n == null || !n.isVisible()) {
            return;
        }
        if (n instanceof Text t && !t.getText().isBlank()) {
            into.add(t.getText());
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                texts(c, into);
            }
        }
    }
}
