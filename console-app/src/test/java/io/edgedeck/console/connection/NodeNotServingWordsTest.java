package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the status bar says while the node answers but does not serve yet: restoring its show, or starting without one. */
class NodeNotServingWordsTest {

    private static String said(String restoring) {
        return ConnectionStatusViewModel.describe(new ConnectionStatus(ConnectionStatus.State.RECONNECTING,
                "the node is not serving yet", 0, restoring));
    }

    @Test
    void aNodeRestoringSaysHowFarAndANewOneThatItIsStarting() {
        assertEquals("Node restoring its show: played 0:20 of 1:00 of the show again; actions refused",
                said("played 0:20 of 1:00 of the show again"));
        assertEquals("Node starting: it has no show to restore, nothing to read back; actions refused",
                said("starting: it has no show to restore, nothing to read back"));
    }
}
