package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.AuditFilter;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.operators.OperatorStore;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two people, two console windows, one real node with approval lanes: alice (an operator) raises the
 * treatment above the show's 60% lane and her Flags tab says it is held, not applied; bob (an approver)
 * approves it from his Requests tab; alice applies it; the audit, filtered by person, shows each
 * person's steps, and its export is the node's own; from the flag's history, a restore of the even split
 * applies and a restore of the ramp is held again.
 *
 * <p>README's screenshots of these moments are ApprovalShowcase's, on a {@code serve --live} node (docs/screenshots.sh).
 */
@ExtendWith(ApplicationExtension.class)
class TwoPersonApprovalUiTest {
    private static final String FLAG = "checkout-button";

    @TempDir
    Path dir;
    private EdgeNode node;
    private String aliceToken;
    private String bobToken;
    private Stage aliceStage;
    private Stage bobStage;
    private Console alice;
    private Console bob;

    @Start
    void start(Stage stage) {
        this.aliceStage = stage;
    }

    @BeforeEach
    void startNode() throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        node = LanedNodes.start(data);
        OperatorStore people = new OperatorStore(data, Clock.systemUTC());
        aliceToken = Files.readString(people.add("alice", Role.OPERATOR, dir.resolve("alice.token")).tokenFile()).trim();
        bobToken = Files.readString(people.add("bob", Role.APPROVER, dir.resolve("bob.token")).tokenFile()).trim();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            if (alice != null) {
                alice.dispose();
            }
            if (bob != null) {
                bob.dispose();
                bobStage.close();
            }
        });
        node.close();
    }

    private static String text(FxRobot robot, Console c, String query) {
        return FxLookup.onFx(() -> robot.from(c.scene().getRoot()).lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    private static boolean present(FxRobot robot, Console c, String query) {
        return FxLookup.onFx(() -> robot.from(c.scene().getRoot()).lookup(query).tryQuery().map(n -> n.isVisible()).orElse(false));
    }

    /**
     * Presses a button of one console's window. Two windows share one headless screen, so a click at a
     * point could land on the other; firing the button is what its click does, in the window meant.
     */
    private static void click(FxRobot robot, Console c, String query) {
        robot.interact(() -> {
            javafx.scene.control.ButtonBase button = robot.from(c.scene().getRoot()).lookup(query)
                    .queryAs(javafx.scene.control.ButtonBase.class);
            assertFalse(button.isDisabled(), query + " is disabled");
            button.fire();
        });
    }

    private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            // Generous: two consoles and a node share the machine, and a wait that is met returns at once.
            WaitForAsyncUtils.waitFor(45, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    private FlagView flag(HttpEdgeConnection c) {
        return c.flags().join().stream().filter(f -> f.key().equals(FLAG)).findFirst().orElseThrow();
    }

    @Test
    void aRiskyChangeIsHeldApprovedByASecondPersonAppliedAndAuditedByPerson(FxRobot robot) throws Exception {
        HttpEdgeConnection aliceConnection = HttpEdgeConnection.open(node.baseUri(), aliceToken);
        HttpEdgeConnection bobConnection = HttpEdgeConnection.open(node.baseUri(), bobToken);
        robot.interact(() -> {
            alice = TestConsoles.show(aliceStage, aliceConnection);
            aliceStage.setX(0);
            bobStage = new Stage();
            bob = TestConsoles.show(bobStage, bobConnection);
            bobStage.setX(40);
            bobStage.setY(40);
        });
        waitFor("alice's console knows her", () -> text(robot, alice, "#acting-as").equals("acting as alice (operator)"));
        waitFor("bob's console knows him", () -> text(robot, bob, "#acting-as").equals("acting as bob (approver)"));
        long before = flag(aliceConnection).version();

        // alice raises the treatment to 70%: over the 60% lane, so it is held, not applied
        robot.interact(() -> {
            alice.showTab("flags");
            aliceStage.toFront();
        });
        waitFor("alice's weights button", () -> present(robot, alice, "#weights-" + FLAG));
        click(robot, alice, "#weights-" + FLAG);
        robot.interact(() -> {
            robot.from(alice.scene().getRoot()).lookup("#weight-control").queryAs(TextField.class).setText("30");
            robot.from(alice.scene().getRoot()).lookup("#weight-treatment").queryAs(TextField.class).setText("70");
        });
        click(robot, alice, "#weights-next");
        waitFor("the reason prompt", () -> present(robot, alice, "#prompt-confirm"));
        robot.interact(() -> robot.from(alice.scene().getRoot()).lookup("#prompt-reason").queryAs(TextField.class)
                .setText("ramp for the drop"));
        click(robot, alice, "#prompt-confirm");
        waitFor("the row says held", () -> text(robot, alice, "#held-" + FLAG).equals("held: request #1, waiting for an approver"));
        assertTrue(text(robot, alice, "#flags-message").startsWith(FLAG + " held: request #1, waiting for an approver"),
                text(robot, alice, "#flags-message"));
        assertEquals(before, flag(aliceConnection).version(), "held, not applied");
        assertEquals(5000, flag(aliceConnection).variants().get(1).weight());

        // alice's own Requests tab: her request, which she may edit or withdraw but not approve
        robot.interact(() -> alice.showTab("requests"));
        waitFor("alice sees her request", () -> present(robot, alice, "#withdraw-1"));
        assertFalse(present(robot, alice, "#approve-1"), "the requester is offered no approval of her own request");

        // bob approves it from his own window
        robot.interact(() -> {
            bob.showTab("requests");
            bobStage.toFront();
        });
        waitFor("bob is offered the approval", () -> present(robot, bob, "#approve-1"));
        assertTrue(present(robot, bob, "#reject-1"));
        assertFalse(present(robot, bob, "#withdraw-1"), "only the requester withdraws");
        assertTrue(text(robot, bob, "#requests-summary").contains("1 waiting for your approval"), text(robot, bob, "#requests-summary"));
        click(robot, bob, "#approve-1");
        waitFor("the approval prompt", () -> present(robot, bob, "#prompt-confirm"));
        robot.interact(() -> robot.from(bob.scene().getRoot()).lookup("#prompt-reason").queryAs(TextField.class)
                .setText("checked with the producer"));
        click(robot, bob, "#prompt-confirm");
        waitFor("bob's message", () -> text(robot, bob, "#requests-message").startsWith("Approved request #1"));
        assertEquals(before, flag(aliceConnection).version(), "approved is not applied");

        // alice sees it approved, in her Flags tab and her Requests tab, and applies it
        robot.interact(() -> aliceStage.toFront());
        waitFor("alice is offered the apply", () -> present(robot, alice, "#apply-1"));
        assertFalse(present(robot, alice, "#approve-1"));
        robot.interact(() -> alice.showTab("flags"));
        waitFor("the row says approved", () -> text(robot, alice, "#held-" + FLAG)
                .equals("approved: request #1 by bob, waiting to be applied"));
        robot.interact(() -> alice.showTab("requests"));
        click(robot, alice, "#apply-1");
        waitFor("the change applied", () -> flag(aliceConnection).version() == before + 1);
        assertEquals(List.of(new VariantView("control", 3000), new VariantView("treatment", 7000)), flag(aliceConnection).variants());
        waitFor("alice's message", () -> text(robot, alice, "#requests-message").startsWith("Applied request #1"));
        robot.interact(() -> alice.showTab("flags"));
        waitFor("the held line gone", () -> !present(robot, alice, "#held-" + FLAG));

        // the audit filtered by person: bob's approval alone, then alice's request and the change she applied
        pick(robot, alice, "#audit-person", "bob");
        waitFor("bob's entries", () -> auditActions(robot).equals(List.of("bob request.approve")));
        pick(robot, alice, "#audit-person", "alice");
        waitFor("alice's entries", () -> auditActions(robot).equals(List.of("alice flag.change", "alice request.open")));
        AuditEntry applied = auditTable(robot).getItems().getFirst();
        assertTrue(applied.reason().endsWith("(request #1 by alice, approved by bob)"), applied.reason());

        // the export of alice's entries is the node's own export, byte for byte
        // into a folder that exists: the export names a missing one rather than making it
        Path file = Files.createDirectory(dir.resolve("out")).resolve("alice.jsonl");
        robot.interact(() -> robot.from(alice.scene().getRoot()).lookup("#audit-export-path").queryAs(TextField.class)
                .setText(file.toString()));
        click(robot, alice, "#audit-export");
        waitFor("the export written", () -> text(robot, alice, "#flags-message").startsWith("Exported 2 entries"));
        assertEquals(aliceConnection.exportAudit(new AuditFilter("alice", null, null)).join(), Files.readString(file));
        assertEquals(2, Files.readAllLines(file).size());

        // history: restoring v1 (50%) is not risky and applies; restoring the 70% version is held like any other ramp
        click(robot, alice, "#history-" + FLAG);
        waitFor("the history's versions", () -> present(robot, alice, "#restore-v" + before));
        click(robot, alice, "#restore-v" + before);
        confirm(robot, alice, "back to the even split");
        waitFor("the restore applied", () -> flag(aliceConnection).version() == before + 2);
        assertEquals(5000, flag(aliceConnection).variants().get(1).weight());
        waitFor("the row at the new version", () -> present(robot, alice, "#history-" + FLAG)
                && text(robot, alice, "#flags-message").startsWith(FLAG + " is now v" + (before + 2)));
        click(robot, alice, "#history-" + FLAG);
        waitFor("the 70% version offered", () -> present(robot, alice, "#restore-v" + (before + 1)));
        click(robot, alice, "#restore-v" + (before + 1));
        confirm(robot, alice, "ramp again");
        try {
            waitFor("the restore held", () -> text(robot, alice, "#held-" + FLAG).equals("held: request #2, waiting for an approver"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": the row said '" + text(robot, alice, "#held-" + FLAG) + "', the message '"
                    + text(robot, alice, "#flags-message") + "', the node's requests " + aliceConnection.requests().join()
                    + ", the flag at v" + flag(aliceConnection).version(), e);
        }
        assertEquals(before + 2, flag(aliceConnection).version(), "a held restore is not applied");
        aliceConnection.close();
        bobConnection.close();
    }

    private static void confirm(FxRobot robot, Console c, String reason) throws Exception {
        waitFor("the reason prompt", () -> present(robot, c, "#prompt-confirm"));
        robot.interact(() -> robot.from(c.scene().getRoot()).lookup("#prompt-reason").queryAs(TextField.class).setText(reason));
        click(robot, c, "#prompt-confirm");
    }

    private static void pick(FxRobot robot, Console c, String box, String value) {
        robot.interact(() -> robot.from(c.scene().getRoot()).lookup(box).<ComboBox<String>>query().setValue(value));
    }

    @SuppressWarnings("unchecked")
    private TableView<AuditEntry> auditTable(FxRobot robot) {
        return robot.from(alice.scene().getRoot()).lookup("#audit-table").queryAs(TableView.class);
    }

    private List<String> auditActions(FxRobot robot) {
        return auditTable(robot).getItems().stream().map(e -> e.actor() + " " + e.action()).toList();
    }
}
