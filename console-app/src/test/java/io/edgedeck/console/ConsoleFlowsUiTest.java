package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.themes.Theme;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.controlsfx.control.ToggleSwitch;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flag switch and the hold-to-confirm rollback, driven through the real window against the real engine. */
@ExtendWith(ApplicationExtension.class)
class ConsoleFlowsUiTest {
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        console = TestConsoles.show(stage, "steady-show", 11L, 20);
    }

    @AfterEach
    void close(FxRobot robot) {
        // A test that fails while holding a button must not leave it held: the robot's pressed buttons and keys
        // outlive the test, and the next UI test in this JVM would get a press nobody made.
        robot.release(new MouseButton[0]);
        robot.release(new javafx.scene.input.KeyCode[0]);
        robot.interact(() -> console.dispose());
    }

    private EdgeConnection connection() {
        return console.session().connection();
    }

    private static VariantMetrics variant(MetricsFrame f, String name) {
        return f.variants().stream().filter(v -> v.flag().equals("checkout-button") && v.variant().equals(name))
                .findFirst().orElseThrow();
    }

    /** On the Flags tab, once the switch shows the flag on, a click on it: the prompt for the switch-off opens. */
    private void askToSwitchOff(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> robot.lookup("#switch-checkout-button")
                .tryQueryAs(ToggleSwitch.class).map(ToggleSwitch::isSelected).orElse(false)));
        robot.clickOn(FxLookup.query(robot, "#switch-checkout-button .thumb-area", Node.class));
    }

    @Test
    void switchingAFlagOffMovesTheAudienceToControl(FxRobot robot) throws Exception {
        askToSwitchOff(robot);

        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#prompt-reason"));
        String reason = FxLookup.query(robot, "#prompt-reason", TextField.class).getText();
        assertEquals("rehearsal: switch off checkout-button", reason);
        assertTrue(FxLookup.query(robot, "#switch-checkout-button", ToggleSwitch.class).isSelected(),
                "the switch shows what the edge serves until the change is confirmed");
        robot.clickOn("#prompt-confirm");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> connection().flags().get().getFirst().variants()
                .equals(List.of(new VariantView("control", 10_000), new VariantView("treatment", 0))));
        // Once every PoP runs the new version, new sessions only ever see control.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            FlagView f = connection().latestFrame().orElseThrow().flags().getFirst();
            return f.version() >= 2 && f.popsAcknowledged() == f.popsTotal();
        });
        MetricsFrame before = connection().latestFrame().orElseThrow();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> variant(connection().latestFrame().orElseThrow(), "control")
                .exposures() >= variant(before, "control").exposures() + 20);
        MetricsFrame after = connection().latestFrame().orElseThrow();
        assertEquals(variant(before, "treatment").exposures(), variant(after, "treatment").exposures(),
                "no new exposures of treatment after it was switched off");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () ->
                !FxLookup.query(robot, "#switch-checkout-button", ToggleSwitch.class).isSelected());
    }

    /**
     * A reason a node would refuse (longer than it takes, or holding a control character) is refused in the
     * prompt, said in words naming the field, before anything is sent.
     */
    @Test
    void aReasonTheNodeWouldRefuseIsRefusedBeforeItIsSent(FxRobot robot) throws Exception {
        askToSwitchOff(robot);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#prompt-reason"));
        Label length = FxLookup.query(robot, "#prompt-reason-length", Label.class);
        assertFalse(FxLookup.onFx(length::isVisible), "nothing said while the reason is short");

        TextField reason = FxLookup.query(robot, "#prompt-reason", TextField.class);
        robot.interact(() -> reason.setText("x".repeat(950)));
        assertEquals("950 of 1,000 characters", FxLookup.onFx(length::getText));
        assertFalse(FxLookup.query(robot, "#prompt-confirm", Button.class).isDisabled());

        robot.interact(() -> reason.setText("y".repeat(1_012)));
        assertTrue(FxLookup.onFx(length::isVisible));
        assertEquals("1,012 characters: 12 over the 1,000 a node takes. Shorten the reason to confirm.",
                FxLookup.onFx(length::getText));
        assertTrue(FxLookup.onFx(() -> length.getStyleClass().contains("status-bad")), "said in the colour of a problem");
        assertTrue(FxLookup.query(robot, "#prompt-confirm", Button.class).isDisabled(), "nothing can be sent");

        // a right-to-left mark pasted with a line from a chat: the node would refuse it, so the prompt does, naming the field
        robot.interact(() -> reason.setText("viewers in \u202Bchat\u202C complain"));
        assertEquals("Reason: character 12 is U+202B, a control character (a line break, or a mark that turns or hides text)"
                + " a node refuses. Take it out to confirm.", FxLookup.onFx(length::getText));
        assertTrue(FxLookup.onFx(() -> length.getStyleClass().contains("status-bad")), "said in the colour of a problem");
        assertTrue(FxLookup.query(robot, "#prompt-confirm", Button.class).isDisabled(), "nothing can be sent");
        robot.interact(() -> reason.setText("viewers in chat complain 🎬"));
        assertFalse(FxLookup.onFx(length::isVisible), "an emoji is text like any other");
        assertFalse(FxLookup.query(robot, "#prompt-confirm", Button.class).isDisabled());
        long version = connection().flags().get().getFirst().version();
        robot.clickOn("#prompt-cancel");
        assertEquals(version, connection().flags().get().getFirst().version(), "nothing changed");
    }

    @Test
    void aRollbackNeedsTheHoldAndLandsInTheAuditLog(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> console.guardrails().viewModel().targetProperty().get() != null);
        robot.clickOn("#banner-rollback");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#prompt-confirm"));

        // A click is not a hold: nothing happens, the confirmation stays.
        robot.clickOn("#prompt-confirm");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(FxLookup.present(robot, "#prompt"));
        assertTrue(connection().latestFrame().orElseThrow().firings().isEmpty());

        robot.moveTo("#prompt-confirm").press(MouseButton.PRIMARY);
        try {
            // looked up on the FX thread: the overlay leaves the scene while the lookup walks it
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    () -> !FxLookup.present(robot, "#prompt")).get(5, TimeUnit.SECONDS));
        } finally {
            robot.release(MouseButton.PRIMARY);
        }
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !connection().latestFrame().orElseThrow().firings().isEmpty());

        robot.interact(() -> console.showTab("flags"));
        @SuppressWarnings("unchecked")
        TableView<AuditEntry> audit = FxLookup.query(robot, "#audit-table", TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> audit.getItems().stream()
                .anyMatch(e -> e.action().equals("flag.rollback") && e.reason().contains("roll back checkout-button/treatment by hand")));
        AuditEntry entry = audit.getItems().stream().filter(e -> e.action().equals("flag.rollback")).findFirst().orElseThrow();
        assertEquals(console.settings().operatorProperty().get(), entry.actor());
        assertTrue(entry.after().contains("treatment=0%"), entry.after());

        // Rolled back: nothing is left to roll back, so neither button offers to, and the tab says why.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !FxLookup.query(robot, "#banner-rollback", javafx.scene.Node.class).isVisible());
        robot.interact(() -> console.showTab("guardrails"));
        assertTrue(FxLookup.query(robot, "#rollback-button", Button.class).isDisabled());
        assertEquals("Nothing to roll back until it serves someone again",
                FxLookup.onFx(() -> FxLookup.query(robot, "#rollback-hint", Label.class).getText()));
    }

    @Test
    void lettingGoEarlyCancelsTheHold(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> console.guardrails().viewModel().targetProperty().get() != null);
        robot.press(io.edgedeck.console.ShortcutKeys.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.R)
                .release(javafx.scene.input.KeyCode.R, javafx.scene.input.KeyCode.SHIFT, io.edgedeck.console.ShortcutKeys.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#prompt-confirm"));
        // Let go in the very pulse that moves the fill past a tenth: the fill moves only on the FX thread's pulses, so
        // the hold cannot complete between the look and the letting go. A look from this thread could: on a loaded
        // machine this thread can sleep through the whole 1.2 s hold between two looks, and the rollback went out.
        java.util.concurrent.atomic.AtomicReference<Double> letGoAt = new java.util.concurrent.atomic.AtomicReference<>();
        WaitForAsyncUtils.asyncFx(() -> {
            ProgressBar fill = FxLookup.query(robot, "#prompt-progress", ProgressBar.class);
            Button confirm = FxLookup.query(robot, "#prompt-confirm", Button.class);
            fill.progressProperty().addListener((obs, was, now) -> {
                double filled = now.doubleValue();
                if (letGoAt.get() == null && filled > 0.1 && filled < 1) {
                    letGoAt.set(filled);
                    confirm.disarm();
                }
            });
        }).get(5, TimeUnit.SECONDS);
        robot.moveTo("#prompt-confirm").press(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> letGoAt.get() != null);
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, FxLookup.query(robot, "#prompt-progress", ProgressBar.class).getProgress());
        assertTrue(FxLookup.present(robot, "#prompt"));
        robot.clickOn("#prompt-cancel");
        assertFalse(FxLookup.present(robot, "#prompt"));
        assertTrue(connection().latestFrame().orElseThrow().firings().isEmpty());
    }

    @Test
    void helpListsTheShortcutsAndTheThemeCycles(FxRobot robot) throws Exception {
        robot.press(javafx.scene.input.KeyCode.F1).release(javafx.scene.input.KeyCode.F1);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#help-overlay"));
        String help = robot.lookup("#help-overlay .label").queryAllAs(javafx.scene.control.Label.class).stream()
                .map(javafx.scene.control.Label::getText).reduce("", (a, b) -> a + "\n" + b);
        for (String expected : List.of("Roll back", "Kill the selected flag", "Pause or resume", "Next theme", "Esc")) {
            assertTrue(help.contains(expected), expected + " in " + help);
        }
        robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !FxLookup.present(robot, "#help-overlay"));

        robot.press(ShortcutKeys.CONTROL, javafx.scene.input.KeyCode.T).release(javafx.scene.input.KeyCode.T, ShortcutKeys.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Theme.LIGHT, console.settings().themeProperty().get());
        assertEquals(Theme.LIGHT.tokenSheetUrl(), console.scene().getStylesheets().getFirst());
    }
}
