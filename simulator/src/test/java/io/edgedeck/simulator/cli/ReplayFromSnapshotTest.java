package io.edgedeck.simulator.cli;

import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay --journal DATA_DIR} on a node whose journal was compacted: the show replays from
 * its newest snapshot and the records after it, and the engine makes the same records again.
 */
class ReplayFromSnapshotTest {

    @Test
    void aCompactedJournalReplaysFromItsSnapshotAndTheRecordsAfterIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        EdgeNode.Config config = new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("acquirer-slowdown")),
                ShowRunner.MAX_SPEED, InetAddress.getLoopbackAddress(), 0, data)
                .withSnapshots(new SnapshotJournal.Policy(60, Duration.ofMinutes(5)));
        long written;
        try (EdgeNode node = EdgeNode.start(config)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (node.latestFrame() == null || node.latestFrame().state() != io.edgedeck.client.model.ShowState.FINISHED) {
                assertTrue(System.currentTimeMillis() < deadline, "the show plays to its end");
                Thread.sleep(100);
            }
            written = node.runner().submit(s -> node.journal().snapshotsWritten()).get();
        }
        assertTrue(written >= 5, written + " snapshots written");
        assertTrue(Files.readAllLines(data.resolve("journal.jsonl")).getFirst().matches("\\{\"type\":\"[a-z.]+\",\"seq\":\\d{3},.*"),
                "the journal was compacted: it starts past its first hundred records");

        CliRun r = CliRun.of("replay", "--journal", data.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("replay: from snapshot snapshot-"), r.err());
        assertTrue(r.out().contains("the engine made the same"), r.out());
        System.out.println(r.err().lines().findFirst().orElse("") + " / " + r.out().lines().filter(l -> l.startsWith("replay"))
                .findFirst().orElse(""));
    }
}
