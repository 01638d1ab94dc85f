package io.edgedeck.console;

import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.RestoreProgress;
import io.edgedeck.simulator.show.ShowDefinition;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real steady-show rehearsal node on loopback, started again on its data directory and held while it restores its
 * show, at {@code holdAt} of show time, until {@link #release}: what a console sees of a node mid-restore.
 */
public final class HeldRestore {
    private final Path data;
    private final int port;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<EdgeNode> starting;

    /**
     * Starts the node once on {@code data}, lets {@code journaled} add to its journal (where the show had come to, say),
     * and starts it again, returning once its restore is held at {@code holdAtMillis}.
     */
    public HeldRestore(Path data, long holdAtMillis, Consumer<SnapshotJournal> journaled) throws Exception {
        this.data = data;
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, data)).close();
        try (SnapshotJournal journal = SnapshotJournal.open(data, new SnapshotJournal.Policy(Long.MAX_VALUE, Duration.ofDays(1)))) {
            journaled.accept(journal);
        }
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CountDownLatch held = new CountDownLatch(1);
        RestoreProgress progress = new RestoreProgress() {
            @Override
            public void reached(long millis) {
                super.reached(Math.min(millis, holdAtMillis));
                if (millis >= holdAtMillis && held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        starting = CompletableFuture.supplyAsync(() -> {
            try {
                return EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), port, data), progress);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(held.await(60, TimeUnit.SECONDS), "the restore never came to " + holdAtMillis + " ms");
    }

    /** A connection to the held node with its admin token, reconnecting quickly. */
    public HttpEdgeConnection connect() throws java.io.IOException {
        return TestConsoles.openReconnectingQuickly(URI.create("http://127.0.0.1:" + port), Files.readString(data.resolve("token")).trim());
    }

    /** Lets the restore go on. */
    public void release() {
        release.countDown();
    }

    /** The node, once it has restored its show (after {@link #release}). */
    public EdgeNode restored() throws Exception {
        return starting.get(60, TimeUnit.SECONDS);
    }
}
