package io.edgedeck.console.jitter;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.ConsoleOptions;
import io.edgedeck.console.Console;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.simulator.bundle.BundleReader;
import javafx.scene.Node;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(headline.startsWith("FRA: jitter first held over 15 ms at 04:0"), headline);
        assertTrue(cause.contains("jitter storm +45 ms at FRA"), cause);
        JitterView view = onFx(() -> robot.from(console.scene().getRoot()).lookup("#jitter-view").queryAs(JitterView.class));
        assertReadAtAGlance(view.chart());

        // Export, then read the bundle back as a fresh console would: the same PoP and onset.
        Path zip = dir.resolve("fra.zip");
        var export = WaitForAsyncUtils.asyncFx(() -> console.jitter().exportTo(zip)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> export.isDone());
        assertEquals(zip, export.get());
        WaitForAsyncUtils.waitForFxEvents();
        Label said = robot.from(console.scene().getRoot()).lookup("#jitter-export-status").queryAs(Label.class);
        String where = zip.toAbsolutePath().toString();
        assertEquals("Bundle written to " + where + ". Attach it to the support ticket; it opens offline with"
                + " ./edgedeck --bundle " + where + ".", onFx(said::getText), "the whole path, and what to do with it");
        assertTrue(onFx(() -> said.getStyleClass().contains("status-ok")), "in green");
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
        // The reopened bundle's window is a little shorter: its chart too is marked in round numbers, its onset clear of the legends.
        JitterView reopenedView = onFx(() -> (JitterView) bundleWindowRanking(robot).getScene().lookup("#jitter-view"));
        assertReadAtAGlance(reopenedView.chart());
        robot.interact(() -> robot.listWindows().stream().filter(w -> w.getScene() != null
                && w.getScene() != console.scene()).toList().forEach(javafx.stage.Window::hide));
    }

    /**
     * The heatmap's latency scale in round numbers a producer reads across a room (1, 2, 3 or 5 times a power of ten,
     * written as such), from the foot up; the onset's red line drawn only inside the three panels, never through
     * the titles and legends in the gaps between them.
     */
    private static void assertReadAtAGlance(JitterChart chart) throws Exception {
        List<ChartAxes.ValueMark> marks = onFx(chart::heatmapMarks);
        assertTrue(marks.size() >= 2, "the heatmap's scale has " + marks);
        for (int i = 0; i < marks.size(); i++) {
            ChartAxes.ValueMark m = marks.get(i);
            double leading = m.value() / Math.pow(10, Math.floor(Math.log10(m.value()) + 1e-9));
            assertTrue(List.of(1.0, 2.0, 3.0, 5.0).stream().anyMatch(r -> Math.abs(r - leading) < 1e-6),
                    m.label() + " is not a round mark: " + marks);
            String[] said = m.label().split(" ");
            assertEquals(m.value(), Double.parseDouble(said[0]) * (said[1].equals("s") ? 1000 : 1), 1e-9, m.label());
            if (i > 0) {
                assertTrue(m.value() > marks.get(i - 1).value() && m.y() < marks.get(i - 1).y(), "from the foot up: " + marks);
            }
        }
        // The latency and jitter panels' grids in round steps too (1, 2 or 5 times a power of ten, never 25 or 75),
        // each label the value its line marks.
        for (List<ChartAxes.ValueMark> grid : List.of(onFx(chart::latencyScale), onFx(chart::jitterScale))) {
            assertTrue(grid.size() >= 3, "a grid of " + grid);
            double step = grid.get(1).value() - grid.getFirst().value();
            double leading = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertTrue(List.of(1.0, 2.0, 5.0).stream().anyMatch(r -> Math.abs(r - leading) < 1e-6), "steps of " + step + ": " + grid);
            for (int i = 0; i < grid.size(); i++) {
                ChartAxes.ValueMark line = grid.get(i);
                assertEquals(i * step, line.value(), step * 1e-9, "evenly from 0: " + grid);
                if (!line.label().isEmpty()) {
                    String[] said = line.label().split(" ");
                    assertEquals(line.value(), Double.parseDouble(said[0]) * (said[1].equals("s") ? 1000 : 1), 1e-9, line.label());
                }
            }
            assertFalse(grid.stream().allMatch(m -> m.label().isEmpty()), "the grid is labelled: " + grid);
        }
        List<double[]> panels = onFx(chart::panels);
        List<double[]> onset = onFx(chart::onsetLine);
        assertFalse(onset.isEmpty(), "the onset is drawn");
        for (double[] stretch : onset) {
            assertTrue(panels.stream().anyMatch(p -> stretch[0] >= p[0] && stretch[1] <= p[1]),
                    "the onset's line from " + stretch[0] + " to " + stretch[1] + " px leaves the panels, crossing a legend");
        }
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBundleThatCannotBeWrittenSaysWhereAndWhyInRed(FxRobot robot, @TempDir Path dir) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> connection.latestFrame().isPresent());
        Path notAFolder = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
        Path zip = notAFolder.resolve("bundle.zip");
        robot.interact(() -> console.showTab("jitter"));
        var export = WaitForAsyncUtils.asyncFx(() -> console.jitter().exportTo(zip)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, export::isDone);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(export.isCompletedExceptionally());
        Label said = robot.from(console.scene().getRoot()).lookup("#jitter-export-status").queryAs(Label.class);
        String text = onFx(said::getText);
        assertTrue(text.startsWith("Failed: ") && text.contains(notAFolder.toString()), text);
        assertTrue(onFx(() -> said.getStyleClass().contains("status-bad")), "in red");
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

    @Test
    @SuppressWarnings("unchecked")
    void theJitterTabIsBuiltWhenFirstShownWithTheModelsPictureAndTheFirstRankedPop(FxRobot robot) throws Exception {
        JitterViewModel vm = console.jitter().viewModel();
        // The model follows the show with the tab never shown: the storm at fra is found without a view.
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            var p = vm.pictureProperty().get();
            return p != null && p.toSecond() > 300;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Object[] read = WaitForAsyncUtils.asyncFx(() -> {
            boolean builtBefore = console.jitter().viewBuilt();
            Node lookedUpBefore = console.scene().lookup("#jitter-ranking");
            // Selecting the tab and reading it in one FX pass: no tick, no fetch in between.
            console.showTab("jitter");
            TableView<JitterViewModel.PopRow> table = (TableView<JitterViewModel.PopRow>) console.scene().lookup("#jitter-ranking");
            return new Object[]{builtBefore, lookedUpBefore, vm.pictureProperty().get(), List.copyOf(vm.ranking()),
                    table == null ? null : List.copyOf(table.getItems()),
                    table == null ? null : table.getSelectionModel().getSelectedItem(),
                    ((Label) console.scene().lookup("#jitter-headline")).getText(), vm.pinnedPopProperty().get(),
                    table == null ? null : table.getColumns().stream().map(JitterUiTest::header).toList()};
        }).get(5, TimeUnit.SECONDS);
        assertFalse((Boolean) read[0], "the Jitter view is not built before its tab is selected");
        assertNull(read[1], "nor is anything of it in the scene");
        JitterViewModel.Picture picture = (JitterViewModel.Picture) read[2];
        List<JitterViewModel.PopRow> ranking = (List<JitterViewModel.PopRow>) read[3];
        assertEquals(ranking, read[4], "the table shows the model's ranking at once");
        assertEquals("fra", ranking.getFirst().pop());
        assertEquals(ranking.getFirst().pop(), picture.pop(), "the picture is of the PoP that ranks first");
        assertEquals(picture.pop(), ((JitterViewModel.PopRow) read[5]).pop(), "and the table selects it");
        assertTrue(((String) read[6]).startsWith("FRA: jitter first held over 15 ms at 04:0"), (String) read[6]);
        assertNull(read[7], "showing the tab pins no PoP: the picture keeps following whichever ranks first");
        List<String> headers = (List<String>) read[8];
        assertEquals("s over", headers.get(4).split("\n")[0], "seconds over count single seconds");
        assertEquals("lost", headers.get(5).split("\n")[0], "the share of requests lost beside the jitter");
        assertEquals("first held 3 s", String.join(" ", java.util.Arrays.copyOf(headers.get(6).split("\n"), 2)),
                "the onset column says it needs 3 s held, so \"never\" next to seconds over reads right");
        assertTrue(headers.get(6).contains("Lone seconds over the line are not an onset"), headers.get(6));

        // Still unpinned after the model's next answers reach the built view.
        long shownAt = picture.toSecond();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.pictureProperty().get().toSecond() > shownAt + 60);
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(WaitForAsyncUtils.asyncFx(() -> vm.pinnedPopProperty().get()).get(5, TimeUnit.SECONDS));
        assertEquals(vm.ranking().getFirst().pop(), vm.pictureProperty().get().pop());
    }

    @Test
    void aLongExportMessageWrapsUnderTheToolbarAndEveryControlKeepsItsLabel(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("jitter"));
        String failure = "Failed: GET http://127.0.0.1:31151/api/v1/pops/fra/history?to=5589&from=0 was not sent:"
                + " not connected (reconnecting in 8 s: connection refused)";
        List<String> ids = List.of("#jitter-export", "#jitter-open", "#jitter-span-whole-show", "#jitter-span-last-minute");
        double[][] widths = WaitForAsyncUtils.asyncFx(() -> {
            ((Label) console.scene().lookup("#jitter-export-status")).setText(failure);
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            return ids.stream().map(id -> (javafx.scene.control.Labeled) console.scene().lookup(id))
                    .map(c -> new double[]{c.getWidth(), c.prefWidth(-1)}).toArray(double[][]::new);
        }).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < ids.size(); i++) {
            assertTrue(widths[i][0] >= widths[i][1] - 0.5, ids.get(i) + " is " + widths[i][0] + " px wide, its label needs "
                    + widths[i][1]);
        }
    }

    /** A column's header as a person reads it, then its tooltip on the next line. */
    private static String header(javafx.scene.control.TableColumn<?, ?> column) {
        if (column.getGraphic() instanceof Label l) {
            return l.getText() + (l.getTooltip() == null ? "" : "\n" + l.getTooltip().getText());
        }
        return column.getText();
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
