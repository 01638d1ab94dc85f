package io.edgedeck.console;

import io.edgedeck.console.dashboard.PopTile;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real console window, on JavaFX's headless platform, against the real in-process engine. */
@ExtendWith(ApplicationExtension.class)
class ConsoleUiTest {
    private EdgeConnection connection;
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        // Fast enough that a frame with traffic arrives within a second or two of wall time.
        console = TestConsoles.show(stage, "steady-show", 11L, 20);
        connection = console.session().connection();
    }

    @AfterEach
    void closeConnection() {
        console.ticker().close();
        connection.close();
    }

    @Test
    void tileShowsTheP95TheEngineComputed(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> {
            return FxLookup.onFx(() -> robot.lookup("#pop-tile-fra").tryQueryAs(PopTile.class)
                    .map(t -> t.viewModel().p95Property().get() > 0).orElse(false));
        });
        // Freeze the show so the frame the tile shows and the engine's newest frame are the same one.
        var runner = ((io.edgedeck.simulator.show.RehearsalConnection) connection).runner();
        runner.pause().get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> {
            robot.interact(() -> console.ticker().tick());
            MetricsFrame latest = connection.latestFrame().orElseThrow();
            PopTile t = FxLookup.query(robot, "#pop-tile-fra", PopTile.class);
            return t.viewModel().p95Property().get() == latest.pop("fra").last10s().p95Ms();
        });
        MetricsFrame frame = connection.latestFrame().orElseThrow();
        PopMetrics fra = frame.pop("fra");
        assertTrue(fra.last10s().count() > 0, "the engine served requests at fra");
        PopTile tile = FxLookup.query(robot, "#pop-tile-fra", PopTile.class);
        assertEquals(String.format(java.util.Locale.ROOT, "%.0f", fra.last10s().p95Ms()), tile.valueText());
        assertTrue(tile.viewModel().detailProperty().get().startsWith("p50 "), tile.viewModel().detailProperty().get());
        assertEquals(frame.pops().size(), console.dashboard().dashboardView().getChildren().size());
    }

    @Test
    void bannerSaysRehearsalAndNothingOfANodeIsOffered(FxRobot robot) {
        Label mode = FxLookup.query(robot, "#mode-name", Label.class);
        assertNotNull(mode);
        assertEquals("REHEARSAL", mode.getText());
        assertTrue(console.title().contains("REHEARSAL"));

        // The in-process engine keeps no playbooks or schedule: a rehearsal offers neither, nor their shortcuts.
        assertTrue(console.features().stream().noneMatch(f -> f.title().equals("Playbooks")));
        assertTrue(!FxLookup.present(robot, "#schedule-view"));
        for (javafx.scene.input.KeyCode key : List.of(javafx.scene.input.KeyCode.P, javafx.scene.input.KeyCode.D)) {
            assertFalse(console.scene().getAccelerators().containsKey(new javafx.scene.input.KeyCodeCombination(key,
                    javafx.scene.input.KeyCombination.SHORTCUT_DOWN, javafx.scene.input.KeyCombination.SHIFT_DOWN)), key.toString());
        }
    }

    @Test
    void aLongStatusTextIsCutShortInsteadOfWideningTheWindow(FxRobot robot) throws Exception {
        String cause = "could not read the node's sources: GET http://127.0.0.1:31151/api/v1/sources was not sent:"
                + " not connected (reconnecting in 7 s: connection refused)";
        String longLine = "sources: not heard for 17 s (" + cause + ") " + cause;
        Object[] read = WaitForAsyncUtils.asyncFx(() -> {
            Label line = new Label(longLine);
            console.window().addToStatusBar(line);
            console.window().showNotice(longLine);
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            return new Object[]{console.scene().getRoot().minWidth(-1), console.scene().getWidth(),
                    line.getTooltip() == null ? null : line.getTooltip().getText(), line.getWidth()};
        }).get(5, TimeUnit.SECONDS);
        double minWidth = (Double) read[0];
        double windowWidth = (Double) read[1];
        assertTrue(minWidth <= windowWidth, "the content's min width " + minWidth + " fits the window's " + windowWidth);
        assertTrue((Double) read[3] <= windowWidth, "the text is drawn within the window: " + read[3]);
        assertEquals(longLine, read[2], "the whole text is a hover away");
    }

    /** Built when first selected, while the model followed the audit: the model's rows, summary and matrix at once. */
    @Test
    @SuppressWarnings("unchecked")
    void theTriggersTabIsBuiltWhenFirstShownWithTheModelsRows(FxRobot robot) throws Exception {
        var triggers = console.features().stream().filter(f -> f.title().equals("Triggers")).findFirst().orElseThrow();
        io.edgedeck.console.triggers.TriggersViewModel model = ((io.edgedeck.console.triggers.TriggersFeature) triggers).model();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !model.rows().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        Object[] read = WaitForAsyncUtils.asyncFx(() -> {
            Node before = console.scene().lookup("#triggers-table");
            console.showTab("triggers");
            TableView<io.edgedeck.console.triggers.TriggersViewModel.Row> table = (TableView<io.edgedeck.console.triggers.TriggersViewModel.Row>) console.scene().lookup("#triggers-table");
            Label summary = (Label) console.scene().lookup("#triggers-summary");
            javafx.scene.layout.GridPane matrix = (javafx.scene.layout.GridPane) console.scene().lookup("#triggers-overlap");
            return new Object[]{before, List.copyOf(model.rows()), table == null ? null : List.copyOf(table.getItems()),
                    model.summaryProperty().get(), summary == null ? null : summary.getText(),
                    model.matrixProperty().get().ids().size(), matrix == null ? -1 : matrix.getChildren().size()};
        }).get(5, TimeUnit.SECONDS);
        assertNull(read[0], "the Triggers view is not in the scene before its tab is selected");
        assertNotNull(read[2], "and is there once it is");
        assertEquals(read[1], read[2], "the table shows the model's rows at once");
        assertFalse(((String) read[3]).isEmpty());
        assertEquals(read[3], read[4]);
        int ids = (Integer) read[5];
        assertTrue(ids > 0, "the audit has triggers to overlap");
        assertEquals(ids * ids + 2 * ids, (int) (Integer) read[6], "the overlap matrix is drawn from the model: cells and headers");
    }

    /** Built when first selected, from what the model holds then: a choice made before, the show's state. */
    @Test
    @SuppressWarnings("unchecked")
    void theRehearsalTabIsBuiltWhenFirstShownWithTheModelsChoicesAndState(FxRobot robot) throws Exception {
        var model = console.rehearsal().viewModel();
        Object[] read = WaitForAsyncUtils.asyncFx(() -> {
            Node before = console.scene().lookup("#rehearsal-scenario");
            // A choice the model holds before the tab has ever been shown.
            model.scenarioProperty().set(model.scenarios().stream().filter(s -> s.name().equals("jitter-storm")).findFirst().orElseThrow());
            model.seedProperty().set("42");
            console.showTab("rehearsal");
            var scenario = (javafx.scene.control.ComboBox<io.edgedeck.console.rehearsal.RehearsalViewModel.ScenarioChoice>)
                    console.scene().lookup("#rehearsal-scenario");
            var seed = (javafx.scene.control.TextField) console.scene().lookup("#rehearsal-seed");
            Label state = (Label) console.scene().lookup("#rehearsal-state");
            return new Object[]{before, scenario == null ? null : scenario.getValue().name(), seed == null ? null : seed.getText(),
                    state == null ? null : state.getText(), model.stateProperty().get()};
        }).get(5, TimeUnit.SECONDS);
        assertNull(read[0], "the Rehearsal view is not in the scene before its tab is selected");
        assertEquals("jitter-storm", read[1]);
        assertEquals("42", read[2]);
        assertFalse(((String) read[4]).isEmpty());
        assertEquals(read[4], read[3], "the state line shows the model's state at once");
    }
}
