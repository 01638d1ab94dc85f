package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.operators.OperatorStore;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.ToggleSwitch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console LIVE against a real node, connected with a person's own token: it says who it acts as,
 * an operator's change is audited under their name, and a viewer's console offers no change.
 */
@ExtendWith(ApplicationExtension.class)
class LiveConsoleAsAPersonUiTest {
    @TempDir
    static Path dir;
    static EdgeNode node;
    static String alice;
    static String carol;

    private Stage stage;
    private Console console;

    @BeforeAll
    static void startNode() throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("steady-show")), 5,
                InetAddress.getLoopbackAddress(), 0, data));
        OperatorStore people = new OperatorStore(data, Clock.systemUTC());
        alice = Files.readString(people.add("alice", Role.OPERATOR, dir.resolve("alice.token")).tokenFile()).trim();
        carol = Files.readString(people.add("carol", Role.VIEWER, dir.resolve("carol.token")).tokenFile()).trim();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> console.dispose());
    }

    private void open(FxRobot robot, String token) {
        HttpEdgeConnection connection = HttpEdgeConnection.open(node.baseUri(), token);
        robot.interact(() -> console = TestConsoles.show(stage, connection));
    }

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    private static FlagView checkoutButton(HttpEdgeConnection c) {
        return c.flags().join().stream().filter(f -> f.key().equals("checkout-button")).findFirst().orElseThrow();
    }

    @Test
    void anOperatorsConsoleSaysWhoItActsAsAndTheirKillIsAuditedUnderTheirName(FxRobot robot) throws Exception {
        open(robot, alice);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#acting-as").equals("acting as alice (operator)"));
        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#kill-checkout-button"));
        try (HttpEdgeConnection admin = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim())) {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> admin.status().online());
            if (checkoutButton(admin).killed()) {
                admin.setKilled("checkout-button", false, "admin", "set up").join();
            }
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxLookup.onFx(() -> robot.lookup("#kill-checkout-button")
                    .tryQueryAs(Button.class).map(b -> b.getText().equals("Kill")).orElse(false)));
            robot.clickOn("#kill-checkout-button");
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#prompt-who"));
            assertTrue(text(robot, "#prompt-who").startsWith("Acting as alice (operator)"), text(robot, "#prompt-who"));
            String shown = WaitForAsyncUtils.asyncFx(() -> ((javafx.scene.text.Text) FxLookup.query(robot, "#prompt-who", Label.class)
                    .lookup(".text")).getText()).get(5, TimeUnit.SECONDS);
            assertEquals(text(robot, "#prompt-who"), shown, "who the node audits is read whole on the card");
            robot.clickOn("#prompt-confirm");
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> checkoutButton(admin).killed());
            List<AuditEntry> audit = admin.audit().join();
            AuditEntry last = audit.getLast();
            assertEquals("flag.kill", last.action());
            assertEquals("alice", last.actor(), "the node audits the token's person, not the console's Settings name");
            admin.setKilled("checkout-button", false, "admin", "put back").join();
        }
    }

    @Test
    void aViewersConsoleOffersNoChangeAndSaysWhy(FxRobot robot) throws Exception {
        open(robot, carol);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#acting-as").equals("acting as carol (viewer) · view only"));
        assertFalse(FxLookup.query(robot, "#banner-rollback", Node.class).isVisible(), "no rollback in the banner");

        robot.interact(() -> console.showTab("flags"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#view-only-checkout-button"));
        assertTrue(!FxLookup.present(robot, "#kill-checkout-button"), "no kill button");
        robot.lookup("#switch-checkout-button").tryQueryAs(ToggleSwitch.class)
                .ifPresent(s -> assertTrue(s.isDisabled(), "the switch cannot be flipped"));
        int audited;
        try (HttpEdgeConnection admin = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim())) {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> admin.status().online());
            audited = admin.audit().join().size();
            boolean killed = checkoutButton(admin).killed();
            robot.press(ShortcutKeys.CONTROL, KeyCode.SHIFT, KeyCode.K).release(KeyCode.K, KeyCode.SHIFT, ShortcutKeys.CONTROL);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#flags-message").startsWith("View only: carol is a viewer"));
            assertTrue(!FxLookup.present(robot, "#prompt"), "the kill shortcut asks nothing of a viewer");

            robot.interact(() -> console.showTab("guardrails"));
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FxLookup.present(robot, "#rollback-button"));
            assertTrue(FxLookup.query(robot, "#rollback-button", Button.class).isDisabled());
            assertTrue(text(robot, "#rollback-hint").startsWith("View only"), text(robot, "#rollback-hint"));
            assertTrue(robot.lookup(".button").queryAllAs(Button.class).stream().noneMatch(b -> b.isVisible()
                    && b.getId() != null && b.getId().startsWith("arm-")), "no arm or disarm buttons");

            assertEquals(killed, checkoutButton(admin).killed());
            assertEquals(audited, admin.audit().join().size(), "nothing reached the audit");
        }
    }
}
