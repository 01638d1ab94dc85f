package io.edgedeck.console;

import io.edgedeck.engine.journal.JournalRecord;
import javafx.scene.control.Label;
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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LIVE console on a real rehearsal node started again on its data directory. While the node plays its
 * show again it answers 503 "restoring": the status bar says the node is restoring its show and how far,
 * not that it cannot be reached, and nothing is Online. Once the node serves, having resumed from its
 * journal alone (a journaled fault its show does not make again forces that, as in the simulator's
 * NodeInfoNodeTest), the status bar says when it restarted and that its sessions and PoP counters started
 * again from zero.
 */
@ExtendWith(ApplicationExtension.class)
class NodeRestoringUiTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestConsoles.Live live = new TestConsoles.Live();

    @Test
    void theStatusBarSaysTheNodeIsRestoringThenThatItResumedFromItsJournalAlone(FxRobot robot) throws Exception {
        // The show had come to 1:00, with a fault at fra its show does not make: played again, it differs.
        HeldRestore restore = new HeldRestore(Files.createDirectory(dir.resolve("node")), 20_000, journal -> {
            journal.append(new JournalRecord.FaultApplied(journal.nextSeq(), 1_000, "fra", "latency", 80, -1, "cue"));
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 60_000));
        });
        try {
            Console console = live.show(robot, restore.connect());
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.labelText(robot, "#connection-status").startsWith("Node restoring"));
            String status = FxLookup.labelText(robot, "#connection-status");
            assertTrue(status.equals("Node restoring its show: played 0:20 of 1:00 of the show again; actions refused"), status);
            assertFalse(status.contains("cannot be reached") || status.contains("Online"), status);
            assertTrue(FxLookup.query(robot, "#connection-status", Label.class).getPseudoClassStates().stream()
                    .anyMatch(p -> p.getPseudoClassName().equals("disconnected")), "not shown as connected");
            assertFalse(FxLookup.query(robot, "#restart-notice", Label.class).isVisible(), "nothing said of a restart yet");
            String sources = FxLookup.labelText(robot, "#sources-status");
            assertFalse(sources.matches("sources: \\d+ · .*"), "no sources shown as read while restoring: " + sources);
            TestConsoles.shootIfAsked(console, "node-restoring.png");
        } finally {
            restore.release();
        }
        live.node = restore.restored();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> FxLookup.labelText(robot, "#connection-status").startsWith("Online"));
        // The sources line read during the restore (503) recovers with the next poll or two, not after a long while.
        WaitForAsyncUtils.waitFor(3 * io.edgedeck.console.sources.SourcesFeature.POLL_MILLIS, TimeUnit.MILLISECONDS,
                () -> FxLookup.labelText(robot, "#sources-status").matches("sources: \\d+ · .*"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.labelText(robot, "#restart-notice").startsWith("Node restarted at"));
        String notice = FxLookup.labelText(robot, "#restart-notice");
        assertTrue(notice.matches("Node restarted at \\d\\d:\\d\\d:\\d\\d and resumed from its journal alone: sessions and PoP"
                + " counters started again from zero"), notice);
        Label label = FxLookup.query(robot, "#restart-notice", Label.class);
        assertTrue(label.isVisible(), "in the status bar");
        String why = FxLookup.onFx(() -> label.getTooltip().getText());
        assertTrue(why.contains("resumed from the journal alone at") && why.contains("latency at fra"), why);
        TestConsoles.shootIfAsked(live.console, "node-restarted.png");
    }
}
