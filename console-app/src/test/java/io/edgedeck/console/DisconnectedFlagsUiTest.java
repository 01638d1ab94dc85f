package io.edgedeck.console;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
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
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    private static boolean disabled(FxRobot robot, String id) {
        return FxLookup.onFx(() -> robot.lookup(id).tryQueryAs(Button.class).map(Node::isDisabled).orElse(false));
    }

    @Test
    void killAndWeightsWaitForTheNode(FxRobot robot) throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        live.node = TestConsoles.startExampleNode(data, 0);
        int port = live.node.baseUri().getPort();
        live.connection = TestConsoles.openReconnectingQuickly(live.node);
        live.show(robot, live.connection);
        robot.interact(() -> live.console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#kill-checkout-button"));
        assertTrue(!disabled(robot, "#kill-checkout-button") && !disabled(robot, "#weights-checkout-button"), "offered while online");

        live.node.close();
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

        live.node = TestConsoles.startExampleNode(data, port);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !disabled(robot, "#kill-checkout-button"));
        assertTrue(!disabled(robot, "#weights-checkout-button"), "offered again once the node answers");
    }
}
