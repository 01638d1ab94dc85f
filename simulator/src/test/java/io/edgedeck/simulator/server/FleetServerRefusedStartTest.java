package io.edgedeck.simulator.server;

import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An aggregator's start refused before it serves says why even when the lock file it found cannot be
 * put back, and still takes back the token and read key it made. The lock file is taken from under
 * the start (its name removed) while the start waits on the nodes' read key, a named pipe, so that
 * putting the lock file's time back fails.
 */
class FleetServerRefusedStartTest {

    @Test
    void aLockFileThatCannotBePutBackNeitherHidesTheRefusalNorKeepsWhatTheStartMade(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve(DataDirectoryLock.FILE), "4242\n");
        Path nodesKey = dir.resolve("nodes-read-key");
        Process mkfifo = new ProcessBuilder("mkfifo", nodesKey.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

        CompletableFuture<FleetServer> start = CompletableFuture.supplyAsync(() -> {
            try {
                return FleetServer.start(new FleetOptions("127.0.0.1:9", null, new FleetTopics("edgedeck.", 1, (short) 1), null),
                        InetAddress.getLoopbackAddress(), 0, data, 0, null, nodesKey);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        // The start has made its keys and now reads the nodes' read key, which waits for a writer.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(data.resolve("read-key")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(data.resolve("read-key")), "the start made its read key");
        Files.delete(data.resolve(DataDirectoryLock.FILE));
        // An empty read key: the start is refused.
        Files.write(nodesKey, new byte[0]);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> start.get(30, TimeUnit.SECONDS));
        EdgeNode.StartException refused = assertInstanceOf(EdgeNode.StartException.class, failed.getCause(),
                String.valueOf(failed.getCause()));
        assertEquals("--nodes-read-key " + nodesKey + " is empty: give the file of the nodes' read key", refused.getMessage());
        assertEquals(1, refused.getSuppressed().length, "the lock file could not be put back: " + List.of(refused.getSuppressed()));
        try (Stream<Path> left = Files.list(data)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the token and read key the start made are taken back");
        }
    }
}
