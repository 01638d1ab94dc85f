package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.HeldRestore;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection log of a console connected to a real rehearsal node held halfway through restoring its show: it
 * notes once that the node is restoring, however often the progress moves, and then that it restored, before the
 * console is connected again; a bundle made meanwhile says so in the log's own words. The node's answers in between, its
 * progress moving, a drop, are fed to the log as the connection reports them in the second test.
 */
class ConnectionLogRestoringTest {
    @TempDir
    Path dir;

    private static void waitFor(BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static List<String> named(ConnectionLog log) {
        return log.events().stream().map(ConnectionLog.Event::event).toList();
    }

    @Test
    void theLogNotesTheNodeRestoringOnceThenRestored() throws Exception {
        HeldRestore restore = new HeldRestore(Files.createDirectory(dir.resolve("node")), 20_000,
                journal -> journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 60_000)));
        EdgeNode node = null;
        try (HttpEdgeConnection connection = restore.connect();
             ConnectionLog log = new ConnectionLog(connection)) {
            try {
                waitFor(() -> named(log).contains("node restoring"), "the log noted the node restoring: " + log.events());
                assertEquals(1, named(log).stream().filter("node restoring"::equals).count(), log.events().toString());
                ConnectionLog.Event restoring = log.events().stream().filter(e -> e.event().equals("node restoring")).findFirst().orElseThrow();
                // As the status bar says it, with when the console asks again.
                assertTrue(restoring.detail().startsWith("the node is restoring its show: played 0:20 of 1:00 of the show again"),
                        restoring.detail());
            } finally {
                restore.release();
            }
            node = restore.restored();
            waitFor(() -> named(log).contains("connected"), "connected once restored: " + log.events());
            List<String> events = named(log);
            assertEquals(List.of("node restoring", "node restored", "connected"),
                    events.subList(events.indexOf("node restoring"), events.size()), log.events().toString());
            ConnectionLog.Event restored = log.events().stream().filter(e -> e.event().equals("node restored")).findFirst().orElseThrow();
            assertEquals("the node restored its show and answers again", restored.detail());
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    /**
     * The restore's progress moves (noted once), the connection drops while the node restores, and the node answers
     * next with its show restored: the log says it restored, rather than going from "node restoring" to "connected".
     */
    @Test
    void aDropWhileTheNodeRestoresStillEndsInNodeRestored() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        connection.set(ConnectionStatus.State.RECONNECTING, "connecting to http://127.0.0.1:8787");
        try (ConnectionLog log = new ConnectionLog(connection)) {
            connection.set(new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "the node is restoring its show: played 0:20"
                    + " of 1:00 of the show again; asking again in 1 s", 1, "played 0:20 of 1:00 of the show again"));
            connection.set(new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "the node is restoring its show: played 0:40"
                    + " of 1:00 of the show again; asking again in 1 s", 2, "played 0:40 of 1:00 of the show again"));
            connection.set(ConnectionStatus.State.RECONNECTING, "reconnecting in 1 s: connection refused", 3);
            connection.set(ConnectionStatus.State.ONLINE, "connected to http://127.0.0.1:8787", 4);
            assertEquals(List.of("not connected", "node restoring", "node restored", "connected"), named(log), log.events().toString());
        }
    }

    /**
     * A node on a new data directory has no show to restore: the log notes it starting and then started, never
     * restoring a show it did not have nor restored one (a bundle's connection-log.json is read by support).
     */
    @Test
    void aNewNodeIsNotedStartingAndStartedNeverRestoring() {
        StatusOnlyConnection connection = new StatusOnlyConnection();
        connection.set(ConnectionStatus.State.RECONNECTING, "connecting to http://127.0.0.1:8787");
        try (ConnectionLog log = new ConnectionLog(connection)) {
            connection.set(new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "the node is starting: it has no show to"
                    + " restore, nothing to read back; asking again in 2 s", 1, "starting: it has no show to restore, nothing"
                    + " to read back", ConnectionStatus.Waiting.NODE_STARTING));
            connection.set(ConnectionStatus.State.ONLINE, "connected to http://127.0.0.1:8787", 2);
            assertEquals(List.of("not connected", "node starting", "node started", "connected"), named(log), log.events().toString());
            assertEquals("the node started and answers", log.events().stream().filter(e -> e.event().equals("node started"))
                    .findFirst().orElseThrow().detail());
        }
    }
}
