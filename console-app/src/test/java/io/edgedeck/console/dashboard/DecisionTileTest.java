package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionMetrics.StageLatency;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.Palette;
import io.edgedeck.console.common.Status;
import io.edgedeck.themes.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Paint;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decision budget's headline and stage names keep their state's colour whatever the theme sheet's label rule says. */
class DecisionTileTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void theHeadlineKeepsItsStatesColourThroughACssPass() throws Exception {
        ShowTilesViewModel show = new ShowTilesViewModel();
        show.apply(Frames.frame(1000, null, null, null, null, null, null, null).withDecisions(new DecisionMetrics(1_000, 0, 0, 500, 0,
                List.of(new StageLatency("validate", 20, 36, 47, 200), new StageLatency("enrich", 21, 35, 46, 150),
                        new StageLatency("act", 180, 240, 290, 300), new StageLatency("total", 230, 300, 380, 500)))));
        assertEquals(Status.OK, show.decisions().statusProperty().get());
        for (Theme theme : Theme.values()) {
            Paint[] seen = WaitForAsyncUtils.asyncFx(() -> {
                Palette palette = new Palette();
                DecisionTile tile = new DecisionTile(show.decisions(), palette);
                StackPane root = new StackPane(palette.probes(), tile.node());
                Scene scene = new Scene(root, ShowTilesView.WIDTH, ShowTilesView.HEIGHT);
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                Stage stage = new Stage();
                stage.setScene(scene);
                stage.show();
                tile.update("");
                root.applyCss();
                root.layout();
                // The sheets again, as a theme switch sets them: every label's CSS is applied anew.
                scene.getStylesheets().setAll(theme.tokenSheetUrl(), Theme.componentSheetUrl());
                root.applyCss();
                Label headline = labelSaying(root, show.decisions().headlinesProperty().get());
                Label stage0 = labelSaying(root, List.of("validate ≤200"));
                Paint ok = palette.status(Status.OK);
                stage.close();
                return new Paint[] {ok, headline.getTextFill(), stage0.getTextFill()};
            }).get(10, TimeUnit.SECONDS);
            assertEquals(seen[0], seen[1], theme + ": the headline");
            assertEquals(seen[0], seen[2], theme + ": a stage within its budget");
        }
    }

    /** The label saying one of {@code wordings} (a narrow face says its headline in fewer words). */
    private static Label labelSaying(javafx.scene.Parent root, List<String> wordings) {
        return root.lookupAll(".label").stream().filter(n -> n instanceof Label l && wordings.contains(l.getText())).map(Label.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no label says any of " + wordings));
    }
}
