package io.edgedeck.console.playbooks;

import io.edgedeck.client.model.Playbook;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.NodePoller;
import io.edgedeck.console.common.Prompter;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Playbooks tab before the node answered (a console opened while the node is down, or slow): its empty
 * table does not say the node has no playbooks, which would send a producer looking for ones that exist.
 */
@ExtendWith(ApplicationExtension.class)
class PlaybooksEmptyUiTest {
    @Test
    void anEmptyTableSaysTheNodeHasNoPlaybooksOnlyOnceItAnswered(FxRobot robot) {
        PlaybooksViewModel model = new PlaybooksViewModel(null, new SimpleBooleanProperty(true), Background.sameThread(), () -> {
        });
        // a node that does not answer: the question stays open
        NodePoller<List<Playbook>> poller = new NodePoller<>("test-playbooks", 60_000, CompletableFuture::new);
        String[] said = new String[3];
        robot.interact(() -> {
            PlaybooksView view = new PlaybooksView(model, poller, new Prompter(new SimpleStringProperty("")), () -> 1_000);
            Label empty = (Label) ((TableView<?>) view.view().lookup("#playbooks-table")).getPlaceholder();
            said[0] = empty.getText();
            model.failed("connection refused", 1_000);
            said[1] = empty.getText();
            model.answered(List.of(), 2_000);
            said[2] = empty.getText();
            view.dispose();
        });
        assertEquals("Not heard from the node yet: its playbooks show here once it answers", said[0]);
        assertEquals("Not heard from the node yet: its playbooks show here once it answers", said[1], "a failure says nothing of them either");
        assertEquals("The node has no playbooks: a show declares them in its playbooks, people make more with POST /api/v1/playbooks",
                said[2]);
    }
}
