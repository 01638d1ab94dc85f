package io.edgedeck.console;

import io.edgedeck.console.settings.SettingsStore;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A screenshot or bundle the command line asks for that cannot be written is refused, or named with a non-zero exit. */
@ExtendWith(ApplicationExtension.class)
class ExitAfterOutputsUiTest {

    @Test
    void anOutputInAPlaceNoFileCanBeMadeIsRefusedBeforeTheShowStarts(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
        var e = assertThrows(EdgeDeckApp.StartupException.class, () -> EdgeDeckApp.prepare(ConsoleOptions.parse(List.of(
                "--exit-after", "2", "--screenshot", notAFolder.resolve("x.png").toString())), new SettingsStore(dir)));
        assertEquals("--screenshot " + notAFolder.resolve("x.png") + ": cannot be written: " + notAFolder + " is not a folder",
                e.getMessage());
        var bundle = assertThrows(EdgeDeckApp.StartupException.class, () -> EdgeDeckApp.prepare(ConsoleOptions.parse(List.of(
                "--exit-after", "2", "--export-bundle", dir.toString())), new SettingsStore(dir)));
        assertEquals("--export-bundle " + dir + ": cannot be written: it is a folder", bundle.getMessage());
        assertEquals(List.of("notes.txt"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "no probe left behind");
    }

    @Test
    void anOutputThatCannotBeWrittenAtExitAfterIsOneLineAndStatus3(FxRobot robot, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path shot = out.resolve("x.png");
        Path bundle = out.resolve("y.zip");
        EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", "steady-show", "--exit-after", "0.3",
                "--screenshot", shot.toString(), "--export-bundle", bundle.toString())), new SettingsStore(dir.resolve("settings")));
        // Between the check at start and --exit-after, the folder became a file.
        Files.writeString(out, "in the way");
        CompletableFuture<EdgeDeckApp.Ending> ended = new CompletableFuture<>();
        app.onEnding(ended::complete);
        robot.interact(() -> app.start(new Stage()));
        EdgeDeckApp.Ending end = ended.get(30, TimeUnit.SECONDS);
        assertEquals(EdgeDeckApp.OUTPUT_NOT_WRITTEN, end.status());
        assertEquals(2, end.problems().size(), end.problems().toString());
        assertTrue(end.problems().get(0).startsWith("could not write --export-bundle " + bundle + ": "), end.problems().toString());
        assertTrue(end.problems().get(1).startsWith("could not write --screenshot " + shot + ": "), end.problems().toString());
        for (String problem : end.problems()) {
            assertFalse(problem.contains("\n") || problem.contains("partial") || problem.contains("Exception"), problem);
        }
        end.settingsWritten().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRehearsalThatCannotReachItsMinuteIsWrittenWhereItGotAndSaysSo(FxRobot robot, @TempDir Path dir) throws Exception {
        Path shot = dir.resolve("x.png");
        // 10 minutes of show at 1x cannot be reached in the bound this test sets: a stall, as far as a script can tell
        EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", "steady-show", "--speed", "1",
                "--exit-after", "600", "--screenshot", shot.toString())), new SettingsStore(dir.resolve("settings")));
        app.stallBackstopSeconds(1);
        CompletableFuture<EdgeDeckApp.Ending> ended = new CompletableFuture<>();
        app.onEnding(ended::complete);
        robot.interact(() -> app.start(new Stage()));
        EdgeDeckApp.Ending end = ended.get(30, TimeUnit.SECONDS);
        assertEquals(EdgeDeckApp.OUTPUT_NOT_WRITTEN, end.status(), end.problems().toString());
        assertEquals(1, end.problems().size(), end.problems().toString());
        assertTrue(end.problems().getFirst().matches("--exit-after 600(\\.0)? at --speed 1(\\.0)?: the show reached only 00:0\\d of 10:00 in 1 s;"
                + " the files show it there"), end.problems().toString());
        assertTrue(Files.size(shot) > 0, "the screenshot is written where the show got to");
        end.settingsWritten().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRehearsalHoldsItsMinuteAndTheScreenshotAndTheBundleAreAllOfIt(FxRobot robot, @TempDir Path dir) throws Exception {
        Path shot = dir.resolve("s.png");
        Path zip = dir.resolve("b.zip");
        EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", "jitter-storm", "--tab", "jitter",
                "--speed", "20", "--exit-after", "1", "--export-bundle", zip.toString(), "--screenshot", shot.toString())),
                new SettingsStore(dir.resolve("settings")));
        List<String> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
        app.printTo(printed::add);
        CompletableFuture<String> seen = new CompletableFuture<>();
        app.onEnding(end -> {
            var frame = app.console().session().connection().latestFrame().orElseThrow();
            var picture = app.console().jitter().viewModel().pictureProperty().get();
            seen.complete(end.status() + " " + frame.state() + " " + frame.engineMillis() + " "
                    + app.console().dashboard().viewModel().clockProperty().get() + " picture to " + picture.toSecond()
                    + " behind '" + app.console().jitter().viewModel().behindProperty().get() + "'");
        });
        robot.interact(() -> app.start(new Stage()));
        // 1 s at 20x: the show holds at exactly 0:20, and the window and the Jitter tab show that second.
        assertEquals("0 PAUSED 20000 jitter-storm · 00:20 / 15:00 · paused picture to 20 behind ''", seen.get(60, TimeUnit.SECONDS));
        // What the Export button would say of a whole bundle, then the screenshot.
        assertEquals(List.of("Bundle written to " + zip.toAbsolutePath() + ". Attach it to the support ticket; it opens offline"
                + " with ./edgedeck --bundle " + zip.toAbsolutePath() + ".", "Wrote " + shot.toAbsolutePath()), printed);
        var bundle = io.edgedeck.simulator.bundle.BundleReader.read(zip);
        assertEquals(20000, bundle.manifest().engineMillis(), "the bundle is of the held second");
        assertEquals(20000, bundle.frame().engineMillis());
        // The screenshot and the bundle's picture of the window are one moment: the same pixels.
        var window = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bundle.snapshots().get("window.png")));
        var screenshot = javax.imageio.ImageIO.read(shot.toFile());
        assertEquals(window.getWidth(), screenshot.getWidth());
        assertEquals(window.getHeight(), screenshot.getHeight());
        for (int y = 0; y < window.getHeight(); y++) {
            for (int x = 0; x < window.getWidth(); x++) {
                if (window.getRGB(x, y) != screenshot.getRGB(x, y)) {
                    org.junit.jupiter.api.Assertions.fail("the screenshot differs from the bundle's window.png at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aPartialBundleIsSaidSoOnTheCommandLineWithHowManyFilesAndStatus0(FxRobot robot, @TempDir Path dir) throws Exception {
        io.edgedeck.simulator.server.EdgeNode node = io.edgedeck.simulator.server.EdgeNode.start(
                new io.edgedeck.simulator.server.EdgeNode.Config(io.edgedeck.simulator.show.ShowDefinition.of(
                        io.edgedeck.simulator.scenario.ScenarioCatalog.resolve("steady-show")), 20,
                        java.net.InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))));
        try {
            Path zip = dir.resolve("p.zip");
            EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--connect", node.baseUri().toString(),
                    "--token-file", node.tokenFile().toString(), "--exit-after", "3", "--export-bundle", zip.toString())),
                    new SettingsStore(dir.resolve("settings")));
            List<String> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
            app.printTo(printed::add);
            CompletableFuture<EdgeDeckApp.Ending> ended = new CompletableFuture<>();
            app.onEnding(ended::complete);
            robot.interact(() -> app.start(new Stage()));
            // The node goes down once the console holds a frame: at --exit-after the bundle is made of what it holds.
            org.testfx.util.WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                    () -> app.console() != null && app.console().session().connection().latestFrame().isPresent());
            node.close();
            EdgeDeckApp.Ending end = ended.get(60, TimeUnit.SECONDS);
            assertEquals(0, end.status(), "a partial bundle is written: " + end.problems());
            var gaps = io.edgedeck.simulator.bundle.BundleReader.read(zip).manifest().partial();
            long held = gaps.stream().filter(g -> g.state().equals("partial")).count();
            assertEquals(List.of("PARTIAL bundle written to " + zip.toAbsolutePath() + ": " + gaps.size() + " files partial or missing ("
                    + held + " what the console held, " + (gaps.size() - held) + " left out), as the node could not be asked for them"
                    + " (README.txt says which and why). Attach it to the support ticket; it opens offline with ./edgedeck --bundle "
                    + zip.toAbsolutePath() + "."), printed);
            assertTrue(held > 0 && gaps.size() > held, gaps.toString());
            end.settingsWritten().get(10, TimeUnit.SECONDS);
        } finally {
            node.close();
        }
    }

    @Test
    void aRehearsalsExitAfterCountsOnTheShowsClockNotFromTheWindowOpening(FxRobot robot, @TempDir Path dir) throws Exception {
        EdgeDeckApp app = EdgeDeckApp.prepare(ConsoleOptions.parse(List.of("--rehearsal", "steady-show", "--speed", "20",
                "--exit-after", "1")), new SettingsStore(dir));
        // The show plays from here; the window opens later (a slow start of the toolkit), which must not move minute N.
        Thread.sleep(1000);
        CompletableFuture<String> clockAtEnd = new CompletableFuture<>();
        app.onEnding(end -> clockAtEnd.complete(app.console().dashboard().viewModel().clockProperty().get()));
        robot.interact(() -> app.start(new Stage()));
        String clock = clockAtEnd.get(30, TimeUnit.SECONDS);
        // 1 s at 20x: the show holds at 00:20.
        assertEquals("steady-show · 00:20 / 15:00 · paused", clock);
    }
}
