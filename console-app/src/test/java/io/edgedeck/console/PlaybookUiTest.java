package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.http.PlaybookClient;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.Role;
import io.edgedeck.console.timeline.TimelineViewModel;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.PlaybookSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.operators.OperatorStore;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A playbook fired from a LIVE console against a real node on loopback: Ctrl+Shift+P opens the run of
 * the first playbook, and the space bar held on its button runs it; letting go early sends nothing. The
 * node applies every change (a second run finds nothing left to change) and audits the run as one entry.
 *
 * <p>With {@code -Dedgedeck.screenshots=DIR} the window is written there as PNGs.
 */
@ExtendWith(ApplicationExtension.class)
class PlaybookUiTest {
    static final PlaybookSpec STOP_THE_BLEED = new PlaybookSpec("stop-the-bleed", "treatment back to control in Europe, guard armed",
            List.of(new PlaybookSpec.Action("rollback", "checkout-button", "treatment", List.of("fra", "ams"), null, null),
                    new PlaybookSpec.Action("arm", null, null, null, null, "sentiment-guard")), null);
    static final PlaybookSpec RAMP_AT_DROP = new PlaybookSpec("ramp-at-drop", "the new button for most of the drop's audience",
            List.of(new PlaybookSpec.Action("change", "checkout-button", null, null,
                    List.of(new FlagSpec.Variant("control", 20), new FlagSpec.Variant("treatment", 80)), null)), null);

    @TempDir
    Path dir;
    private EdgeNode node;
    private String aliceToken;
    private Stage stage;
    private Console console;
    private HttpEdgeConnection alice;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    /** A node running steady-show with two declared playbooks, and alice, an operator. */
    static EdgeNode startNode(Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        Scenario s = ScenarioCatalog.resolve("steady-show");
        Scenario with = new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(),
                s.regions(), s.audience(), s.flags(), s.triggers(), s.guardrails(), s.cues(), Approvals.NONE,
                List.of(STOP_THE_BLEED, RAMP_AT_DROP));
        return EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(with), 1, InetAddress.getLoopbackAddress(), 0, data));
    }

    static String addAlice(EdgeNode node, Path dir) throws Exception {
        OperatorStore people = new OperatorStore(node.dataDir(), Clock.systemUTC());
        return Files.readString(people.add("alice", Role.OPERATOR, dir.resolve("alice.token")).tokenFile()).trim();
    }

    @BeforeEach
    void startNodeAndConsole(FxRobot robot) throws Exception {
        node = startNode(dir);
        aliceToken = addAlice(node, dir);
        alice = HttpEdgeConnection.open(node.baseUri(), aliceToken);
        waitFor("the connection online", () -> alice.status().online());
        alice.setArmed("sentiment-guard", false, null, "quiet start").join();
        robot.interact(() -> console = TestConsoles.show(stage, alice));
        waitFor("the console knows alice", () -> text(robot, "#acting-as").equals("acting as alice (operator)"));
        robot.interact(() -> console.showTab("playbooks"));
        waitFor("the playbooks listed and offered", () -> FxLookup.present(robot, "#run-stop-the-bleed"));
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            if (console != null) {
                console.dispose();
            }
        });
        node.close();
    }

    @Test
    void aPlaybookFiredByShortcutAndHoldAppliesEveryChangeAsOneAuditEntryAndLettingGoEarlySendsNothing(FxRobot robot)
            throws Exception {
        int auditBefore = alice.audit().join().size();
        assertFalse(armed(), "the guard starts disarmed");

        // the shortcut opens the run of the first playbook; the space bar held on its button fills the bar; let go early
        shortcut(robot);
        waitFor("the run's confirmation", () -> FxLookup.present(robot, "#prompt-confirm"));
        assertTrue(FxLookup.query(robot, "#prompt", Parent.class).lookupAll(".label").stream()
                .anyMatch(n -> ((Label) n).getText().contains("roll back checkout-button/treatment at FRA, AMS")), "the prompt lists the changes");
        robot.press(KeyCode.SPACE);
        waitFor("the hold filling", () -> FxLookup.query(robot, "#prompt-progress", ProgressBar.class).getProgress() > 0.2);
        robot.release(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, FxLookup.query(robot, "#prompt-progress", ProgressBar.class).getProgress(), "letting go empties the bar");
        assertTrue(FxLookup.present(robot, "#prompt"), "letting go early keeps the confirmation open");
        Thread.sleep(HOLD_AND_A_HALF);
        assertEquals(auditBefore, alice.audit().join().size(), "letting go early sent nothing");
        assertFalse(armed());
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitFor("the confirmation closed", () -> !FxLookup.present(robot, "#prompt"));
        assertEquals(auditBefore, alice.audit().join().size(), "closing sends nothing");

        // again, held to the end: the node applies both changes, audited as one entry under alice
        shortcut(robot);
        waitFor("the run's confirmation", () -> FxLookup.present(robot, "#prompt-confirm"));
        robot.press(KeyCode.SPACE);
        try {
            if (System.getProperty("edgedeck.screenshots") != null) {
                waitFor("the hold half way", () -> FxLookup.onFx(() -> robot.lookup("#prompt-progress").tryQueryAs(ProgressBar.class)
                        .map(p -> p.getProgress() > 0.35).orElse(true)));
                shoot("console-playbook-hold-dark.png");
            }
            waitFor("the hold completing", () -> !FxLookup.present(robot, "#prompt"));
        } finally {
            robot.release(KeyCode.SPACE);
        }
        waitFor("the run's outcome", () -> text(robot, "#playbooks-message").startsWith("Ran stop-the-bleed"));
        assertTrue(text(robot, "#playbooks-message").endsWith("as alice, audited as one entry: roll back checkout-button/treatment"
                + " at FRA, AMS; arm sentiment-guard"), text(robot, "#playbooks-message"));
        List<AuditEntry> audit = alice.audit().join();
        assertEquals(auditBefore + 1, audit.size(), "one entry for the run: " + audit.subList(auditBefore, audit.size()));
        AuditEntry run = audit.getLast();
        assertEquals("alice", run.actor());
        assertEquals("playbook.run", run.action());
        assertEquals("stop-the-bleed", run.target());
        assertEquals("roll back checkout-button/treatment at fra, ams; arm sentiment-guard", run.after());
        assertEquals("playbook stop-the-bleed run by hand", run.reason());
        assertTrue(armed(), "the guard was armed");
        // the Flags tab's audit log names what the run touched, not only the playbook it ran
        robot.interact(() -> console.showTab("flags"));
        waitFor("the run's entry in the audit log with what it touched", () -> auditColumn(robot, "Touched")
                .contains("checkout-button, sentiment-guard"));
        robot.interact(() -> console.showTab("playbooks"));
        // every change is in place: a second run finds nothing to change, and is audited all the same
        assertEquals(List.of(), alice.runPlaybook("stop-the-bleed", "check").join().changes());
        List<AuditEntry> again = alice.audit().join();
        assertEquals(auditBefore + 2, again.size());
        assertEquals("nothing to change: every action was already in effect", again.getLast().after());
        shoot("console-playbooks-dark.png");
    }

    @Test
    void aPlaybookRetiredFromTheConsoleIsListedRetiredAndNoLongerOffered(FxRobot robot) throws Exception {
        int auditBefore = alice.audit().join().size();
        waitFor("Retire offered", () -> FxLookup.present(robot, "#retire-ramp-at-drop"));
        fire(robot, "#retire-ramp-at-drop");
        waitFor("the retire's confirmation", () -> FxLookup.present(robot, "#prompt-confirm"));
        fire(robot, "#prompt-confirm");
        waitFor("the retire's outcome", () -> text(robot, "#playbooks-message").startsWith("Retired ramp-at-drop"));
        waitFor("the row's state", () -> !FxLookup.present(robot, "#run-ramp-at-drop")
                && !FxLookup.present(robot, "#retire-ramp-at-drop")
                && FxLookup.present(robot, "#run-stop-the-bleed"));
        assertEquals(io.edgedeck.client.model.Playbook.State.RETIRED, alice.playbookList().join().stream()
                .filter(p -> p.id().equals("ramp-at-drop")).findFirst().orElseThrow().state());
        List<AuditEntry> audit = alice.audit().join();
        assertEquals(auditBefore + 1, audit.size(), "one entry: " + audit.subList(auditBefore, audit.size()));
        assertEquals("alice", audit.getLast().actor());
        assertEquals("playbook.retire", audit.getLast().action());
        assertEquals("ramp-at-drop", audit.getLast().target());
        assertEquals("no longer wanted for this show", audit.getLast().reason());
        shoot("console-playbooks-retired-dark.png");
    }

    /** In a window 1000 px wide (a laptop beside the show) Run… and Retire… are whole, inside their cell and the table. */
    @Test
    void inAWindow1000PxWideEveryRunAndRetireButtonIsWhole(FxRobot robot) throws Exception {
        robot.interact(() -> stage.setWidth(1000));
        waitFor("the table laid out 1000 px wide", () -> stage.getScene().getWidth() <= 1000);
        List<String> cut = FxLookup.onFx(() -> {
            var table = robot.lookup("#playbooks-table").queryAs(javafx.scene.control.TableView.class);
            table.layout();
            double tableRight = table.localToScene(table.getLayoutBounds()).getMaxX();
            List<String> found = new java.util.ArrayList<>();
            for (String id : List.of("#run-stop-the-bleed", "#retire-stop-the-bleed", "#run-ramp-at-drop", "#retire-ramp-at-drop")) {
                javafx.scene.control.Button b = robot.lookup(id).queryButton();
                javafx.scene.Node cell = b;
                while (!(cell instanceof javafx.scene.control.TableCell<?, ?>)) {
                    cell = cell.getParent();
                }
                double right = b.localToScene(b.getLayoutBounds()).getMaxX();
                double cellRight = cell.localToScene(cell.getLayoutBounds()).getMaxX();
                if (right > cellRight || right > tableRight) {
                    found.add(id + " ends at " + Math.round(right) + ", its cell at " + Math.round(cellRight) + ", the table at "
                            + Math.round(tableRight));
                }
            }
            return found;
        });
        assertEquals(List.of(), cut, "buttons cut off in a window 1000 px wide");
    }

    @Test
    void scheduledChangesShowAheadOnTheTimelineOneIsCancelledAndTheDropCueFiresTheRest(FxRobot robot) throws Exception {
        String in10Minutes = java.time.Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        PlaybookClient node = alice.playbooks();
        node.schedule(new NewScheduledChange("drop", null, "ramp-at-drop", null, "ramp when the drop goes live")).join();
        node.schedule(new NewScheduledChange(null, in10Minutes, null, PlaybookAction.rollback("checkout-button", "treatment",
                List.of("iad")), "iad back to control after the first wave")).join();
        node.schedule(new NewScheduledChange("drop", null, null, PlaybookAction.arm("sentiment-guard", true), "guard the drop")).join();
        long version = alice.flags().join().getFirst().version();

        robot.interact(() -> console.showTab("timeline"));
        waitFor("the schedule listed, with Cancel and the cue", () -> FxLookup.present(robot, "#cancel-scheduled-3")
                && FxLookup.present(robot, "#fire-cue-drop"));
        String summary = text(robot, "#schedule-summary");
        assertTrue(summary.startsWith("scheduled changes: 3 pending · next: ") && summary.contains(" · in ") && summary.endsWith(" s"), summary);
        List<TimelineViewModel.Ahead> ahead = console.timeline().viewModel().ahead();
        assertEquals(3, ahead.size(), ahead.toString());
        TimelineViewModel.Ahead atTime = ahead.getFirst();
        assertTrue(atTime.inSeconds() > 500 && atTime.inSeconds() <= 600, atTime.toString());
        assertTrue(atTime.label().endsWith("roll back checkout-button/treatment at IAD"), atTime.label());
        assertEquals(List.of("on cue drop: playbook ramp-at-drop", "on cue drop: arm sentiment-guard"),
                ahead.subList(1, 3).stream().map(TimelineViewModel.Ahead::label).toList());
        shoot("console-schedule-timeline-dark.png");

        // cancel #3 from the console: an audited change on the node
        int auditBefore = alice.audit().join().size();
        fire(robot, "#cancel-scheduled-3");
        waitFor("the cancel's confirmation", () -> FxLookup.present(robot, "#prompt-confirm"));
        fire(robot, "#prompt-confirm");
        waitFor("the cancel's outcome", () -> text(robot, "#schedule-message").equals("Cancelled #3: arm sentiment-guard will not happen"));
        ScheduledChange cancelled = node.schedule().join().get(2);
        assertEquals(ScheduledChange.State.CANCELLED, cancelled.state());
        assertEquals("alice", cancelled.endedBy());
        List<AuditEntry> audit = alice.audit().join();
        assertEquals(auditBefore + 1, audit.size());
        assertEquals("alice schedule.cancel", audit.getLast().actor() + " " + audit.getLast().action());
        waitFor("#3 no longer offered", () -> !FxLookup.present(robot, "#cancel-scheduled-3"));

        // the drop goes live: Ctrl+Shift+D, then the space bar held
        robot.press(ShortcutKeys.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, ShortcutKeys.CONTROL);
        waitFor("the cue's confirmation", () -> FxLookup.present(robot, "#prompt-confirm"));
        assertEquals("Hold to fire drop", robot.lookup("#prompt-confirm").queryButton().getText());
        robot.press(KeyCode.SPACE);
        try {
            waitFor("the hold completing", () -> !FxLookup.present(robot, "#prompt"));
        } finally {
            robot.release(KeyCode.SPACE);
        }
        waitFor("the cue's outcome", () -> text(robot, "#schedule-message").startsWith("Cue drop fired: #1 fired: "));
        assertEquals(List.of(new io.edgedeck.client.model.VariantView("control", 2000), new io.edgedeck.client.model.VariantView("treatment", 8000)),
                alice.flags().join().getFirst().variants());
        assertEquals(version + 1, alice.flags().join().getFirst().version());
        List<ScheduledChange> after = node.schedule().join();
        assertEquals(List.of(ScheduledChange.State.FIRED, ScheduledChange.State.PENDING, ScheduledChange.State.CANCELLED),
                after.stream().map(ScheduledChange::state).toList());
        List<String> entries = alice.audit().join().subList(auditBefore + 1, alice.audit().join().size()).stream()
                .map(e -> e.actor() + " " + e.action() + " " + e.target()).toList();
        assertEquals(List.of("alice show.cue drop", "schedule playbook.run ramp-at-drop"), entries);
        waitFor("no cue left to fire", () -> !FxLookup.present(robot, "#fire-cue-drop"));
        waitFor("the Timeline shows only the change at its time", () -> console.timeline().viewModel().ahead().size() == 1);
    }

    /**
     * Presses a button as its click would. A table redraws its cells every second as the node answers, so a
     * point found for a cell's button may belong to a cell already replaced; the button is found and pressed
     * on the FX thread, in one step.
     */
    private static void fire(FxRobot robot, String query) {
        robot.interact(() -> {
            javafx.scene.control.Button b = robot.lookup(query).queryButton();
            assertFalse(b.isDisabled(), query + " is disabled");
            b.fire();
        });
    }

    private static final long HOLD_AND_A_HALF = (long) (io.edgedeck.console.common.HoldToConfirm.HOLD.toMillis() * 1.5);

    private boolean armed() {
        return alice.guardrails().join().stream().filter(g -> g.id().equals("sentiment-guard")).findFirst()
                .map(GuardrailStatus::armed).orElseThrow();
    }

    private static void shortcut(FxRobot robot) {
        robot.press(ShortcutKeys.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, ShortcutKeys.CONTROL);
    }

    /** What the audit table's {@code column} says of each entry, newest first; empty when it has no such column. */
    @SuppressWarnings("unchecked")
    private static List<Object> auditColumn(FxRobot robot, String column) {
        return FxLookup.onFx(() -> {
            var table = robot.lookup("#audit-table").queryAs(javafx.scene.control.TableView.class);
            return ((List<javafx.scene.control.TableColumn<Object, ?>>) (List<?>) table.getColumns()).stream()
                    .filter(c -> column.equals(c.getText())).findFirst()
                    .map(c -> table.getItems().stream().map(c::getCellData).toList()).orElse(List.of());
        });
    }

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        try {
            // asked on the FX thread: a lookup must not walk the scene while a table redraws its cells
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    private void shoot(String name) throws Exception {
        TestConsoles.shootIfAsked(console, name);
    }
}
