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

    /** Three PoPs, one flag with a serving treatment, 20 s long: played at max it ends within a second. */
    private static final String SHORT_SHOW = """
            {"name": "short-show", "seed": 7, "durationSeconds": 20,
             "pops": [{"id": "fra", "region": "eu", "capacityRps": 400, "latency": {"baseMs": 18, "distribution": "normal"}},
                      {"id": "ams", "region": "eu", "capacityRps": 400, "latency": {"baseMs": 16, "distribution": "normal"}},
                      {"id": "iad", "region": "na", "capacityRps": 400, "latency": {"baseMs": 22, "distribution": "normal"}}],
             "regions": [{"id": "eu", "share": 0.5, "pops": ["fra", "ams"]}, {"id": "na", "share": 0.5, "pops": ["iad"]}],
             "audience": {"stages": [{"durationSeconds": 10, "target": 50}], "startRate": 10,
                          "session": {"meanDwellSeconds": 60, "viewsPerMinute": 6, "hoversPerMinute": 3, "clicksPerMinute": 1,
                                      "chatPerMinute": 0.5, "addToCartProbability": 0.1, "checkoutProbability": 0.5},
                          "chat": {"positive": 0.5, "neutral": 0.35, "negative": 0.15}},
             "flags": [{"key": "checkout-button", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control", "scope": "global"}]}
            """;

    @Test
    void aFinishedRehearsalOffersNoRollBackAndNoStop(FxRobot robot, @TempDir Path dir) throws Exception {
        Path scenario = Files.writeString(dir.resolve("short-show.json"), SHORT_SHOW);
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
