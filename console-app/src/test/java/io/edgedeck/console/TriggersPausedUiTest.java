package io.edgedeck.console;

import io.edgedeck.console.settings.SettingsStore;
import io.edgedeck.console.triggers.TriggersFeature;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A rehearsal held at its --exit-after minute, on the Triggers tab: the audit shown is of the held moment, the one the
 * clock in the banner shows, not of the tab's last question before the show stopped (up to a poll, 40 s of show at
 * 20x, behind it).
 */
@ExtendWith(ApplicationExtension.class)
class TriggersPausedUiTest {

    @Test
    void heldTheTriggersTabShowsTheMomentTheClockShows(FxRobot robot, @TempDir Path dir) throws Exception {
        EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", "steady-show", "--tab", "triggers",
                "--speed", "20", "--exit-after", "3", "--screenshot", dir.resolve("t.png").toString())),
                new SettingsStore(dir.resolve("settings")));
        app.printTo(line -> { });
        CompletableFuture<String> seen = new CompletableFuture<>();
        app.onEnding(end -> {
            var triggers = (TriggersFeature) app.console().features().stream()
                    .filter(f -> f instanceof TriggersFeature).findFirst().orElseThrow();
            String summary = triggers.model().summaryProperty().get();
            seen.complete(app.console().dashboard().viewModel().clockProperty().get() + " | "
                    + summary.substring(summary.indexOf(" in ") + 1, summary.indexOf(" of show") + 8));
        });
        robot.interact(() -> app.start(new Stage()));
        // 3 s at 20x: the show holds at 1:00, and so does the audit.
        assertEquals("steady-show · 01:00 / 15:00 · paused | in 1:00 of show", seen.get(60, TimeUnit.SECONDS));
    }
}
