package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sentiment gauge's needle is drawn alike for alike values: the same value gives the same pixels whatever the
 * needle showed before, so a screenshot or a glance at a held value does not shimmer at the needle's edges.
 */
class HeldGaugeTileSkinTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void theNeedleAtAValueIsDrawnTheSameWhateverItShowedBefore() throws Exception {
        String differences = WaitForAsyncUtils.asyncFx(() -> {
            int[] direct = drawnAfter(List.of(32.0));
            int[] afterOthers = drawnAfter(List.of(-80.0, 5.0, 71.0, -13.0, 32.0));
            int differ = 0;
            for (int i = 0; i < direct.length; i++) {
                if (direct[i] != afterOthers[i]) {
                    differ++;
                }
            }
            return differ + " of " + direct.length + " pixels differ";
        }).get(20, TimeUnit.SECONDS);
        assertEquals("0 of " + (int) (ShowTilesView.WIDTH * ShowTilesView.HEIGHT) + " pixels differ", differences);
    }

    /** The gauge tile's pixels, as the dashboard makes it, after showing each of {@code values} in turn. FX thread. */
    private static int[] drawnAfter(List<Double> values) {
        Tile t = TileBuilder.create().skinType(Tile.SkinType.GAUGE).prefSize(ShowTilesView.WIDTH, ShowTilesView.HEIGHT)
                .title("Chat sentiment").unit("net %").minValue(-100).maxValue(100).thresholdVisible(false)
                .sectionsVisible(false).animated(false).textVisible(true).textSize(Tile.TextSize.BIGGER)
                .backgroundColor(Color.web("#171c24")).needleColor(Color.web("#e8edf4")).barColor(Color.web("#3ddc84")).build();
        t.setSkin(new HeldGaugeTileSkin(t));
        Stage stage = new Stage();
        stage.setScene(new Scene(new StackPane(t), ShowTilesView.WIDTH, ShowTilesView.HEIGHT));
        stage.show();
        WritableImage image = null;
        for (double v : values) {
            t.setValue(v);
            image = t.snapshot(null, null);
        }
        stage.close();
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] pixels = new int[w * h];
        PixelReader r = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = r.getArgb(x, y);
            }
        }
        return pixels;
    }
}
