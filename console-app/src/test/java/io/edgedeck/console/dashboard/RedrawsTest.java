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
    void whileEverySkinIsHeldEachIsSizedAndDrawnOnceAtTheEnd() {
        List<String> done = new ArrayList<>();
        Runnable draw = () -> done.add("draw");
        Runnable resize = () -> done.add("resize");
        Redraws sized = new Redraws(draw, resize);
        Redraws drawnOnly = new Redraws(() -> done.add("draw only"), () -> done.add("resize only"));

        Redraws.holdingAll(() -> {
            Redraws.requestResize(sized, resize);
            Redraws.request(sized, draw);
            Redraws.request(drawnOnly, () -> done.add("draw only"));
            Redraws.requestResize(sized, resize);
            Redraws.request(sized, draw);
            assertEquals(List.of(), done, "nothing sized or drawn while every skin is held");
        });
        assertEquals(List.of("resize", "draw", "draw only"), done,
                "each skin once, in the order they first asked, sized before it is drawn, and only if it asked");

        done.clear();
        Redraws.requestResize(sized, resize);
        assertEquals(List.of("resize"), done, "outside the hold a resize is made at once");
        sized.during(() -> {
            Redraws.requestResize(sized, resize);
            Redraws.request(sized, draw);
        });
        assertEquals(List.of("resize", "resize", "draw"), done, "a frame's batch holds redraws only");
        Redraws.requestResize(null, resize);
        assertEquals(List.of("resize", "resize", "draw", "resize"), done, "a skin still in its constructor is sized at once");
    }

    @Test
    void aHeldSkinShowsEveryChangeOfTheBatch() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Tile.SkinType type : new Tile.SkinType[] {Tile.SkinType.NUMBER, Tile.SkinType.GAUGE, Tile.SkinType.SPARK_LINE}) {
                Tile tile = heldTile(type);
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

    @Test
    void aHeldSkinShownInsideTheHoldShowsWhatItWasToldBefore() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Tile.SkinType type : new Tile.SkinType[] {Tile.SkinType.NUMBER, Tile.SkinType.GAUGE, Tile.SkinType.SPARK_LINE}) {
                Tile tile = heldTile(type);
                // told before its window shows: the tile queues each change and replays them as it shows
                tile.setTitle("offer-banner · treatment");
                tile.setText("231 conversions of 6,006 exposures");
                tile.setValue(3.85);
                Stage stage = new Stage();
                stage.setScene(new Scene(new StackPane(tile), 300, 150));
                Redraws.holdingAll(stage::show);
                assertTrue(shows(tile, "offer-banner · treatment"), type + ": the title is drawn: " + texts(tile));
                if (type != Tile.SkinType.GAUGE) {
                    assertTrue(shows(tile, "231 conversions of 6,006 exposures"), type + ": the text is drawn");
                }
                stage.hide();
            }
            return null;
        }).get(20, TimeUnit.SECONDS);
    }

    /** A tile of {@code type} with the console's held skin for it. FX thread. */
    private static Tile heldTile(Tile.SkinType type) {
        Tile tile = TileBuilder.create().skinType(type).prefSize(300, 150).textVisible(true).build();
        tile.setSkin(switch (type) {
            case NUMBER -> new HeldNumberTileSkin(tile);
            case GAUGE -> new HeldGaugeTileSkin(tile);
            default -> new ThemedSparkLineSkin(tile);
        });
        return tile;
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
