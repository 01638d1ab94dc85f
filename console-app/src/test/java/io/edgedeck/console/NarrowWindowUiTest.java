package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.connection.Connections;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ScrollBar;
import javafx.geometry.Orientation;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
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

/**
 * In a window 600 px wide (a laptop's half screen beside the show) the Dashboard's tiles and the Jitter tab's controls,
 * ranking and chart reflow into the width: nothing is drawn past the window's right edge, and no horizontal scroll bar
 * is needed to reach it. A narrow tab may scroll down, and then has a scroll bar to do so.
 */
@ExtendWith(ApplicationExtension.class)
class NarrowWindowUiTest {
    private EdgeConnection connection;
    private Console console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", "jitter-storm", "--speed", "20")));
        console = TestConsoles.show(stage, connection);
    }

    @AfterEach
    void close() {
        TestConsoles.close(console, connection);
    }

    @Test
    void at600PxTheDashboardAndTheJitterTabNeedNoHorizontalScroll(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> {
            var p = console.jitter().viewModel().pictureProperty().get();
            return p != null && p.toSecond() > 300;
        }));
        robot.interact(() -> stage.setWidth(600));
        List<String> beyond = new ArrayList<>();
        for (String tab : List.of("dashboard", "jitter")) {
            robot.interact(() -> console.showTab(tab));
            beyond.addAll(FxLookup.onFx(() -> {
                for (int i = 0; i < 3; i++) {
                    console.scene().getRoot().applyCss();
                    console.scene().getRoot().layout();
                }
                List<String> found = new ArrayList<>();
                double right = console.scene().getWidth();
                Node view = tab.equals("dashboard") ? console.dashboard().view() : console.jitter().view();
                walk(view, right, tab, found);
                return found;
            }));
            TestConsoles.shootIfAsked(console, "narrow-" + tab + "-600.png");
        }
        assertEquals(List.of(), beyond, "drawn past the right edge of a window "
                + FxLookup.onFx(() -> console.scene().getWidth()) + " px wide, or reached by a horizontal scroll bar");
    }

    /** Adds to {@code found} each visible node under {@code n} that ends past {@code right}, and each horizontal scroll bar shown. */
    private static void walk(Node n, double right, String tab, List<String> found) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof ScrollBar bar && bar.getOrientation() == Orientation.HORIZONTAL && bar.getVisibleAmount() < bar.getMax() - bar.getMin()) {
            found.add(tab + ": a horizontal scroll bar under " + describe(bar.getParent()));
            return;
        }
        if (n instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null
                && sp.getContent().getLayoutBounds().getHeight() > sp.getViewportBounds().getHeight() + 0.5
                && sp.getChildrenUnmodifiable().stream().noneMatch(c -> c instanceof ScrollBar b && c.isVisible()
                && b.getOrientation() == Orientation.VERTICAL)) {
            found.add(tab + ": " + describe(sp) + " holds " + Math.round(sp.getContent().getLayoutBounds().getHeight())
                    + " px in a view " + Math.round(sp.getViewportBounds().getHeight()) + " px high, with no scroll bar to reach the rest");
        }
        double maxX = n.localToScene(n.getLayoutBounds()).getMaxX();
        if (maxX > right + 0.5 && n.getLayoutBounds().getWidth() > 0) {
            found.add(tab + ": " + describe(n) + " ends at " + Math.round(maxX));
            // its own children are then past the edge too: the outermost says enough
            return;
        }
        // A table is judged by its own bounds and scroll bars: how it shares its width among its columns is its own.
        if (n instanceof Parent p && !(n instanceof javafx.scene.control.TableView<?>)) {
            for (Node c : p.getChildrenUnmodifiable()) {
                walk(c, right, tab, found);
            }
        }
    }

    private static String describe(Node n) {
        String id = n.getId() != null ? "#" + n.getId() : "";
        String text = n instanceof javafx.scene.control.Labeled l && l.getText() != null ? " \"" + l.getText() + "\"" : "";
        return n.getClass().getSimpleName() + id + n.getStyleClass() + text;
    }
}
