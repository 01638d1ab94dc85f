package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.console.Console;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.simulator.bundle.BundleReader;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real console, on the headless platform, rehearsing the jitter storm fast. */
@ExtendWith(ApplicationExtension.class)
class JitterUiTest {
    private EdgeConnection connection;
    private Console console;

    @Start
    void start(Stage stage) throws Exception {
        connection = Connections.open(ConsoleOptions.parse(List.of("--rehearsal", "jitter-storm", "--speed", "100")));
        console = TestConsoles.show(stage, connection);
    }

    @AfterEach
    void close() {
        TestConsoles.close(console, connection);
    }

    @Test
    @SuppressWarnings("unchecked")
    void fraRanksFirstAndItsOnsetIsTheStormsStart(FxRobot robot, @TempDir Path dir) throws Exception {
        // Other UI tests' consoles have Jitter tabs too: look only inside this test's own window.
        robot.interact(() -> console.showTab("jitter"));
        JitterViewModel vm = console.jitter().viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            var p = vm.pictureProperty().get();
            return p != null && p.toSecond() > 300;
        });
        // The FX thread sets the picture and then, in the same pass, the table and the labels: wait
        // for it to finish, and read them on it.
        WaitForAsyncUtils.waitForFxEvents();
        var read = WaitForAsyncUtils.asyncFx(() -> {
            TableView<JitterViewModel.PopRow> table = robot.from(console.scene().getRoot()).lookup("#jitter-ranking").queryAs(TableView.class);
            return new Object[]{table.getItems().getFirst(),
                    robot.from(console.scene().getRoot()).lookup("#jitter-headline").queryAs(Label.class).getText(),
                    robot.from(console.scene().getRoot()).lookup("#jitter-cause").queryAs(Label.class).getText()};
        }).get(5, TimeUnit.SECONDS);
        JitterViewModel.PopRow first = (JitterViewModel.PopRow) read[0];
        String headline = (String) read[1];
        String cause = (String) read[2];
        assertEquals("fra", first.pop());
        assertTrue(first.onsetSecond() >= 237 && first.onsetSecond() <= 245, "onset at " + first.onsetSecond());
        assertTrue(headline.startsWith("fra: jitter first over 15 ms at 4:0"), headline);
        assertTrue(cause.contains("jitter storm +45 ms at fra"), cause);

        // Export, then read the bundle back as a fresh console would: the same PoP and onset.
        Path zip = dir.resolve("fra.zip");
        var export = WaitForAsyncUtils.asyncFx(() -> console.jitter().exportTo(zip)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> export.isDone());
        assertEquals(zip, export.get());
        var bundle = BundleReader.read(zip);
        assertTrue(bundle.snapshots().containsKey("jitter.png"));

        // Open bundle…: a window of its own with the same view, reading from the bundle.
        var opened = WaitForAsyncUtils.asyncFx(() -> console.jitter().open(zip)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> opened.isDone());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> bundleWindowRanking(robot) != null
                && !bundleWindowRanking(robot).getItems().isEmpty());
        JitterViewModel.PopRow reopened = bundleWindowRanking(robot).getItems().getFirst();
        assertEquals("fra", reopened.pop());
        assertEquals(first.onsetSecond(), reopened.onsetSecond());
        robot.interact(() -> robot.listWindows().stream().filter(w -> w.getScene() != null
                && w.getScene() != console.scene()).toList().forEach(javafx.stage.Window::hide));
    }

    @Test
    void aDamagedBundleIsReportedNotOpened(FxRobot robot, @TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.zip");
        java.nio.file.Files.writeString(junk, "not a zip");
        robot.interact(() -> console.showTab("jitter"));
        int windowsBefore = robot.listWindows().size();
        var opened = WaitForAsyncUtils.asyncFx(() -> console.jitter().open(junk)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> opened.isDone());
        WaitForAsyncUtils.waitForFxEvents();
        Label status = robot.from(console.scene().getRoot()).lookup("#jitter-export-status").queryAs(Label.class);
        assertTrue(status.getText().startsWith("Failed: junk.zip is not a zip archive, or it is truncated"), status.getText());
        assertEquals(windowsBefore, robot.listWindows().size(), "no window opens for a bundle that cannot be read");
    }

    private TableView<JitterViewModel.PopRow> bundleWindowRanking(FxRobot robot) {
        return bundleWindowRanking(robot, console);
    }

    /** The ranking of the bundle window another console opened, or null while there is none. */
    @SuppressWarnings("unchecked")
    static TableView<JitterViewModel.PopRow> bundleWindowRanking(FxRobot robot, Console console) {
        return robot.listWindows().stream().filter(w -> w.getScene() != null && w.getScene() != console.scene())
                .map(w -> (TableView<JitterViewModel.PopRow>) w.getScene().lookup("#jitter-ranking"))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
