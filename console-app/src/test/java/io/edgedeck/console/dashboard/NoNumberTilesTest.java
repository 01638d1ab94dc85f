package io.edgedeck.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.scene.transform.Rotate;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A show tile with no number (NaN) shows a dash, as the PoP tiles do; a gauge shows no needle. */
class NoNumberTilesTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void theFormatShowsNaNAsADashAndRoundsAsTheStockFormatDid() {
        assertEquals(ShowTilesView.NO_NUMBER, ShowTilesView.numberOrDash(2).format(Double.NaN));
        assertEquals("3.46", ShowTilesView.numberOrDash(2).format(3.456));
        assertEquals("0.13", ShowTilesView.numberOrDash(2).format(0.125));
        assertEquals(String.format("%.0f", 42.5), ShowTilesView.numberOrDash(0).format(42.5));
        assertEquals("-13", ShowTilesView.numberOrDash(0).format(-12.6));
        assertEquals("1234", ShowTilesView.numberOrDash(0).format(1234), "no grouping, as before");
    }

    @Test
    void aFigureThatRoundsToZeroHasNoSign() {
        // the gauge's net %: one message in 250 more negative than positive
        assertEquals("0", ShowTilesView.numberOrDash(0).format(-0.4));
        assertEquals("0.00", ShowTilesView.numberOrDash(2).format(-0.004));
        assertEquals("-1", ShowTilesView.numberOrDash(0).format(-0.6), "a figure that does not round to zero keeps its sign");
        assertEquals("-0.01", ShowTilesView.numberOrDash(2).format(-0.005));
    }

    @Test
    void oneDegradedPopIsOnePopNotOnePops() {
        assertEquals("PoP", ShowTilesView.pops(1));
        assertEquals("PoPs", ShowTilesView.pops(0));
        assertEquals("PoPs", ShowTilesView.pops(3));
        assertEquals("PoPs", ShowTilesView.pops(Double.NaN), "a dash takes the plural, as the heading does");
    }

    @Test
    void aGaugeWithNoNumberShowsADashAndNoNeedleAndBothComeBackWithOne() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            Tile gauge = shown(Tile.SkinType.GAUGE, 0);
            gauge.setMinValue(-100);
            gauge.setMaxValue(100);
            gauge.setValue(Double.NaN);
            assertTrue(shows(gauge, ShowTilesView.NO_NUMBER), "a dash where the number was: " + texts(gauge));
            List<Node> needle = turned(gauge);
            assertFalse(needle.isEmpty(), "the gauge has a needle");
            assertTrue(needle.stream().noneMatch(Node::isVisible), "no needle: pointing anywhere would be a value");

            gauge.setValue(-24);
            assertTrue(shows(gauge, "-24"), texts(gauge).toString());
            assertTrue(needle.stream().allMatch(Node::isVisible), "the needle is back with a number");
            gauge.getScene().getWindow().hide();

            Tile number = shown(Tile.SkinType.NUMBER, 2);
            number.setValue(Double.NaN);
            assertTrue(shows(number, ShowTilesView.NO_NUMBER), texts(number).toString());
            number.setValue(4.2);
            assertTrue(shows(number, "4.20"), texts(number).toString());
            number.getScene().getWindow().hide();
            return null;
        }).get(20, TimeUnit.SECONDS);
    }

    private static Tile shown(Tile.SkinType type, int decimals) {
        Tile tile = TileBuilder.create().skinType(type).prefSize(300, 150).decimals(decimals).animated(false).build();
        tile.setCustomDecimalFormat(ShowTilesView.numberOrDash(decimals));
        tile.setCustomDecimalFormatEnabled(true);
        tile.setSkin(type == Tile.SkinType.GAUGE ? new HeldGaugeTileSkin(tile) : new HeldNumberTileSkin(tile));
        // a tile passes its changes to its skin only while it is showing
        Stage stage = new Stage();
        stage.setScene(new Scene(new StackPane(tile), 300, 150));
        stage.show();
        return tile;
    }

    private static List<Node> turned(Tile tile) {
        return tile.lookupAll("*").stream().filter(n -> n.getTransforms().stream().anyMatch(Rotate.class::isInstance)).toList();
    }

    private static List<String> texts(Tile tile) {
        return tile.lookupAll("*").stream().filter(Text.class::isInstance).map(n -> ((Text) n).getText()).toList();
    }

    private static boolean shows(Tile tile, String text) {
        return texts(tile).contains(text);
    }
}
