package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.scene.control.Label;
import javafx.scene.text.Text;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tile's several changes in one frame are drawn once, at the end, and nothing of them is lost. */
class RedrawsTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void requestsInsideABatchAreDrawnOnceAtItsEndAndOutsideAtOnce() {
        AtomicInteger drawn = new AtomicInteger();
        Runnable draw = drawn::incrementAndGet;
        Redraws redraws = new Redraws(draw);

        Redraws.request(redraws, draw);
        assertEquals(1, drawn.get(), "outside a batch a request draws at once");

        redraws.during(() -> {
            Redraws.request(redraws, draw);
            Redraws.request(redraws, draw);
            redraws.during(() -> Redraws.request(redraws, draw));
            assertEquals(1, drawn.get(), "nothing drawn while the batch runs, a nested one included");
        });
        assertEquals(2, drawn.get(), "three requests, one draw at the end");

        redraws.during(() -> { });
        assertEquals(2, drawn.get(), "a batch that asked for nothing draws nothing");

        assertThrows(IllegalStateException.class, () -> redraws.during(() -> {
            Redraws.request(redraws, draw);
            throw new IllegalStateException("a change failed");
        }));
        assertEquals(3, drawn.get(), "what was changed before a failure is still drawn");
        Redraws.request(redraws, draw);
        assertEquals(4, drawn.get(), "and the batch is over");

        Redraws.request(null, draw);
        assertEquals(5, drawn.get(), "a skin still in its constructor draws at once");
    }

    @Test
    void aHeldSkinShowsEveryChangeOfTheBatch() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Tile.SkinType type : new Tile.SkinType[] {Tile.SkinType.NUMBER, Tile.SkinType.GAUGE, Tile.SkinType.SPARK_LINE}) {
                Tile tile = TileBuilder.create().skinType(type).prefSize(300, 150).textVisible(true).build();
                tile.setSkin(switch (type) {
                    case NUMBER -> new HeldNumberTileSkin(tile);
                    case GAUGE -> new HeldGaugeTileSkin(tile);
                    default -> new ThemedSparkLineSkin(tile);
                });
                // a tile passes its changes to its skin only while it is showing
                Stage stage = new Stage();
                stage.setScene(new Scene(new StackPane(tile), 300, 150));
                stage.show();
                Redraws.batch(tile, () -> {
                    tile.setTitle("offer-banner · treatment");
                    tile.setText("231 conversions of 6,006 exposures");
                    tile.setDescription("rolled back at 05:15");
                    tile.setValue(3.85);
                });
                assertTrue(shows(tile, "offer-banner · treatment"), type + ": the title of the batch is drawn: " + texts(tile));
                if (type != Tile.SkinType.GAUGE) {
                    // the gauge skin draws no text
                    assertTrue(shows(tile, "231 conversions of 6,006 exposures"), type + ": the text of the batch is drawn");
                }
                if (type == Tile.SkinType.NUMBER) {
                    assertTrue(shows(tile, "rolled back at 05:15"), type + ": the description of the batch is drawn");
                }
                stage.hide();
            }
            return null;
        }).get(20, TimeUnit.SECONDS);
    }

    /** Every text the tile's skin draws, for a failure's message. */
    private static List<String> texts(Tile tile) {
        List<String> all = new ArrayList<>();
        for (Node n : tile.lookupAll("*")) {
            if (n instanceof Text t) {
                all.add(t.getText());
            } else if (n instanceof Label l) {
                all.add(l.getText());
            }
        }
        return all;
    }

    private static boolean shows(Tile tile, String text) {
        for (Node n : tile.lookupAll("*")) {
            if (n instanceof Text t && text.equals(t.getText()) || n instanceof Label l && text.equals(l.getText())) {
                return true;
            }
        }
        return false;
    }
}
