package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.scene.control.Label;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 point 3 in the console: a LIVE console on a real node whose engine thread dies. Before,
 * the status bar kept saying "Online". Now the banner says, in red, that the edge node failed and
 * why, the status bar never says "Online", and the tiles go grey (their numbers are the last ones).
 */
@ExtendWith(ApplicationExtension.class)
class NodeFailureUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    /** A real node playing steady-show at {@code speed} on loopback, and a LIVE console connected to it. */
    private HttpEdgeConnection startNodeAndConsole(FxRobot robot, double speed) throws Exception {
        live.node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("steady-show")), speed,
                InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))));
        HttpEdgeConnection connection = HttpEdgeConnection.open(live.node.baseUri(), Files.readString(live.node.tokenFile()).trim());
        live.show(robot, connection);
        return connection;
    }

    @Test
    void theBannerNamesTheFailureAndTheConsoleNeverSaysOnline(FxRobot robot) throws Exception {
        HttpEdgeConnection connection = startNodeAndConsole(robot, 5);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#connection-status").startsWith("Online"));
        assertFalse(FxLookup.query(robot, "#node-problem", Label.class).isVisible(), "no banner while the node is well");
        // "Online" comes with the first answer; the rollback's target with the first frame that names the rule's variant.
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS,
                () -> FxLookup.onFx(() -> FxLookup.query(robot, "#banner-rollback", javafx.scene.Node.class).isVisible()));
        assertTrue(FxLookup.query(robot, "#banner-rollback", javafx.scene.Node.class).isVisible(), "rollback offered while well");

        live.node.runner().submit(s -> {
            throw new StackOverflowError("injected into the engine thread");
        });

        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#node-problem").startsWith("Edge node failed"));
        Label banner = FxLookup.query(robot, "#node-problem", Label.class);
        assertTrue(banner.isVisible());
        assertTrue(banner.getText().contains("StackOverflowError: injected into the engine thread"), banner.getText());
        assertTrue(banner.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("failed")), "red");
        // A rollback cannot work on a failed node, so the banner offers none.
        assertFalse(FxLookup.query(robot, "#banner-rollback", javafx.scene.Node.class).isVisible(), "no rollback on a failed node");
        String status = text(robot, "#connection-status");
        assertFalse(status.startsWith("Online"), status);
        assertTrue(status.startsWith("Edge node failed"), status);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, ".stale-warning").startsWith("Numbers stale"));
        // Ctrl+Shift+R opens no rollback prompt on a failed node: the status bar says why instead.
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.R)
                .release(javafx.scene.input.KeyCode.R, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".prompt-card").queryAll().stream().noneMatch(javafx.scene.Node::isVisible), "no rollback prompt");
        String notice = text(robot, "#notice");
        assertTrue(notice.startsWith("Roll back not offered: Edge node failed"), notice);
        // The sources feed a node whose engine stopped: none of them is shown as working.
        Label sources = FxLookup.query(robot, "#sources-status", Label.class);
        // The text and the status class are set on the FX thread one after the other: wait for both.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#sources-status").contains("the edge node failed")
                && sources.getStyleClass().contains(io.edgedeck.console.common.Status.BAD.styleClass()));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(sources.getStyleClass().contains(io.edgedeck.console.common.Status.OK.styleClass()), sources.getStyleClass().toString());
        assertTrue(sources.getStyleClass().contains(io.edgedeck.console.common.Status.BAD.styleClass()), sources.getStyleClass().toString());
        // What a producer sees, kept for a person to look at (target/node-failed.png), and, with
        // -Dedgedeck.screenshots=DIR, as docs/RELIABILITY.md's picture (docs/screenshots.sh node-failed).
        java.awt.image.BufferedImage[] shot = new java.awt.image.BufferedImage[1];
        robot.interact(() -> shot[0] = io.edgedeck.console.common.Snapshots.capture(live.console.scene().getRoot()));
        io.edgedeck.console.common.Snapshots.writePng(shot[0], Path.of("target", "node-failed.png"));
        TestConsoles.shootIfAsked(live.console, "console-node-failed.png");
    }

    @Test
    void aBundleIsMadeFromWhatTheConsoleHoldsWhenTheNodeIsDown(FxRobot robot) throws Exception {
        HttpEdgeConnection connection = startNodeAndConsole(robot, 20);
        robot.interact(() -> live.console.showTab("jitter"));
        var vm = live.console.jitter().viewModel();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> vm.heldHistories().size()
                == connection.latestFrame().map(f -> f.pops().size()).orElse(-1) && vm.pictureProperty().get() != null));
        live.node.close();
        live.node = null;
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !text(robot, "#connection-status").startsWith("Online"));
        // Read once the node is gone: no fetch can succeed any more, so this is what the export finds.
        var held = FxLookup.onFx(vm::heldHistories);

        Path zip = dir.resolve("down.zip");
        var export = WaitForAsyncUtils.asyncFx(() -> live.console.jitter().exportTo(zip)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, export::isDone);
        assertEquals(zip, export.get(), "a bundle is written with the node down");
        WaitForAsyncUtils.waitForFxEvents();
        String said = text(robot, "#jitter-export-status");
        assertTrue(said.startsWith("PARTIAL bundle written to " + zip.toAbsolutePath() + ": ") && said.contains("README.txt says which")
                && said.endsWith("./edgedeck --bundle " + zip.toAbsolutePath() + "."), said);
        assertTrue(FxLookup.onFx(() -> robot.lookup("#jitter-export-status").query().getStyleClass().contains("status-warn")),
                "in amber: not the whole of it");
        var bundle = io.edgedeck.simulator.bundle.BundleReader.read(zip);
        assertEquals(held.keySet(), bundle.history().keySet());
        held.forEach((pop, h) -> assertEquals(h.startSecond()[h.rows() - 1],
                bundle.history().get(pop).startSecond()[bundle.history().get(pop).rows() - 1], "the history the console held for " + pop));
        var gaps = bundle.manifest().partial();
        for (String pop : held.keySet()) {
            assertTrue(gaps.stream().anyMatch(g -> g.entry().equals("history/" + pop + ".csv") && g.state().equals("partial")
                    && g.why().contains("could not be asked")), gaps.toString());
        }
        assertTrue(gaps.stream().anyMatch(g -> g.entry().equals("audit.json") && g.state().equals("missing")), gaps.toString());
        assertTrue(gaps.stream().anyMatch(g -> g.entry().equals("flags.json") && g.state().equals("partial")), gaps.toString());
        String readme = new String(readEntry(zip, "README.txt"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(readme.contains("PARTIAL BUNDLE") && readme.contains("audit.json: missing"), readme);

    }

    private static byte[] readEntry(Path zip, String name) throws java.io.IOException {
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(name)).readAllBytes();
        }
    }
}
