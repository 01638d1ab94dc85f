package io.edgedeck.console.flags;

import io.edgedeck.console.Console;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.connection.Connections;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal of bench-large (a flag of three variants, 33.34/33.33/33.33) on the Flags tab, in a window 1000 px wide
 * with the Actions column beside it: each variant and its weight is drawn whole inside its cell, on a line of its own
 * where the line is too short for all three, never cut off at the cell's edge.
 */
@ExtendWith(ApplicationExtension.class)
class FlagsWeightsFitUiTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void everyVariantAndWeightIsDrawnWholeInsideItsCell(FxRobot robot) throws Exception {
        Console[] shown = new Console[1];
        var rehearsal = Connections.rehearse("bench-large", 1008L, 1);
        robot.interact(() -> {
            shown[0] = TestConsoles.show(stage, rehearsal);
            stage.setWidth(1000);
        });
        Console console = shown[0];
        try {
            check(robot, console);
        } finally {
            console.ticker().close();
            console.session().connection().close();
        }
    }

    private static void check(FxRobot robot, Console console) throws Exception {
        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            robot.interact(() -> console.ticker().tick());
            return !console.flags().viewModel().rows().isEmpty();
        });
        List<String> cut = new ArrayList<>();
        List<String> read = new ArrayList<>();
        robot.interact(() -> {
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            for (Node n : console.scene().getRoot().lookupAll(".table-cell")) {
                if (!(n instanceof TableCell<?, ?> cell) || cell.getTableColumn() == null
                        || !"Variants and weights".equals(cell.getTableColumn().getText()) || cell.getGraphic() == null) {
                    continue;
                }
                Bounds inside = cell.localToScene(cell.getLayoutBounds());
                for (Node t : cell.lookupAll(".text")) {
                    if (t instanceof Text text && text.isVisible() && text.getText() != null && !text.getText().isEmpty()) {
                        Bounds drawn = text.localToScene(text.getLayoutBounds());
                        read.add(text.getText());
                        if (drawn.getMaxX() > inside.getMaxX() - cell.snappedRightInset() + 0.5) {
                            cut.add("'" + text.getText() + "' runs " + Math.round(drawn.getMaxX() - inside.getMaxX()) + " px past its cell");
                        }
                    }
                }
            }
        });
        assertTrue(read.stream().anyMatch(t -> t.contains("friendly")), "the three-variant flag is drawn: " + read);
        assertEquals(List.of(), cut, "variants cut off at the cell's edge, the window " + console.scene().getWidth() + " px wide");
    }
}
