package io.edgedeck.console;

import io.edgedeck.console.settings.SettingsStore;
import io.edgedeck.themes.Theme;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two runs of the console, one after the other, on one settings directory, as two starts of the
 * program would be: the second opens on the first one's scenario, theme and window.
 */
@ExtendWith(ApplicationExtension.class)
class SettingsRememberedUiTest {

    @Test
    void theSecondStartRemembersTheFirstOnesScenarioThemeAndWindow(FxRobot robot, @TempDir Path dir) throws Exception {
        SettingsStore store = new SettingsStore(dir);
        assertFalse(store.exists());

        EdgeDeckApp first = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", "viral-surge", "--theme", "light")), store);
        Stage[] firstStage = new Stage[1];
        robot.interact(() -> {
            firstStage[0] = new Stage();
            first.start(firstStage[0]);
        });
        // What the command line chose is written at start, before anything else changes.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, store::exists);
        assertEquals("viral-surge", store.load().data().lastScenario());
        // Within the headless platform's 1000-pixel screen: a window remembered larger than its screen opens fitted to it.
        robot.interact(() -> {
            firstStage[0].setWidth(960);
            firstStage[0].setHeight(900);
            firstStage[0].setX(33);
            firstStage[0].setY(44);
        });
        var written = WaitForAsyncUtils.asyncFx(first::stop).get(10, TimeUnit.SECONDS);
        written.get(10, TimeUnit.SECONDS);

        EdgeDeckApp second = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of()), store);
        assertEquals("viral-surge", second.options().scenario(), "no --rehearsal: the show rehearsed last");
        Stage[] secondStage = new Stage[1];
        robot.interact(() -> {
            secondStage[0] = new Stage();
            second.start(secondStage[0]);
        });
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> second.console().session().connection().latestFrame()
                    .map(f -> f.scenario().equals("viral-surge")).orElse(false));
            Console console = second.console();
            assertEquals(Theme.LIGHT, console.settings().themeProperty().get());
            assertTrue(console.scene().getStylesheets().contains(Theme.LIGHT.tokenSheetUrl()), console.scene().getStylesheets().toString());
            assertEquals(960, secondStage[0].getWidth(), 0.5);
            assertEquals(900, secondStage[0].getHeight(), 0.5);
            assertEquals(33, secondStage[0].getX(), 0.5);
            assertEquals(44, secondStage[0].getY(), 0.5);
        } finally {
            WaitForAsyncUtils.asyncFx(second::stop).get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
        assertEquals("light", store.load().data().theme());
    }
}
