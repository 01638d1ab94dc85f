package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowChanges;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flag with two paused variants on a node whose lanes hold every resume for approval: one Resume… on
 * its row asks for each variant to be resumed, and both wait for an approver, the row and the message
 * naming each; the first held does not keep the second from being asked for.
 */
@ExtendWith(ApplicationExtension.class)
class ResumeEachPausedVariantUiTest {
    private static final String FLAG = "checkout-button";

    @TempDir
    Path dir;
    private Stage stage;
    private EdgeNode node;
    private Console console;
    private HttpEdgeConnection connection;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            if (console != null) {
                console.dispose();
            }
        });
        if (connection != null) {
            connection.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.from(console.scene().getRoot()).lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    @Test
    void oneResumeAsksForEachPausedVariantAndBothAreHeld(FxRobot robot) throws Exception {
        // checkout-button with a third variant, so two can be paused at once
        List<FlagSpec> flags = new ArrayList<>();
        for (FlagSpec f : ScenarioCatalog.resolve("steady-show").flags()) {
            flags.add(!f.key().equals(FLAG) ? f : new FlagSpec(f.key(), f.description(), f.owner(), List.of(
                    new FlagSpec.Variant("control", 50), new FlagSpec.Variant("treatment", 25), new FlagSpec.Variant("compact", 25)),
                    f.control(), f.scope(), f.salt(), f.effects()));
        }
        Path data = Files.createDirectory(dir.resolve("node"));
        node = LanedNodes.start(data, flags);
        node.runner().submit(s -> {
            for (String variant : List.of("treatment", "compact")) {
                s.core().experiments().setPaused(FLAG, variant, true, "guardrail:sentiment-guard", "chat turned", ShowChanges.now(s));
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
        connection = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim());
        robot.interact(() -> {
            console = TestConsoles.show(stage, connection);
            console.showTab("flags");
        });
        waitFor("the row offers Resume", () -> FxLookup.onFx(() -> robot.from(console.scene().getRoot()).lookup("#resume-" + FLAG)
                .tryQuery().map(n -> n.isVisible() && !n.isDisabled()).orElse(false)));
        robot.interact(() -> robot.from(console.scene().getRoot()).lookup("#resume-" + FLAG).queryAs(ButtonBase.class).fire());
        waitFor("the reason prompt", () -> FxLookup.onFx(() -> robot.from(console.scene().getRoot()).lookup("#prompt-confirm")
                .tryQuery().isPresent()));
        robot.interact(() -> {
            robot.from(console.scene().getRoot()).lookup("#prompt-reason").queryAs(TextField.class).setText("chat is calm again");
            robot.from(console.scene().getRoot()).lookup("#prompt-confirm").queryAs(ButtonBase.class).fire();
        });
        waitFor("the message says what became of each", () -> text(robot, "#flags-message").contains("compact held")
                && text(robot, "#flags-message").contains("treatment held"));
        List<String> asked = connection.requests().join().stream().filter(r -> r.operation().equals(ChangeRequest.VARIANT_RESUME))
                .map(ChangeRequest::target).sorted().toList();
        assertEquals(List.of(FLAG + "/compact", FLAG + "/treatment"), asked, "a resume asked for each paused variant");
        waitFor("the row says both are held", () -> text(robot, "#held-" + FLAG).contains("compact held: request #")
                && text(robot, "#held-" + FLAG).contains("treatment held: request #"));
        assertTrue(text(robot, "#overrides-" + FLAG).contains("paused"), "held, not applied: " + text(robot, "#overrides-" + FLAG));
    }
}
