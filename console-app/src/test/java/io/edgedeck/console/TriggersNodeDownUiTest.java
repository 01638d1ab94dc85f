package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A console started while its node is down says on the Triggers tab that the node cannot be reached, rather than
 * "asking…" with nothing under it, and shows the trigger audit once the node comes up.
 */
@ExtendWith(ApplicationExtension.class)
class TriggersNodeDownUiTest {
    @TempDir
    Path dir;
    private EdgeNode node;
    private HttpEdgeConnection connection;
    private Console console;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close(FxRobot robot) {
        if (console != null) {
            robot.interact(() -> TestConsoles.close(console, connection));
        }
        if (node != null) {
            node.close();
        }
    }

    private static String text(FxRobot robot, String id) {
        return FxLookup.onFx(() -> robot.lookup(id).tryQueryAs(Label.class).filter(javafx.scene.Node::isVisible)
                .map(Label::getText).orElse(""));
    }

    @Test
    void theTriggersTabSaysTheNodeCannotBeReachedAndRecoversWhenItComesUp(FxRobot robot) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path data = Files.createDirectory(dir.resolve("node"));
        // the node's token before the node: it keeps a token file it finds
        Files.writeString(data.resolve("token"), "triggers-node-down-test-token\n");
        Files.setPosixFilePermissions(data.resolve("token"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        connection = HttpEdgeConnection.open(URI.create("http://127.0.0.1:" + port), "triggers-node-down-test-token",
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), new Random(1)));
        robot.interact(() -> console = TestConsoles.show(stage, connection));
        robot.interact(() -> console.showTab("triggers"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#triggers-problem").contains("cannot be reached"));
        assertTrue(text(robot, "#triggers-problem").startsWith("could not read the trigger audit: the node cannot be reached ("),
                text(robot, "#triggers-problem"));
        assertEquals("trigger audit: could not be read", text(robot, "#triggers-summary"));

        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), port, data));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#triggers-summary").matches("\\d+ triggers? over .*|this show has no micro-metric triggers"));
        assertEquals("", text(robot, "#triggers-problem"), "the problem goes once the node answers");
    }
}
