package io.edgedeck.console.connection;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.TestConsoles;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.RestoreProgress;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection log of a console connected to a real rehearsal node held halfway through restoring its show: it
 * notes once that the node is restoring, however often the progress moves, and then that it restored, before the
 * console is connected again; a bundle made meanwhile says so in the log's own words.
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
        Path data = Files.createDirectory(dir.resolve("node"));
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, data)).close();
        try (SnapshotJournal journal = SnapshotJournal.open(data, new SnapshotJournal.Policy(Long.MAX_VALUE, Duration.ofDays(1)))) {
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 60_000));
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RestoreProgress progress = new RestoreProgress() {
            @Override
            public void reached(long millis) {
                super.reached(Math.min(millis, 20_000));
                if (millis >= 20_000 && held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        CompletableFuture<EdgeNode> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), port, data), progress);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        EdgeNode node = null;
        try (HttpEdgeConnection connection = openWhenHeld(held, port, data);
             ConnectionLog log = new ConnectionLog(connection)) {
            try {
                waitFor(() -> named(log).contains("node restoring"), "the log noted the node restoring: " + log.events());
                // The node keeps answering "restoring" meanwhile: noted once, not at each answer.
                Thread.sleep(1_000);
                assertEquals(1, named(log).stream().filter("node restoring"::equals).count(), log.events().toString());
                ConnectionLog.Event restoring = log.events().stream().filter(e -> e.event().equals("node restoring")).findFirst().orElseThrow();
                // As the status bar says it, with when the console asks again.
                assertTrue(restoring.detail().startsWith("the node is restoring its show: played 0:20 of 1:00 of the show again"),
                        restoring.detail());
            } finally {
                release.countDown();
            }
            node = starting.get(60, TimeUnit.SECONDS);
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

    private static HttpEdgeConnection openWhenHeld(CountDownLatch held, int port, Path data) throws Exception {
        assertTrue(held.await(60, TimeUnit.SECONDS), "the restore never came to 0:20");
        return TestConsoles.openReconnectingQuickly(URI.create("http://127.0.0.1:" + port), Files.readString(data.resolve("token")).trim());
    }
}
