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

    @Test
    void aResizedTileKeepsTheTenthEitherSide() throws Exception {
        double[] ends = WaitForAsyncUtils.asyncFx(() -> {
            Tile t = TileBuilder.create().skinType(Tile.SkinType.SPARK_LINE).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                    .textSize(Tile.TextSize.BIGGER).title("Throughput").unit("req/s").minValue(0).maxValue(1e9)
                    .averageVisible(false).animated(false).smoothing(false).textVisible(true).text("delivered 1,000").build();
            ThemedSparkLineSkin skin = new ThemedSparkLineSkin(t);
            t.setSkin(skin);
            Stage stage = new Stage();
            stage.setScene(new Scene(new javafx.scene.layout.Pane(t), 400, ShowTilesView.HEIGHT));
            stage.show();
            t.resize(290, ShowTilesView.HEIGHT);
            for (int i = 0; i < 40; i++) {
                t.setValue(i % 2 == 0 ? 1422 : 1427);
            }
            // A narrower window narrows the tile, and no new value comes before it is drawn again.
            t.resize(220, ShowTilesView.HEIGHT);
            Path line = find(t, Path.class).stream().filter(p -> !p.getElements().isEmpty()).findFirst().orElseThrow();
            double wobble = line.getBoundsInLocal().getHeight() - line.getStrokeWidth();
            double high = Double.parseDouble(((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "highText"))
                    .getText().replace(",", ""));
            double low = Double.parseDouble(((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "lowText"))
                    .getText().replace(",", ""));
            stage.close();
            return new double[] {low, high, wobble, t.getHeight() * 0.39};
        }).get(10, TimeUnit.SECONDS);
        assertTrue(ends[1] - ends[0] >= 0.2 * 1424.5 - 1, "the area spans " + ends[0] + " to " + ends[1]);
        assertTrue(ends[2] < ends[3] * 0.2, "a 5-unit wobble is drawn " + ends[2] + " px high in a " + ends[3] + " px area");
    }

    @Test
    void aLongerFooterStaysInsideTheTile() throws Exception {
        double[] out = WaitForAsyncUtils.asyncFx(() -> {
            Tile t = TileBuilder.create().skinType(Tile.SkinType.SPARK_LINE).prefSize(290, ShowTilesView.HEIGHT)
                    .textSize(Tile.TextSize.BIGGER).title("Reaction index").unit("msg/min").minValue(0).maxValue(1e9)
                    .averageVisible(false).animated(false).smoothing(false).textVisible(true).text("spike ×1.3 · top :joy:").build();
            ThemedSparkLineSkin skin = new ThemedSparkLineSkin(t);
            t.setSkin(skin);
            Stage stage = new Stage();
            stage.setScene(new Scene(new javafx.scene.layout.Pane(t), 400, ShowTilesView.HEIGHT));
            stage.show();
            t.resize(290, ShowTilesView.HEIGHT);
            t.setValue(4500);
            // A new top emote with a long name, in a frame that changes nothing else.
            Redraws.batch(t, () -> t.setText("spike ×1.3 · top :joy: :fire: :widepeepoHappy:"));
            Text footer = (Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "text");
            Bounds b = footer.getBoundsInParent();
            stage.close();
            return new double[] {b.getMinX(), b.getMaxX(), t.getWidth()};
        }).get(10, TimeUnit.SECONDS);
        assertTrue(out[0] >= 0 && out[1] <= out[2], "the footer spans " + out[0] + " to " + out[1] + " on a tile " + out[2] + " wide");
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
