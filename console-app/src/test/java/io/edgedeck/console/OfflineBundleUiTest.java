package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.console.common.Status;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A diagnostic bundle opened offline: its own banner, and nothing on any tab that would change an edge. */
@ExtendWith(ApplicationExtension.class)
class OfflineBundleUiTest {
    private Console console;

    @Start
    void start(Stage stage) {
        console = TestConsoles.showCrashBundle(stage, 1000, 800);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> console.dispose());
    }

    /**
     * What a bundle is, said whole at every window width the settings allow (400 px up), never with its last word alone
     * on a line of its own (at 1,320 px it left "edge" under the rest), and never at the cost of the show's clock, which
     * stays whole inside the window.
     */
    @Test
    void theReadOnlyNoteLeavesNoWordAloneOnItsLastLine(FxRobot robot) throws Exception {
        Stage stage = (Stage) console.scene().getWindow();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.dashboard().viewModel().clockProperty().get().contains("snapshot"));
        java.util.List<String> orphaned = new java.util.ArrayList<>();
        java.util.List<String> clockOff = new java.util.ArrayList<>();
        for (int width = 400; width <= 1600; width += 8) {
            int w = width;
            robot.interact(() -> stage.setWidth(w));
            WaitForAsyncUtils.waitForFxEvents();
            // The note wraps before the show's clock is pushed off the window: the clock is whole inside it.
            String clockAt = FxLookup.onFx(() -> {
                Label clock = robot.lookup("#show-clock").queryAs(Label.class);
                javafx.geometry.Bounds at = clock.localToScene(clock.getLayoutBounds());
                double sceneWidth = console.scene().getWidth();
                return at.getMinX() >= 0 && at.getMaxX() <= sceneWidth + 0.5 && !clock.isTextTruncated() ? null
                        : "x " + Math.round(at.getMinX()) + " to " + Math.round(at.getMaxX()) + " in a scene " + Math.round(sceneWidth)
                        + " px wide" + (clock.isTextTruncated() ? ", cut short" : "");
            });
            if (clockAt != null) {
                clockOff.add(w + " px: " + clockAt);
            }
            java.util.List<String> lines = FxLookup.onFx(() -> noteLines(robot));
            String last = lines.getLast().strip();
            if (last.chars().noneMatch(Character::isSpaceChar)) {
                orphaned.add(w + " px: \"" + last + "\" under " + lines.subList(0, lines.size() - 1));
            }
            if (w == 1320 || w == 400 || w == 600 || w == 1000) {
                TestConsoles.shootIfAsked(console, "bundle-note-" + w + ".png");
            }
        }
        assertEquals(java.util.List.of(), orphaned, "a word alone on the note's last line");
        assertEquals(java.util.List.of(), clockOff, "the show's clock outside the window");
    }

    /** The whole why under the audit, laid out now; fails when the label cuts it short. */
    private String auditWhy(FxRobot robot) {
        return FxLookup.onFx(() -> {
            console.scene().getRoot().applyCss();
            console.scene().getRoot().layout();
            Label why = robot.lookup("#audit-why").queryAs(Label.class);
            assertTrue(why.isVisible() && !why.isTextTruncated(), "the audit's why is cut short, " + why.getHeight() + " px high: "
                    + why.getText());
            return why.getText();
        });
    }

    /**
     * The read-only note's lines as laid out, top first: each of its labels' words, by the height on the screen each
     * stands at (a label that wraps, or two labels on one line). FX thread.
     */
    private static java.util.List<String> noteLines(FxRobot robot) {
        java.util.TreeMap<Long, StringBuilder> lines = new java.util.TreeMap<>();
        for (javafx.scene.text.Text text : robot.lookup("#mode-read-only").lookup(".text").queryAllAs(javafx.scene.text.Text.class)) {
            String said = text.getText();
            for (int i = 0; i < said.length(); i++) {
                javafx.geometry.Point2D at = text.localToScreen(0, ((javafx.scene.shape.MoveTo) text.caretShape(i, true)[0]).getY());
                StringBuilder line = lines.computeIfAbsent(Math.round(at.getY()), y -> new StringBuilder());
                if (i == 0 && !line.isEmpty()) {
                    line.append(' ');
                }
                line.append(said.charAt(i));
            }
        }
        return lines.values().stream().map(StringBuilder::toString).toList();
    }

    @Test
    void theBannerSaysOfflineBundleAndNoActionCanChangeAnEdge(FxRobot robot) throws Exception {
        assertEquals(ConnectionMode.OFFLINE, console.session().mode());
        assertEquals("OFFLINE BUNDLE", FxLookup.query(robot, "#mode-name", Label.class).getText());
        assertTrue(FxLookup.onFx(() -> noteLines(robot)).stream().anyMatch(l -> l.contains("nothing changes an edge")));
        assertTrue(console.window().getStyleClass().contains("offline"));
        // A snapshot, which nothing resumes: not "paused".
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.dashboard().viewModel().clockProperty().get().contains("snapshot"));
        assertEquals("sentiment-crash · snapshot at 06:40 of 15:00", FxLookup.query(robot, "#show-clock", Label.class).getText());
        WaitForAsyncUtils.waitForFxEvents();
        for (Label phrase : FxLookup.onFx(() -> robot.lookup("#mode-read-only").lookup(".label").queryAllAs(Label.class))) {
            assertTrue(!phrase.isTextTruncated(), "the banner cuts what a bundle is short: " + phrase.getText() + ", "
                    + phrase.getWidth() + " px wide");
        }
        assertTrue(!FxLookup.present(robot, "#banner-rollback"), "no Roll back button in the banner");
        assertTrue(console.features().stream().noneMatch(f -> f.title().equals("Rehearsal")), "no Rehearsal tab");

        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !console.flags().viewModel().rows().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!FxLookup.present(robot, "#switch-offer-banner"), "no flag switch");
        assertTrue(!FxLookup.present(robot, "#kill-offer-banner"), "no kill button");
        assertTrue(robot.lookup(".button").queryAllAs(Button.class).stream().noneMatch(b -> b.isVisible()
                && b.getText() != null && b.getText().startsWith("Weights")), "no weights editor");

        // A guardrail's reason too long for its cell's two lines is cut with "…", and is whole in the cell's tooltip
        // (once the table has drawn the row: the entries arrive a pass before their rows are drawn).
        var audit = console.flags().viewModel().audit();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !audit.isEmpty());
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<io.edgedeck.client.model.AuditEntry> auditTable = FxLookup.query(robot, "#audit-table",
                javafx.scene.control.TableView.class);
        var rollbackRow = FxLookup.drawnRow(auditTable, r -> ((io.edgedeck.client.model.AuditEntry) r.getItem()).action()
                .equals("flag.rollback"), "the rollback's row");
        var cut = FxLookup.onFx(() -> rollbackRow.getChildrenUnmodifiable().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n).filter(c -> "Why".equals(c.getTableColumn().getText()))
                .findFirst().orElseThrow());
        String reason = FxLookup.onFx(() -> ((io.edgedeck.client.model.AuditEntry) rollbackRow.getItem()).reason());
        assertTrue(reason.startsWith("guardrail sentiment-guard:") && reason.contains("conversion lift "), reason);
        assertEquals(reason, FxLookup.onFx(cut::getText));
        assertTrue(FxLookup.onFx(cut::isTextTruncated), "the reason is longer than its cell's two lines: " + reason);
        assertEquals(reason, FxLookup.onFx(() -> cut.getTooltip().getText()));
        // Whole under the table, never cut: the newest change's (the rollback's) until a change is clicked, then that one's.
        assertEquals("Why the newest change was made (05:15, guardrail:sentiment-guard, flag.rollback): " + reason
                + (reason.endsWith(".") ? "" : ".") + " Click a change above to read its why here.", auditWhy(robot));
        var ruleRow = FxLookup.drawnRow(auditTable, r -> ((io.edgedeck.client.model.AuditEntry) r.getItem()).action()
                .equals("guardrail.rollback"), "the guardrail's own row");
        String ruleReason = FxLookup.onFx(() -> ((io.edgedeck.client.model.AuditEntry) ruleRow.getItem()).reason());
        robot.clickOn(ruleRow);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Why this change was made (05:15, guardrail:sentiment-guard, guardrail.rollback): " + ruleReason
                + (ruleReason.endsWith(".") ? "" : "."), auditWhy(robot));
        TestConsoles.shootIfAsked(console, "flags-audit-why-1000.png");

        robot.interact(() -> console.showTab("guardrails"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!FxLookup.present(robot, "#rollback-button"), "no ROLL BACK");
        assertTrue(robot.lookup("#arm-sentiment-guard").tryQuery().map(n -> !n.isVisible()).orElse(true), "no Arm/Disarm");

        var accelerators = console.scene().getAccelerators().keySet();
        assertFalse(accelerators.contains(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN)),
                "no rollback shortcut");
        assertFalse(accelerators.contains(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN)),
                "no kill shortcut");

        // The numbers are the show as it stood then, in the colours they had, not greyed as a dropped connection.
        robot.interact(() -> console.ticker().tick());
        var fra = console.dashboard().viewModel().tile("fra");
        assertTrue(fra != null && fra.statusProperty().get() != Status.STALE, "fra keeps its colour");
    }
}
