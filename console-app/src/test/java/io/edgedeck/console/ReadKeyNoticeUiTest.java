package io.edgedeck.console;

import io.edgedeck.console.connection.ConnectionStatusViewModel;
import io.edgedeck.console.connection.Connections;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the window says when the node knows the key but will not let it read the show, for each kind of node and key:
 * a rehearsal node's read key (it has no ingest key), a live node's read key, a live node's ingest key (which reads
 * nothing under /api/v1 at all, and is offered Settings alone). The words name the key it is, and the show clock does not
 * wait for a frame that a key which may not read the show never gets.
 */
@ExtendWith(ApplicationExtension.class)
class ReadKeyNoticeUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    private String refusal(FxRobot robot, Path key) throws Exception {
        live.show(robot, Connections.open(ConsoleOptions.parse(List.of("--connect", live.node.baseUri().toString(),
                "--token-file", key.toString()))));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !text(robot, "#token-refused").isEmpty());
        return text(robot, "#token-refused");
    }

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).filter(Label::isVisible).map(Label::getText)
                .orElse(""));
    }

    private static List<String> tabs(FxRobot robot) {
        return FxLookup.onFx(() -> robot.lookup(".tab-pane").queryAs(TabPane.class).getTabs().stream().map(Tab::getText).toList());
    }

    /** The window on the node's read key: the notice says {@code words}, three tabs, and a clock that waits for nothing. */
    private String readKeyWindow(FxRobot robot, String words) throws Exception {
        String refused = refusal(robot, live.node.readKeyFile());
        assertTrue(refused.contains(words) && !refused.contains("likely"), refused);
        assertEquals(List.of("Sources", "Triggers", "Settings"), tabs(robot));
        assertEquals(MainWindow.NO_CLOCK_KEY, text(robot, "#show-clock"));
        return refused;
    }

    @Test
    void aRehearsalNodesReadKeyIsCalledThatAndNothingElse(FxRobot robot) throws Exception {
        live.node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("steady-show")), 5,
                InetAddress.getLoopbackAddress(), 0, Files.createDirectories(dir.resolve("node"))));
        String refused = readKeyWindow(robot, "it is the rehearsal node's read key, for OFREP, /metrics and the diagnostic reads");
        assertFalse(refused.contains("ingest"), "a rehearsal node has no ingest key: " + refused);
    }

    @Test
    void aLiveNodesReadKeyIsCalledThatAndNotItsIngestKey(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectories(dir.resolve("node")), 0, 20);
        String refused = readKeyWindow(robot, "it is the node's read key, for OFREP, /metrics, the ingest figures and the diagnostic reads");
        assertFalse(refused.contains("ingest key"), refused);
    }

    @Test
    void aLiveNodesIngestKeyIsCalledThatAndIsOfferedOnlySettings(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectories(dir.resolve("node")), 0, 20);
        Path ingestKey = live.node.ingestKeyFile();
        String refused = refusal(robot, ingestKey);
        // What the key is for, and which key shows the show.
        assertTrue(refused.contains("nor anything else under /api/v1: it is the node's ingest key, for sending events to /ingest/v1"),
                refused);
        assertTrue(refused.contains(ingestKey.toString()) && refused.contains("DATA_DIR/token") && refused.contains("operators add"),
                refused);
        assertFalse(refused.contains("read key") || refused.contains("likely"), refused);
        // and what is left: Settings alone, which is this console's own.
        assertTrue(refused.endsWith(ConnectionStatusViewModel.INGEST_VIEWS), refused);
        assertFalse(refused.contains(ConnectionStatusViewModel.READ_VIEWS), refused);
        // Only what the key can do in a console, which is nothing of the node's: no tab that could only say it
        // could not be read, no wall of PoPs without words.
        LiveNotLetInUiTest.assertSettingsAlone(robot, live.console);
        assertEquals(MainWindow.NO_CLOCK_KEY, text(robot, "#show-clock"));
        // No keyboard shortcut of a tab not offered (the scheduled cue's included): the help's, the theme's, and the Enter
        // of the Settings tab's Apply, the one tab shown.
        assertEquals(java.util.Set.of(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F1),
                        new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.T, javafx.scene.input.KeyCombination.SHORTCUT_DOWN),
                        new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.ENTER)),
                FxLookup.onFx(() -> java.util.Set.copyOf(robot.lookup(".tab-pane").query().getScene().getAccelerators().keySet())));
        TestConsoles.shootIfAsked(live.console, "ingest-key.png");
    }

}
