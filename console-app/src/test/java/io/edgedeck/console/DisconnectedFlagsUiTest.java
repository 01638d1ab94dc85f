package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableCell;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While the node does not answer, Kill and Weights… are not offered (the cell says why), so no one
 * types a reason for a change the node cannot hear; they come back when it answers again.
 */
@ExtendWith(ApplicationExtension.class)
class DisconnectedFlagsUiTest {
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

    private EdgeNode startNode(Path data, int port) throws Exception {
        return EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json")
                .toString()), InetAddress.getLoopbackAddress(), port, data));
    }

    private static boolean disabled(FxRobot robot, String id) {
        return FxLookup.onFx(() -> robot.lookup(id).tryQueryAs(Button.class).map(Node::isDisabled).orElse(false));
    }

    @Test
    void killAndWeightsWaitForTheNode(FxRobot robot) throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        node = startNode(data, 0);
        int port = node.baseUri().getPort();
        // reconnects within a fifth of a second, so the node's return is seen at once
        connection = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim(),
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), new Random(1)));
        robot.interact(() -> console = TestConsoles.show(stage, connection));
        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#kill-checkout-button"));
        assertTrue(!disabled(robot, "#kill-checkout-button") && !disabled(robot, "#weights-checkout-button"), "offered while online");

        node.close();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> disabled(robot, "#kill-checkout-button"));
        assertTrue(disabled(robot, "#weights-checkout-button"), "no weights for a node that cannot hear them");
        String why = FxLookup.onFx(() -> {
            Node n = FxLookup.query(robot, "#kill-checkout-button", Button.class);
            while (!(n instanceof TableCell<?, ?>)) {
                n = n.getParent();
            }
            return ((TableCell<?, ?>) n).getTooltip().getText();
        });
        assertTrue(why.startsWith("Not connected to the node"), why);

        node = startNode(data, port);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !disabled(robot, "#kill-checkout-button"));
        assertTrue(!disabled(robot, "#weights-checkout-button"), "offered again once the node answers");
    }
}
