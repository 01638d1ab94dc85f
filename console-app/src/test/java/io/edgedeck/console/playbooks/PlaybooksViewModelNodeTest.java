package io.edgedeck.console.playbooks;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.NewPlaybook;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import javafx.beans.property.SimpleBooleanProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Playbooks tab's run against a real node: a run the node refuses for one of its fields says which. */
class PlaybooksViewModelNodeTest {
    @TempDir
    Path dir;

    @Test
    void aRunTheNodeRefusesNamesTheFieldItRefused() throws Exception {
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("steady-show")), 1,
                InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))));
             HttpEdgeConnection connection = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim())) {
            long until = System.currentTimeMillis() + 15_000;
            while (!connection.status().online()) {
                assertTrue(System.currentTimeMillis() < until, "the console connects");
                Thread.sleep(20);
            }
            connection.playbooks().create(new NewPlaybook("pull-back", "", List.of(PlaybookAction.kill("checkout-button")), null,
                    "ready for the drop")).join();
            PlaybooksViewModel vm = new PlaybooksViewModel(new ConsoleSession(connection, Background.sameThread()),
                    new SimpleBooleanProperty(true), Background.sameThread(), () -> { });
            vm.answered(connection.playbookList().join(), System.currentTimeMillis());
            PlaybooksViewModel.Row row = vm.rows().stream().filter(r -> r.id().equals("pull-back")).findFirst().orElseThrow();

            // the node's words read on from the field's name, and name it again further on: the field comes first, and
            // "nothing changed" is said once
            vm.run(row, "x".repeat(1_200));
            until = System.currentTimeMillis() + 15_000;
            while (vm.runningProperty().get() || !vm.messageProperty().get().startsWith("Not run: ")) {
                assertTrue(System.currentTimeMillis() < until, "the node answers: " + vm.messageProperty().get());
                Thread.sleep(20);
            }
            assertEquals("Not run: the reason is 1200 characters long; a reason is at most 1000 characters: one line a person"
                    + " reads in the audit and the console; nothing changed", vm.messageProperty().get());
            assertFalse(connection.flags().join().stream().filter(f -> f.key().equals("checkout-button")).findFirst().orElseThrow()
                    .killed(), "nothing ran");
        }
    }
}
