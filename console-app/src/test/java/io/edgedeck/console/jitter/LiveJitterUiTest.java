package io.edgedeck.console.jitter;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.console.Console;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.console.sources.SourcesFeature;
import io.edgedeck.console.triggers.TriggersFeature;
import io.edgedeck.simulator.bundle.BundleReader;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real console in a LIVE window, connected over HTTP to a real node on loopback playing the
 * jitter storm: the Jitter tab ranks the PoPs and finds when it started from the node's history
 * over HTTP, exactly as in a rehearsal; Export bundle writes a bundle that reopens offline with the
 * same picture; the Sources tab and status line say what feeds the node.
 */
@ExtendWith(ApplicationExtension.class)
class LiveJitterUiTest {
    private static Path dataDir;
    private static EdgeNode node;
    private EdgeConnection connection;
    private Console console;

    /** One node for the class, started off the FX thread: the storm plays once, fast. */
    @BeforeAll
    static void startNode() throws Exception {
        dataDir = Files.createTempDirectory("edgedeck-live-jitter");
        node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("jitter-storm")), 100,
                InetAddress.getLoopbackAddress(), 0, dataDir));
    }

    @AfterAll
    static void stopNode() throws Exception {
        TestConsoles.stopAndDelete(node, dataDir);
    }

    @Start
    void start(Stage stage) throws Exception {
        connection = TestConsoles.connect(node);
        console = TestConsoles.show(stage, connection);
    }

    @AfterEach
    void close() {
        TestConsoles.close(console, connection);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLiveJitterTabFindsTheStormAndItsBundleReopensOffline(FxRobot robot, @TempDir Path dir) throws Exception {
        assertEquals(ConnectionMode.LIVE, connection.mode());
        robot.interact(() -> console.showTab("jitter"));
        JitterViewModel vm = console.jitter().viewModel();
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
                var p = vm.pictureProperty().get();
                return p != null && p.toSecond() > 300;
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the Jitter view never showed 5 minutes of the storm: " + vm.messageProperty().get()
                    + "; newest frame " + connection.latestFrame().map(f -> f.engineMillis()).orElse(-1L) + " ms, connection "
                    + connection.status(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
        var read = WaitForAsyncUtils.asyncFx(() -> {
            TableView<JitterViewModel.PopRow> table = robot.from(console.scene().getRoot()).lookup("#jitter-ranking").queryAs(TableView.class);
            return new Object[]{table.getItems().getFirst(),
                    robot.from(console.scene().getRoot()).lookup("#jitter-headline").queryAs(Label.class).getText()};
        }).get(30, TimeUnit.SECONDS);
        JitterViewModel.PopRow first = (JitterViewModel.PopRow) read[0];
        String headline = (String) read[1];
        assertEquals("fra", first.pop());
        assertTrue(first.onsetSecond() >= 237 && first.onsetSecond() <= 245, "onset at " + first.onsetSecond());
        assertTrue(headline.startsWith("FRA: jitter first held over 15 ms at 04:0"), headline);

        Path zip = dir.resolve("live-fra.zip");
        var export = WaitForAsyncUtils.asyncFx(() -> console.jitter().exportTo(zip)).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, export::isDone);
        assertEquals(zip, export.get());
        var bundle = BundleReader.read(zip);
        assertEquals("LIVE", bundle.manifest().connectionMode());
        assertTrue(bundle.history().get("fra").rows() > 300, "the bundle carries fra's history from the node");

        // Offline, from the file alone: the same PoP first, the same onset.
        var opened = WaitForAsyncUtils.asyncFx(() -> console.jitter().open(zip)).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, opened::isDone);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> bundleWindowRanking(robot) != null
                && !bundleWindowRanking(robot).getItems().isEmpty());
        JitterViewModel.PopRow reopened = bundleWindowRanking(robot).getItems().getFirst();
        assertEquals("fra", reopened.pop());
        assertEquals(first.onsetSecond(), reopened.onsetSecond());
        robot.interact(() -> robot.listWindows().stream().filter(w -> w.getScene() != null
                && w.getScene() != console.scene()).toList().forEach(javafx.stage.Window::hide));
    }

    @Test
    void theSourcesTabAndStatusLineSayWhatFeedsTheNode(FxRobot robot) throws Exception {
        SourcesFeature sources = console.features().stream().filter(SourcesFeature.class::isInstance)
                .map(SourcesFeature.class::cast).findFirst().orElseThrow(() -> new AssertionError("a LIVE console offers Sources"));
        robot.interact(() -> console.showTab("sources"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !sources.model().rows().isEmpty()
                && sources.model().summaryProperty().get().contains("ev/s"));
        WaitForAsyncUtils.waitForFxEvents();
        String line = WaitForAsyncUtils.asyncFx(() -> robot.from(console.scene().getRoot()).lookup("#sources-status")
                .queryAs(Label.class).getText()).get(5, TimeUnit.SECONDS);
        assertTrue(line.startsWith("sources: 1 · "), line);
        var row = sources.model().rows().getFirst();
        assertEquals("simulator · jitter-storm", row.source());
        assertEquals("connected", row.state());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTriggersTabRanksTheNodesTriggersWithTheirOverlapMatrix(FxRobot robot) throws Exception {
        TriggersFeature triggers = console.features().stream().filter(TriggersFeature.class::isInstance)
                .map(TriggersFeature.class::cast).findFirst().orElseThrow(() -> new AssertionError("a LIVE console offers Triggers"));
        robot.interact(() -> console.showTab("triggers"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> triggers.model().rows().size() == 2
                && triggers.model().summaryProperty().get().startsWith("2 triggers over "));
        WaitForAsyncUtils.waitForFxEvents();
        var read = WaitForAsyncUtils.asyncFx(() -> new Object[] {
                robot.from(console.scene().getRoot()).lookup("#triggers-table").queryAs(TableView.class).getItems().size(),
                robot.from(console.scene().getRoot()).lookup("#triggers-overlap").queryAs(javafx.scene.layout.GridPane.class)
                        .getChildren().size()}).get(5, TimeUnit.SECONDS);
        assertEquals(2, read[0]);
        assertEquals(2 + 2 + 4, read[1], "two column heads, two row heads and a 2x2 matrix");
        assertEquals(java.util.Set.of("#1", "#2"), java.util.Set.copyOf(triggers.model().rows().stream()
                .map(io.edgedeck.console.triggers.TriggersViewModel.Row::rank).toList()));
    }

    private TableView<JitterViewModel.PopRow> bundleWindowRanking(FxRobot robot) {
        return JitterUiTest.bundleWindowRanking(robot, console);
    }
}
