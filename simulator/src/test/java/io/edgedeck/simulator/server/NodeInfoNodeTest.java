package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/node} on real servers on loopback: which build answers, since when and in which mode, for the
 * read key and the admin token; never without a key, never for the ingest key; and not on {@code /healthz}. The
 * aggregator's answer is checked by {@code FleetCorsTest}, which starts one anyway.
 */
class NodeInfoNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> get(URI base, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertAnswer(HttpResponse<String> r, String mode, Instant before) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = JSON.readTree(r.body());
        assertEquals(NodeBuild.version(), n.path("version").asText(), r.body());
        assertEquals(mode, n.path("mode").asText(), r.body());
        Instant started = Instant.parse(n.path("startedAt").asText());
        assertFalse(started.isBefore(before.minusSeconds(1)) || started.isAfter(Instant.now()), r.body());
        // Built from classes here: no manifest, so no commit to tell.
        assertFalse(n.has("commit"), r.body());
    }

    @Test
    void aLiveNodeSaysWhichBuildItRunsToTheReadKeyAndTheAdminTokenOnly(@TempDir Path dir) throws Exception {
        Instant before = Instant.now();
        try (EdgeNode node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(
                Files.readAllBytes(Path.of("..", "docs", "examples", "node-config.json"))),
                InetAddress.getLoopbackAddress(), 0, dir))) {
            URI base = node.baseUri();
            String admin = Files.readString(node.tokenFile()).trim();
            String read = Files.readString(node.readKeyFile()).trim();
            String ingest = Files.readString(node.dataDir().resolve("ingest-key")).trim();
            assertAnswer(get(base, "/api/v1/node", read), "live", before);
            assertAnswer(get(base, "/api/v1/node", admin), "live", before);
            assertEquals(401, get(base, "/api/v1/node", null).statusCode());
            assertEquals(401, get(base, "/api/v1/node", "not-a-key-of-this-node").statusCode());
            HttpResponse<String> byIngest = get(base, "/api/v1/node", ingest);
            assertEquals(403, byIngest.statusCode(), byIngest.body());
            assertFalse(byIngest.body().contains("version"), byIngest.body());
            // The unauthenticated probe tells nothing of the build.
            HttpResponse<String> health = get(base, "/healthz", null);
            assertEquals(200, health.statusCode());
            assertFalse(health.body().contains(NodeBuild.version()) || health.body().contains("startedAt"), health.body());
        }
    }

    @Test
    void aRehearsalNodeSaysItsMode(@TempDir Path dir) throws Exception {
        Instant before = Instant.now();
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("steady-show")), 1,
                InetAddress.getLoopbackAddress(), 0, Files.createDirectory(dir.resolve("node"))))) {
            assertAnswer(get(node.baseUri(), "/api/v1/node", Files.readString(node.readKeyFile()).trim()), "rehearsal", before);
            assertEquals(401, get(node.baseUri(), "/api/v1/node", null).statusCode());
        }
    }

    /**
     * A rehearsal restarted on a journal its show cannot make again (here a scripted fault at fra the
     * scenario does not have) resumes from the journal alone, and says so on {@code GET /api/v1/node}:
     * what differed and that its sessions and counters started again from zero. A node that started
     * cleanly says nothing of a restart.
     */
    @Test
    void aRehearsalResumedFromItsJournalAloneSaysWhy(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, data))) {
            HttpResponse<String> r = get(node.baseUri(), "/api/v1/node", Files.readString(node.readKeyFile()).trim());
            assertFalse(JSON.readTree(r.body()).has("restart"), r.body());
        }
        try (io.edgedeck.engine.journal.SnapshotJournal journal = io.edgedeck.engine.journal.SnapshotJournal.open(data,
                new io.edgedeck.engine.journal.SnapshotJournal.Policy(Long.MAX_VALUE, Duration.ofDays(1)))) {
            long at = journal.records().getLast().atMillis();
            journal.append(new io.edgedeck.engine.journal.JournalRecord.FaultApplied(journal.nextSeq(), at, "fra", "latency", 80,
                    -1, "cue"));
        }
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, data))) {
            HttpResponse<String> r = get(node.baseUri(), "/api/v1/node", Files.readString(node.readKeyFile()).trim());
            String restart = JSON.readTree(r.body()).path("restart").asText();
            assertTrue(restart.startsWith("resumed from the journal alone at ") && restart.contains("latency at fra, the journal has"
                    + " magnitude 80, until lifted, playing it again gave none") && restart.contains("start again from zero"), r.body());
        }
    }
}
