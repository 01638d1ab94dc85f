package io.edgedeck.console;

import io.edgedeck.client.model.ShowState;
import io.edgedeck.console.rehearsal.RehearsalViewModel;
import io.edgedeck.console.settings.SettingsStore;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal of a scenario file: the console sees it from 00:00 however slow its window is to open, and the
 * Rehearsal tab offers the file (never the built-in its scenario is named like) to start again.
 */
@ExtendWith(ApplicationExtension.class)
class RehearsalFromFileUiTest {

    @Test
    void aShowFromAFileIsSeenFromItsStartAndStartPlaysTheFileAgain(FxRobot robot, @TempDir Path dir) throws Exception {
        // Named like a built-in, but 30 s long where the built-in steady-show plays 15 minutes.
        Path file = Files.writeString(dir.resolve("collide.json"), TestConsoles.shortShow("steady-show", 30));
        EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", file.toString(), "--speed", "5")),
                new SettingsStore(dir.resolve("settings")));
        // The window is slow to open (a loaded machine): the show must not play meanwhile.
        Thread.sleep(400);
        robot.interact(() -> app.start(new Stage()));
        try {
            Console console = app.console();
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> console.timeline().viewModel().liveFromMillis() >= 0));
            assertEquals(0L, FxLookup.onFx(() -> console.timeline().viewModel().liveFromMillis()),
                    "the Timeline has the show from 00:00");
            // and the show plays once the window shows
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.session().connection().latestFrame()
                    .map(f -> f.engineMillis() > 0).orElse(false));

            RehearsalViewModel model = console.rehearsal().viewModel();
            RehearsalViewModel.ScenarioChoice chosen = FxLookup.onFx(() -> model.scenarioProperty().get());
            assertEquals(file.toString(), chosen.name(), "the file the show came from, not the built-in named like it");
            assertEquals("file: " + file, chosen.toString());
            assertTrue(chosen.description().contains("from the file " + file) && chosen.description().contains("three PoPs and one flag"),
                    chosen.description());
            assertTrue(model.scenarios().stream().anyMatch(c -> c.name().equals("steady-show") && c != chosen),
                    "the built-in is offered apart");

            var first = console.session().connection();
            robot.interact(model::start);
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.session().connection() != first);
            assertNotSame(first, console.session().connection());
            var again = console.session().connection().latestFrame().orElseThrow();
            assertEquals(30, again.durationSeconds(), "Start played the file again, not the 15-minute built-in");
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.session().connection().latestFrame()
                    .map(f -> f.state() != ShowState.PAUSED && f.engineMillis() > 0).orElse(false));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> console.timeline().viewModel().liveFromMillis() >= 0));
            assertEquals(0L, FxLookup.onFx(() -> console.timeline().viewModel().liveFromMillis()),
                    "the show started again is seen from 00:00 too");
        } finally {
            WaitForAsyncUtils.asyncFx(app::stop).get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }
}
