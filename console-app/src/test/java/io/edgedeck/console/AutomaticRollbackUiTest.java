package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.timeline.TimelineViewModel;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sentiment-crash at 20x: the treatment's chat sours at 300 s and the armed guardrail rolls it back
 * some 15 s later, about sixteen seconds of wall time into the test. The show plays from the moment
 * the connection opens, and a firing that lands before the console first sees a frame is shown on
 * the tiles but is not news (no notification), so the rollback must come well after the window is up
 * (building it takes several seconds on a busy machine).
 */
@ExtendWith(ApplicationExtension.class)
class AutomaticRollbackUiTest {
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        console = TestConsoles.show(stage, "sentiment-crash", null, 20);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> console.dispose());
    }

    @Test
    void theGuardrailsRollbackPopsANotificationMarksTheVariantTileAndTheTimeline(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("timeline"));
        WaitForAsyncUtils.waitFor(40, TimeUnit.SECONDS, () -> FxLookup.present(robot, ".notification-bar"));
        String text = robot.lookup(".notification-bar").lookup((java.util.function.Predicate<javafx.scene.Node>) n -> n instanceof Labeled).queryAllAs(Labeled.class).stream()
                .map(Labeled::getText).filter(t -> t != null).collect(Collectors.joining(" | "));
        assertTrue(text.contains("offer-banner / treatment rolled back at 05:"), text);
        assertTrue(text.contains("by sentiment-guard (automatic): since 0") && text.contains("sentiment change -"),
                "the notification gives the values: " + text);

        // The variant's tile says so until the operator acknowledges it; the status bar opens the notification again.
        var treatment = console.dashboard().viewModel().showTiles().conversion().tile("offer-banner", "treatment");
        // The tile takes the firing from the next frame tick, which may land just after the notification.
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> treatment.actionProperty().get().startsWith("rolled back at"));
        assertTrue(treatment.actionProperty().get().startsWith("rolled back at 05:"), treatment.actionProperty().get());
        robot.interact(() -> robot.listWindows().stream().filter(w -> w instanceof javafx.stage.PopupWindow)
                .toList().forEach(javafx.stage.Window::hide));
        javafx.scene.control.Button reopen = FxLookup.query(robot, "#edge-actions", javafx.scene.control.Button.class);
        assertTrue(reopen.getText().contains("1 new"), reopen.getText());
        robot.interact(reopen::fire);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, ".notification-bar"));
        robot.interact(() -> console.dashboard().viewModel().showTiles().conversion().acknowledge(treatment));
        assertEquals("", treatment.actionProperty().get());
        assertFalse(reopen.getText().contains("new"), reopen.getText());

        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> console.timeline().viewModel().marks().stream()
                .anyMatch(m -> m.kind() == TimelineViewModel.MarkKind.ROLLBACK));
        TimelineViewModel.Mark mark = console.timeline().viewModel().marks().stream()
                .filter(m -> m.kind() == TimelineViewModel.MarkKind.ROLLBACK && m.automatic()).findFirst().orElseThrow();
        assertTrue(mark.atMillis() > 300_000 && mark.atMillis() < 400_000, "fired after the 300 s shift: " + mark);
        assertTrue(mark.label().contains("sentiment-guard"), mark.label());
        @SuppressWarnings("unchecked")
        TableView<TimelineViewModel.Mark> marks = FxLookup.query(robot, "#timeline-marks", TableView.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> marks.getItems().contains(mark));
    }
}
