package io.edgedeck.console;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import javafx.scene.control.Tab;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console connected to a live node ({@code serve --live}) offers none of the show controls a
 * live node refuses: no speed, pause, resume or cue, not even through the pause shortcut, since its
 * clock is the wall clock and its audience real.
 */
@ExtendWith(ApplicationExtension.class)
class LiveShowControlsUiTest {
    private static Path dataDir;
    private static EdgeNode node;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    @BeforeAll
    static void startNode() throws Exception {
        dataDir = Files.createTempDirectory("edgedeck-live-controls");
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), 0, dataDir));
    }

    @AfterAll
    static void stopNode() throws Exception {
        TestConsoles.stopAndDelete(node, dataDir);
    }

    @Test
    void aLiveNodesConsoleOffersNoSpeedPauseResumeOrCue(FxRobot robot) throws Exception {
        // The window is built in the test, not in @Start, whose setup timeout a loaded machine can outlast.
        EdgeConnection connection = TestConsoles.connect(node);
        Console console = live.show(robot, connection);
        assertEquals(ConnectionMode.LIVE, connection.mode());
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> connection.latestFrame().isPresent());
        List<String> tabs = WaitForAsyncUtils.asyncFx(() -> console.window().tabs().getTabs().stream().map(Tab::getText).toList())
                .get(10, TimeUnit.SECONDS);
        assertTrue(tabs.stream().noneMatch(t -> t.equalsIgnoreCase("rehearsal")), "no Rehearsal tab: " + tabs);
        for (String id : List.of("#rehearsal-speed", "#rehearsal-pause", "#rehearsal-resume", "#rehearsal-start", "#cue-fire")) {
            assertTrue(!FxLookup.present(robot, id), id + " is not offered");
        }
        // The pause shortcut is the Rehearsal tab's: on a live node it asks nothing of the node.
        robot.press(ShortcutKeys.CONTROL, KeyCode.P).release(KeyCode.P, ShortcutKeys.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(500);
        assertEquals(ShowState.RUNNING, node.latestFrame().state());
        List<AuditEntry> audit = connection.audit().get(10, TimeUnit.SECONDS);
        assertTrue(audit.stream().noneMatch(e -> e.action().startsWith("show.")), "nothing was asked of the show: " + audit);
    }

    @Test
    void theOperatorNameIsSaidToBeForRehearsalsOnly(FxRobot robot) throws Exception {
        EdgeConnection connection = TestConsoles.connect(node);
        Console console = live.show(robot, connection);
        robot.interact(() -> console.showTab("settings"));
        String hint = FxLookup.onFx(() -> FxLookup.query(robot, "#settings-operator-hint", javafx.scene.control.Label.class).getText());
        assertEquals("rehearsals only: a LIVE node audits the token's owner", hint);
    }

    @Test
    void aTabThisNodeLacksIsRefusedBeforeAWindowOpens(@org.junit.jupiter.api.io.TempDir Path settings) throws Exception {
        ConsoleOptions options = ConsoleOptions.parse(List.of("--connect", node.baseUri().toString(), "--token-file",
                node.tokenFile().toString(), "--tab", "fleet"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(EdgeDeckApp.StartupException.class,
                () -> EdgeDeckApp.prepare(options, new io.edgedeck.console.settings.SettingsStore(settings)));
        assertEquals("--tab fleet: only a LIVE console on a fleet aggregator (--connect) has that tab, not a LIVE console"
                + " on an edge node", e.getMessage());
    }
}
