package io.edgedeck.console;

import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

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
        live.connection = TestConsoles.openReconnectingQuickly(URI.create("http://127.0.0.1:" + port), "triggers-node-down-test-token");
        live.show(robot, live.connection);
        robot.interact(() -> live.console.showTab("triggers"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#triggers-problem").contains("cannot be reached"));
        assertTrue(text(robot, "#triggers-problem").startsWith("could not read the trigger audit: the node cannot be reached ("),
                text(robot, "#triggers-problem"));
        assertEquals("trigger audit: could not be read", text(robot, "#triggers-summary"));

        live.node = TestConsoles.startExampleNode(data, port);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#triggers-summary").matches("\\d+ triggers? over .*|this show has no micro-metric triggers"));
        assertEquals("", text(robot, "#triggers-problem"), "the problem goes once the node answers");
    }
}
