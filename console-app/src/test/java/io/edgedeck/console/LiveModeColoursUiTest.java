package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.common.Status;
import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a LIVE window the accent is red. A success must still read as one, and a chart's series must
 * not turn the same red as the worst PoP: outcomes are coloured by whether they worked, and series by
 * a theme colour of their own. An outcome from before the node dropped is not left standing after.
 */
@ExtendWith(ApplicationExtension.class)
class LiveModeColoursUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    @BeforeEach
    void startNode(FxRobot robot) throws Exception {
        live.node = TestConsoles.startExampleNode(Files.createDirectory(dir.resolve("node")), 0);
        live.connection = HttpEdgeConnection.open(live.node.baseUri(), Files.readString(live.node.tokenFile()).trim());
        live.show(robot, live.connection);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> live.connection.latestFrame().isPresent()
                && FxLookup.onFx(() -> live.console.connectionStatus().onlineProperty().get()));
    }

    private static Label message(FxRobot robot) {
        return FxLookup.query(robot, "#flags-message", Label.class);
    }

    private static String text(FxRobot robot) {
        return FxLookup.onFx(() -> message(robot).getText());
    }

    private static List<String> classes(FxRobot robot) {
        return FxLookup.onFx(() -> List.copyOf(message(robot).getStyleClass()));
    }

    @Test
    void aSuccessIsGreenAndAFailureRedThoughTheAccentIsRed(FxRobot robot) throws Exception {
        robot.interact(() -> live.console.showTab("flags"));
        Path file = dir.resolve("audit.jsonl");
        robot.interact(() -> live.console.flags().viewModel().exportAudit(file));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot).startsWith("Exported"));
        assertTrue(classes(robot).contains(Status.OK.styleClass()), classes(robot).toString());

        // a folder is not a file: the export fails, and says so in red
        robot.interact(() -> live.console.flags().viewModel().exportAudit(dir));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot).startsWith("Not exported"));
        assertTrue(classes(robot).contains(Status.BAD.styleClass()), classes(robot).toString());
        assertFalse(classes(robot).contains(Status.OK.styleClass()), classes(robot).toString());
    }

    @Test
    void anOutcomeIsForgottenWhenTheNodeDrops(FxRobot robot) throws Exception {
        robot.interact(() -> live.console.showTab("flags"));
        robot.interact(() -> live.console.flags().viewModel().exportAudit(dir.resolve("audit.jsonl")));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot).startsWith("Exported"));
        live.node.close();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !FxLookup.onFx(() -> live.console.connectionStatus().onlineProperty().get()));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("", text(robot), "the export was told while the node answered");
    }

    @Test
    void theMeanPopIsNotDrawnInTheLiveRed(FxRobot robot) throws Exception {
        robot.interact(() -> live.console.showTab("timeline"));
        List<Color> colors = FxLookup.onFx(() -> live.console.timeline().latencyColors());
        assertEquals(Color.web("#ff4d5e"), colors.get(0), "the worst PoP in the theme's red");
        assertEquals(Color.web("#4ea8ff"), colors.get(1), "the mean in the dark theme's series blue, not the LIVE accent #ff5147");
        assertNotEquals(colors.get(0), colors.get(1));
    }
}
