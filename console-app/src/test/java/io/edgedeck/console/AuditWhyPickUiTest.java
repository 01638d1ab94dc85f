package io.edgedeck.console;

import io.edgedeck.client.model.AuditEntry;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Flags tab's "why" under the audit log follows a person's pick: clicking an older change shows that change's
 * reason whole; the pick holds while the audit is fetched again (the table clears its selection by itself as its rows
 * are replaced), and while a filter hides the change it shows the newest change's instead, the pick coming back with
 * the change; a person clearing the selection goes back to the newest change's.
 */
@ExtendWith(ApplicationExtension.class)
class AuditWhyPickUiTest {
    private Console console;

    @Start
    void start(Stage stage) {
        console = TestConsoles.showCrashBundle(stage, 1320, 820);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> console.dispose());
    }

    @Test
    void aClickedChangesWhyHoldsThroughRefetchesAndFiltersUntilThePersonClearsIt(FxRobot robot) throws Exception {
        robot.interact(() -> console.showTab("flags"));
        var vm = console.flags().viewModel();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> vm.audit().size() >= 3));
        @SuppressWarnings("unchecked")
        TableView<AuditEntry> table = FxLookup.query(robot, "#audit-table", TableView.class);
        AuditEntry newest = FxLookup.onFx(() -> vm.audit().getFirst());
        AuditEntry oldest = FxLookup.onFx(() -> vm.audit().getLast());
        assertTrue(!oldest.actor().equals(newest.actor()), "two people in the audit: " + oldest + " and " + newest);
        String newestWhy = "Why the newest change was made";
        assertTrue(why(robot).startsWith(newestWhy), why(robot));

        // A person's click on an older change: its why, whole.
        robot.clickOn(FxLookup.drawnRow(table, r -> ((AuditEntry) r.getItem()).sequence() == oldest.sequence(), "the oldest change"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(whyOf(oldest), tail(why(robot)), "the clicked change's why");

        // Fetched again, every row replaced: the table drops its selection by itself as it is refilled, and the pick holds.
        java.util.concurrent.atomic.AtomicInteger refills = new java.util.concurrent.atomic.AtomicInteger();
        robot.interact(() -> vm.audit().addListener((javafx.collections.ListChangeListener<AuditEntry>) c -> refills.incrementAndGet()));
        robot.interact(vm::refreshAudit);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> refills.get() >= 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(whyOf(oldest), tail(why(robot)), "the pick after the audit was fetched again");

        // Filtered to another person: the change is not in the table, and the newest of those shown is read.
        robot.interact(() -> {
            vm.personFilterProperty().set(newest.actor());
            vm.refreshAudit();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> vm.audit().stream()
                .noneMatch(e -> e.sequence() == oldest.sequence())));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(why(robot).startsWith(newestWhy), "with the pick filtered out: " + why(robot));
        // The filter cleared: the change is back, and picked again.
        robot.interact(() -> {
            vm.personFilterProperty().set("");
            vm.refreshAudit();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> vm.audit().stream()
                .anyMatch(e -> e.sequence() == oldest.sequence())));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(whyOf(oldest), tail(why(robot)), "the pick once the filter is cleared");

        // The selection cleared with the change still in the table, as a person's Ctrl+click on it clears it: the
        // newest change's why again.
        robot.interact(() -> table.getSelectionModel().clearSelection());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(why(robot).startsWith(newestWhy), "once the person cleared the pick: " + why(robot));
        // And stays cleared when the audit is fetched again.
        int again = refills.get();
        robot.interact(vm::refreshAudit);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> refills.get() > again);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(why(robot).startsWith(newestWhy), "a cleared pick after the audit was fetched again: " + why(robot));
    }

    /** What the why says of {@code e} after its time: who, what and the reason. */
    private static String whyOf(AuditEntry e) {
        String reason = e.reason() == null || e.reason().isBlank() ? "no reason was given." : e.reason();
        return e.actor() + ", " + e.action() + "): " + reason + (reason.endsWith(".") ? "" : ".");
    }

    /** The why after its time: "Why this change was made (00:00, " is cut off. */
    private static String tail(String why) {
        assertTrue(why.startsWith("Why this change was made ("), why);
        return why.substring(why.indexOf(", ") + 2);
    }

    private static String why(FxRobot robot) throws Exception {
        return FxLookup.onFx(() -> robot.lookup("#audit-why").queryAs(Label.class).getText());
    }
}
