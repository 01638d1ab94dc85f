package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.connection.Connections;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rehearsal played to its end offers neither a rollback nor a Stop, and says why. */
@ExtendWith(ApplicationExtension.class)
class FinishedShowUiTest {

    @Test
    void aFinishedRehearsalOffersNoRollBackAndNoStop(FxRobot robot, @TempDir Path dir) throws Exception {
        Path scenario = Files.writeString(dir.resolve("short-show.json"), TestConsoles.shortShow("short-show", 20));
        EdgeConnection connection = Connections.rehearse(scenario.toString(), 7L, 0);
        Console[] console = new Console[1];
        robot.interact(() -> console[0] = TestConsoles.show(new Stage(), connection));
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> connection.latestFrame()
                    .map(f -> f.state() == ShowState.FINISHED).orElse(false));
            robot.interact(() -> console[0].showTab("rehearsal"));
            Button rollback = robot.lookup("#banner-rollback").queryButton();
            Button stop = robot.lookup("#rehearsal-stop").queryButton();
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> stop.isDisabled() && !rollback.isVisible());
            assertTrue(robot.lookup("#rehearsal-ended").queryAs(Label.class).isVisible(), "the reason beside the disabled Stop");
            assertEquals("The show has ended: Start runs it again.", robot.lookup("#rehearsal-ended").queryAs(Label.class).getText());
            assertFalse(robot.lookup("#rehearsal-start").queryButton().isDisabled(), "Start runs it again");

            robot.interact(() -> console[0].showTab("guardrails"));
            assertTrue(robot.lookup("#rollback-button").queryButton().isDisabled());
            assertEquals("Nothing to roll back: the show has ended", robot.lookup("#rollback-hint").queryAs(Label.class).getText());
        } finally {
            robot.interact(() -> TestConsoles.close(console[0], connection));
        }
    }
}
