package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node in a process of its own, its clock 100 times the wall clock's (a trigger's second is
 * 10 ms of wall time, and a batch's wait for its fsync and for the engine puts it ticks, often
 * hundreds of engine ms, after its arrival), takes click steps from four senders at once, a trigger
 * counting two clicks of a session within a second, each session's two clicks a batch apart. Once
 * every batch is answered it is killed with SIGKILL and started again on the same data directory:
 * its trigger has fired exactly as often as it said before the kill, for as many sessions. (Before
 * the node journaled the tick of a late batch the triggers see, the restart read such a batch back
 * at its arrival, and a run of this test counted 700 firings after the restart against 710 before.)
 * The run must have applied batches late, which the journal shows ({@code show.clock} records
 * carrying {@code ingestApplied}): one that did not would prove nothing, and fails.
 */
class LateBatchKillNineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENDERS = 4;
    private static final int BATCHES = 150;
    private static final int BATCH = 20;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Node(NodeProcess process, URI base, String ingest, String read) {
    }

    private static Node start(Path dir, Path config) throws Exception {
        NodeProcess p = NodeProcess.start("--live", "--node-config", config.toString(), "--speed", "100", "--port", "0",
                "--data-dir", dir.toString());
        return new Node(p, p.base(), Files.readString(dir.resolve("ingest-key")).trim(), Files.readString(dir.resolve("read-key")).trim());
    }

    /**
     * Half of the batch's clicks are the first of a session, the other half the second click of the
     * sessions that began in the sender's batch before: the two are a batch's round trip apart, a few
     * ms of wall time, about the trigger's second of engine time.
     */
    private static String batch(int sender, int n) {
        StringJoiner out = new StringJoiner("\n");
        for (int i = 0; i < BATCH; i++) {
            int session = i < BATCH / 2 ? n : n - 1;
            if (session < 0) {
                continue;
            }
            out.add("{\"id\":\"s" + sender + "-b" + n + "-" + i + "\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"viewer-"
                    + sender + "-" + session + "-" + (i % (BATCH / 2)) + "\"}");
        }
        return out.toString();
    }

    /** The trigger's row of the node's audit: its firings and the sessions it fired for. */
    private List<Long> fired(Node node) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.base().resolve("/api/v1/triggers"))
                .header("Authorization", "Bearer " + node.read()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode row : JSON.readTree(r.body()).get("triggers")) {
            if (row.get("id").asText().equals("two-clicks")) {
                return List.of(row.get("firings").asLong(), row.get("sessionsFired").asLong());
            }
        }
        throw new AssertionError(r.body());
    }

    @Test
    void aTriggerHasFiredAsOftenAfterSigkillAsItSaidBefore(@TempDir Path dir, @TempDir Path configDir) throws Exception {
        Path config = configDir.resolve("node.json");
        Files.writeString(config, """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "late-batch",
                 "pops": [{"id": "fra", "region": "eu"}],
                 "triggers": [{"id": "two-clicks", "kinds": ["click", "click"], "count": 2, "withinSeconds": 1,
                               "ordered": false, "action": "surface-checkout"}]}""");
        Node first = start(dir, config);
        AtomicInteger answered = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        try {
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(Thread.ofVirtual().start(() -> {
                    for (int n = 0; n < BATCHES; n++) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(first.base().resolve("/ingest/v1/events"))
                                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + first.ingest())
                                    .header("Content-Type", "application/x-ndjson")
                                    .POST(HttpRequest.BodyPublishers.ofString(batch(sender, n))).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && JSON.readTree(r.body()).get("accepted").asInt() == (n == 0 ? BATCH / 2 : BATCH)) {
                                answered.incrementAndGet();
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            for (Thread t : senders) t.join(120_000);
            assertEquals(SENDERS * BATCHES, answered.get(), "every batch acknowledged whole");
            List<Long> before = fired(first);
            assertTrue(before.getFirst() > 0, "the trigger fired live: " + before);
            assertEquals(before, fired(first), "nothing more is applied once every batch is answered");
            first.process().kill();
            long late = io.edgedeck.engine.journal.SnapshotJournal.readOnly(dir).records().stream()
                    .filter(r -> r instanceof io.edgedeck.engine.journal.JournalRecord.ShowClock && r.ingestApplied() != null)
                    .count();
            assertTrue(late > 0, "no batch was applied late, so the restart had nothing to place: the run proves nothing");

            Node second = start(dir, config);
            try {
                assertEquals(before, fired(second), "firings and sessions fired, before the kill and after the restart");
            } finally {
                second.process().close();
            }
        } finally {
            first.process().close();
        }
    }
}
