package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the status bar says while the node answers but does not serve yet (restoring its show, or starting without
 * one), and while it cannot read its operators file: each only while the status says so.
 */
class NodeNotServingWordsTest {

    private static String said(String restoring, ConnectionStatus.Waiting waiting) {
        return ConnectionStatusViewModel.describe(new ConnectionStatus(ConnectionStatus.State.RECONNECTING,
                "the node is not serving yet", 0, restoring, waiting));
    }

    @Test
    void aNodeRestoringSaysHowFarAndANewOneThatItIsStarting() {
        assertEquals("Node restoring its show: played 0:20 of 1:00 of the show again; actions refused",
                said("played 0:20 of 1:00 of the show again", ConnectionStatus.Waiting.NODE_RESTORING));
        assertEquals("Node starting: it has no show to restore, nothing to read back; actions refused",
                said("starting: it has no show to restore, nothing to read back", ConnectionStatus.Waiting.NODE_STARTING));
    }

    /**
     * A console waiting on a node's operators file while the node's owner fixes it and restarts the node: refused for
     * the file, then the node cannot be reached, then it restores its show. The banner and the status bar speak of the
     * file only while the status does.
     */
    @Test
    void theOperatorsFileIsBlamedOnlyWhileTheStatusSaysSo() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        try (ConnectionStatusViewModel model = new ConnectionStatusViewModel(connection, Runnable::run)) {
            connection.set(new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "the node at http://127.0.0.1:8787 cannot"
                    + " read its operators file, so for now it lets no person's own token in", 1, null,
                    ConnectionStatus.Waiting.OPERATORS_FILE));
            assertEquals(ConnectionStatusViewModel.WAITING_FOR_OPERATORS, model.textProperty().get());
            assertTrue(model.nodeProblemProperty().get().startsWith("Not let in for now: the node at"), model.nodeProblemProperty().get());

            connection.set(ConnectionStatus.State.RECONNECTING, "reconnecting in 1.4 s: connection refused", 2);
            assertEquals("Not connected: reconnecting in 1.4 s: connection refused; actions refused", model.textProperty().get());
            assertEquals("", model.nodeProblemProperty().get(), "no banner blames the file for a node that is down");

            connection.set(new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "the node is restoring its show: played 0:20"
                    + " of 1:00 of the show again; asking again in 1 s", 3, "played 0:20 of 1:00 of the show again"));
            assertEquals("Node restoring its show: played 0:20 of 1:00 of the show again; actions refused", model.textProperty().get());
            assertFalse(model.nodeProblemProperty().get().contains("operators"), model.nodeProblemProperty().get());
        }
    }
}
