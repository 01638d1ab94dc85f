package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sparkline draws a 1% wobble as a wobble, not edge to edge, and its small texts stay readable. */
class ThemedSparkLineSkinTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void theAxisSpansAtLeastATenthEitherSideOfTheLevel() {
        assertArrayEquals(new double[] {1684.5 - 168.45, 1684.5 + 168.45}, ThemedSparkLineSkin.span(1675, 1694), 1e-9);
        assertArrayEquals(new double[] {0, 1000}, ThemedSparkLineSkin.span(0, 1000), 1e-9, "a real swing keeps its own range");
        assertArrayEquals(new double[] {9.9, 12.1}, ThemedSparkLineSkin.span(10, 12), 1e-9);
    }

    @Test
    void aOnePercentWobbleFillsAFifthOfTheHeightAtMostAndTheLabelsAreReadable() throws Exception {
        String[] small = {""};
        double[] out = WaitForAsyncUtils.asyncFx(() -> {
            // The title's size is the tile's text size, as on every tile: the texts checked are the skin's own.
            Tile t = TileBuilder.create().skinType(Tile.SkinType.SPARK_LINE).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT).textSize(Tile.TextSize.BIGGER).title("Throughput")
                    .unit("req/s").minValue(0).maxValue(1e9).averageVisible(false).animated(false)
                    .smoothing(false).textVisible(true).text("delivered 1,000 · lost 0 (0.00%)").build();
            t.setSkin(new ThemedSparkLineSkin(t));
            Stage stage = new Stage();
            stage.setScene(new Scene(new StackPane(t), ShowTilesView.WIDTH, ShowTilesView.HEIGHT));
            stage.show();
            for (int i = 0; i < 40; i++) {
                t.setValue(i % 2 == 0 ? 1675 : 1694);
            }
            t.layout();
            Path line = find(t, Path.class).stream().filter(p -> !p.getElements().isEmpty()).findFirst().orElseThrow();
            Bounds b = line.getBoundsInLocal();
            Text smallest = find(t, Text.class).stream().filter(x -> x.isVisible() && !x.getText().isEmpty() && !x.getText().equals("Throughput"))
                    .min(java.util.Comparator.comparingDouble(x -> x.getFont().getSize())).orElseThrow();
            small[0] = smallest.getText();
            double graph = t.getHeight() * 0.39;
            stage.close();
            return new double[] {b.getHeight() - line.getStrokeWidth(), graph, smallest.getFont().getSize()};
        }).get(10, TimeUnit.SECONDS);
        assertTrue(out[0] < out[1] * 0.2, "the wobble is drawn " + out[0] + " px high in a " + out[1] + " px area");
        assertTrue(out[2] >= ThemedSparkLineSkin.MIN_FONT_PX, "smallest text " + out[2] + " px: " + small[0]);
    }

    private static <T> List<T> find(Node n, Class<T> type) {
        List<T> found = new ArrayList<>();
        if (type.isInstance(n)) {
            found.add(type.cast(n));
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                found.addAll(find(c, type));
            }
        }
        return found;
    }
}
