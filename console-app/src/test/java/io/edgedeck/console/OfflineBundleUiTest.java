package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.console.common.Status;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.bundle.BundleConnection;
import io.edgedeck.simulator.bundle.ShowBundle;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.themes.Theme;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A diagnostic bundle opened offline: its own banner, and nothing on any tab that would change an edge. */
@ExtendWith(ApplicationExtension.class)
class OfflineBundleUiTest {
    private Console console;

    @Start
    void start(Stage stage) {
        var scenario = ScenarioCatalog.load("sentiment-crash");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (show.core().nowMillis() < 400_000) {
            show.step();
        }
        BundleConnection bundle = new BundleConnection(ShowBundle.capture(show, "test"), "crash.zip");
        console = Console.create(bundle, Theme.DARK);
        stage.setScene(console.scene());
        stage.setWidth(1000);
        stage.setHeight(800);
        stage.show();
        console.ticker().start();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> console.dispose());
    }

    @Test
    void theBannerSaysOfflineBundleAndNoActionCanChangeAnEdge(FxRobot robot) throws Exception {
        assertEquals(ConnectionMode.OFFLINE, console.session().mode());
        assertEquals("OFFLINE BUNDLE", FxLookup.query(robot, "#mode-name", Label.class).getText());
        assertTrue(FxLookup.query(robot, "#mode-read-only", Label.class).getText().contains("nothing changes an edge"));
        assertTrue(console.window().getStyleClass().contains("offline"));
        // A snapshot, which nothing resumes: not "paused".
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.dashboard().viewModel().clockProperty().get().contains("snapshot"));
        assertEquals("sentiment-crash · snapshot at 06:40 of 15:00", FxLookup.query(robot, "#show-clock", Label.class).getText());
        WaitForAsyncUtils.waitForFxEvents();
        Label readOnly = FxLookup.query(robot, "#mode-read-only", Label.class);
        assertTrue(!readOnly.isTextTruncated(), "the banner cuts what a bundle is short: " + readOnly.getWidth() + " px wide");
        assertTrue(!FxLookup.present(robot, "#banner-rollback"), "no Roll back button in the banner");
        assertTrue(console.features().stream().noneMatch(f -> f.title().equals("Rehearsal")), "no Rehearsal tab");

        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !console.flags().viewModel().rows().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!FxLookup.present(robot, "#switch-offer-banner"), "no flag switch");
        assertTrue(!FxLookup.present(robot, "#kill-offer-banner"), "no kill button");
        assertTrue(robot.lookup(".button").queryAllAs(Button.class).stream().noneMatch(b -> b.isVisible()
                && b.getText() != null && b.getText().startsWith("Weights")), "no weights editor");

        // An audit reason too long for its cell is cut with "…", and is whole in the cell's tooltip.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !console.flags().viewModel().audit().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        var cut = WaitForAsyncUtils.asyncFx(() -> robot.from(console.scene().getRoot()).lookup("#audit-table")
                .lookup(".table-cell").queryAllAs(javafx.scene.control.TableCell.class).stream()
                .filter(c -> c.getText() != null && c.getText().startsWith("guardrail sentiment-guard:") && c.isTextTruncated())
                .findFirst().orElseThrow()).get(5, TimeUnit.SECONDS);
        assertEquals(cut.getText(), cut.getTooltip().getText());
        assertTrue(cut.getText().contains("conversion lift "), cut.getText());

        robot.interact(() -> console.showTab("guardrails"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!FxLookup.present(robot, "#rollback-button"), "no ROLL BACK");
        assertTrue(robot.lookup("#arm-sentiment-guard").tryQuery().map(n -> !n.isVisible()).orElse(true), "no Arm/Disarm");

        var accelerators = console.scene().getAccelerators().keySet();
        assertFalse(accelerators.contains(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN)),
                "no rollback shortcut");
        assertFalse(accelerators.contains(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN)),
                "no kill shortcut");

        // The numbers are the show as it stood then, in the colours they had, not greyed as a dropped connection.
        robot.interact(() -> console.ticker().tick());
        var fra = console.dashboard().viewModel().tile("fra");
        assertTrue(fra != null && fra.statusProperty().get() != Status.STALE, "fra keeps its colour");
    }
}
