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
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** As on the dashboard: a rate tile, its maximum one no show reaches, whole numbers, in the themed skin. FX thread. */
    private static Tile rateTile(String footer) {
        Tile t = TileBuilder.create().skinType(Tile.SkinType.SPARK_LINE).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                .textSize(Tile.TextSize.BIGGER).title("Throughput").unit("req/s").decimals(0).minValue(0).maxValue(1e9)
                .averageVisible(false).animated(false).smoothing(false).textVisible(true).text(footer).build();
        t.setSkin(new ThemedSparkLineSkin(t));
        return t;
    }

    /** Before the first frame the tile's value is NaN: no line and no ends, not the stock scale of 0 to 10⁹. */
    @Test
    void noNumberYetDrawsNoLineAndNoEnds() throws Exception {
        String[] out = WaitForAsyncUtils.asyncFx(() -> {
            Tile t = rateTile("no data");
            ThemedSparkLineSkin skin = (ThemedSparkLineSkin) t.getSkin();
            Stage stage = new Stage();
            stage.setScene(new Scene(new StackPane(t), ShowTilesView.WIDTH, ShowTilesView.HEIGHT));
            stage.show();
            t.setValue(Double.NaN);
            t.layout();
            String high = ((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "highText")).getText();
            String low = ((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "lowText")).getText();
            boolean lineShown = ((Path) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "sparkLine")).isVisible();
            stage.close();
            return new String[] {high, low, Boolean.toString(lineShown)};
        }).get(10, TimeUnit.SECONDS);
        assertEquals("", out[0], "no top end");
        assertEquals("", out[1], "no bottom end");
        assertEquals("false", out[2], "no line");
    }

    @Test
    void aFlatLineSpansATenthEitherSideOfItsLevelAndAFlatZeroOneUnit() throws Exception {
        for (double[] c : new double[][] {{1, 0.9, 1.1}, {0, 0, 1}, {1500, 1350, 1650}}) {
            Object[] out = WaitForAsyncUtils.asyncFx(() -> {
                Tile t = rateTile("delivered 12");
                ThemedSparkLineSkin skin = (ThemedSparkLineSkin) t.getSkin();
                Stage stage = new Stage();
                stage.setScene(new Scene(new StackPane(t), ShowTilesView.WIDTH, ShowTilesView.HEIGHT));
                stage.show();
                for (int i = 0; i < 40; i++) {
                    t.setValue(c[0]);
                }
                t.layout();
                Path line = find(t, Path.class).stream().filter(p -> !p.getElements().isEmpty()).findFirst().orElseThrow();
                javafx.scene.shape.Rectangle area = (javafx.scene.shape.Rectangle) TileTexts.read(
                        eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "graphBounds");
                Bounds b = line.getBoundsInLocal();
                String high = ((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "highText")).getText();
                String low = ((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "lowText")).getText();
                stage.close();
                return new Object[] {Double.parseDouble(high.replace(",", "")), Double.parseDouble(low.replace(",", "")),
                        (b.getMinY() + b.getMaxY()) / 2 - area.getY(), area.getHeight()};
            }).get(10, TimeUnit.SECONDS);
            assertEquals(c[2], (double) out[0], 1e-9, "the top label of a line flat at " + c[0]);
            assertEquals(c[1], (double) out[1], 1e-9, "the bottom label of a line flat at " + c[0]);
            double at = (double) out[2];
            double area = (double) out[3];
            if (c[0] > 0) {
                assertTrue(at > area * 0.3 && at < area * 0.7, "a line flat at " + c[0] + " is drawn " + at + " px down a " + area + " px area");
            } else {
                assertTrue(at > area * 0.7, "a line flat at zero is drawn " + at + " px down a " + area + " px area");
            }
        }
        assertArrayEquals(new double[] {0.9, 1.1}, ThemedSparkLineSkin.span(1, 1), 1e-9);
        assertArrayEquals(new double[] {0, 1}, ThemedSparkLineSkin.span(0, 0), 1e-9);
    }

    @Test
    void theEndsLabelsAndATwoLineFooterLieOffTheLine() throws Exception {
        Bounds[] out = WaitForAsyncUtils.asyncFx(() -> {
            Tile t = TileBuilder.create().skinType(Tile.SkinType.SPARK_LINE).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                    .textSize(Tile.TextSize.BIGGER).title("Throughput").unit("req/s").decimals(0).minValue(0).maxValue(1e9)
                    .averageVisible(false).animated(false).smoothing(false).textVisible(true)
                    .text("delivered 141,205 · lost 149 (0.11%) · queued 12").build();
            ThemedSparkLineSkin skin = new ThemedSparkLineSkin(t);
            t.setSkin(skin);
            Stage stage = new Stage();
            stage.setScene(new Scene(new StackPane(t), ShowTilesView.WIDTH, ShowTilesView.HEIGHT));
            stage.show();
            // A swing wider than a tenth either side: the line reaches both ends of its area.
            for (int i = 0; i < 40; i++) {
                t.setValue(i % 2 == 0 ? 1000 : 1423);
            }
            t.layout();
            Path line = find(t, Path.class).stream().filter(p -> !p.getElements().isEmpty()).findFirst().orElseThrow();
            Text footer = (Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "text");
            Bounds[] b = {line.getBoundsInParent(), footer.getBoundsInParent(),
                    ((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "highText")).getBoundsInParent(),
                    ((Text) TileTexts.read(eu.hansolo.tilesfx.skins.SparkLineTileSkin.class, skin, "lowText")).getBoundsInParent()};
            stage.close();
            return b;
        }).get(10, TimeUnit.SECONDS);
        assertTrue(out[1].getHeight() > ThemedSparkLineSkin.MIN_FONT_PX * 2, "the footer takes two lines: " + out[1]);
        assertTrue(out[1].getMinY() >= out[0].getMaxY(), "the footer from " + out[1].getMinY() + " under a line down to " + out[0].getMaxY());
        assertTrue(out[2].getMaxX() < out[0].getMinX(), "the top label " + out[2] + " left of the line " + out[0]);
        assertTrue(out[3].getMaxX() < out[0].getMinX(), "the bottom label " + out[3] + " left of the line " + out[0]);
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
    /**
     * A tick's points plotted at once draw the same line, ends, value and deviation as the same points plotted one
     * tick each: only the last goes through the stock skin's drawing, the others are only added.
     */
    @Test
    void pointsPlottedAtOnceDrawWhatTheyDrawOneAtATime() throws Exception {
        double[] values = new double[70];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 + 300 * Math.sin(i / 5.0) + (i % 7) * 11;
        }
        List<List<String>> drawn = WaitForAsyncUtils.asyncFx(() -> {
            List<List<String>> both = new ArrayList<>();
            for (boolean atOnce : new boolean[] {true, false}) {
                Tile t = rateTile("delivered 1,000 · lost 0 (0.00%)");
                ThemedSparkLineSkin skin = (ThemedSparkLineSkin) t.getSkin();
                Stage stage = new Stage();
                stage.setScene(new Scene(new StackPane(t), ShowTilesView.WIDTH, ShowTilesView.HEIGHT));
                stage.show();
                t.layout();
                // the first tick's point, then a tick of 69 points or 69 ticks of one
                Redraws.batch(t, () -> skin.plot(new double[] {values[0]}));
                if (atOnce) {
                    Redraws.batch(t, () -> skin.plot(java.util.Arrays.copyOfRange(values, 1, values.length)));
                } else {
                    for (int i = 1; i < values.length; i++) {
                        double v = values[i];
                        Redraws.batch(t, () -> skin.plot(new double[] {v}));
                    }
                }
                t.layout();
                List<String> seen = new ArrayList<>();
                Path line = find(t, Path.class).stream().filter(p -> !p.getElements().isEmpty()).findFirst().orElseThrow();
                line.getElements().forEach(e -> seen.add(e.toString()));
                find(t, Text.class).stream().filter(Node::isVisible).forEach(x -> seen.add(x.getText() + " " + x.getFont().getSize()
                        + " " + x.getBoundsInParent()));
                find(t, javafx.scene.shape.Circle.class).forEach(c -> seen.add("dot " + c.getCenterX() + "," + c.getCenterY()));
                find(t, javafx.scene.shape.Rectangle.class).forEach(r -> seen.add("rect " + r.getY() + " " + r.getHeight()));
                find(t, javafx.scene.shape.Line.class).forEach(l -> seen.add("line " + l.getStartY() + " " + l.getEndY()));
                stage.close();
                both.add(seen);
            }
            return both;
        }).get(20, TimeUnit.SECONDS);
        assertTrue(drawn.get(0).size() > 20, "a line of many points: " + drawn.get(0));
        assertEquals(drawn.get(1), drawn.get(0));
    }
}
