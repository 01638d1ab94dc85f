package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record the core refuses, pushed again by its sender (a lost answer, a retry), is answered refused
 * each time and counted once on the connector's row and the core's, as the ingest API counts it on
 * /metrics; after a restart the rows say the same, and the record sent again then still counts once.
 */
class ConnectorRefusalsResentNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bridge-secret-for-the-test";
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "refusals-resent", "pops": [{"id": "fra", "region": "eu"}],
             "connectors": {"chatWebhooks": [{"name": "bridge", "secret": "%s"}]}}""".formatted(SECRET);
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private JsonNode push(String body) throws Exception {
        HttpResponse<String> r = live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve("/connectors/chat/bridge"))
                .header("X-EdgeDeck-Secret", SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private long refusedAt(String kind, String name) throws Exception {
        JsonNode sources = JSON.readTree(live.send("GET", "/api/v1/sources", live.key("token"), null).body());
        for (JsonNode s : sources.has("sources") ? sources.get("sources") : sources) {
            if (s.path("kind").asText().equals(kind) && s.path("name").asText().equals(name)) {
                for (JsonNode e : s.path("errors")) {
                    if (e.path("reason").asText().equals("refused-at")) {
                        return e.path("count").asLong();
                    }
                }
                return 0;
            }
        }
        throw new AssertionError("no row " + kind + " " + name + " in " + sources);
    }

    private void assertCountedOnce(String when) throws Exception {
        assertEquals(1, refusedAt("chat-webhook", "bridge"), when + ": the connector's row counts the refusal once");
        assertEquals(1, refusedAt("core", "keyed-intake"), when + ": the core's row counts the refusal once");
        String metrics = live.send("GET", "/metrics", live.key("read-key"), null).body();
        assertTrue(metrics.contains("edgedeck_ingest_events_total{kind=\"chat\",outcome=\"refused\"} 1"), when + ": " + metrics);
    }

    @Test
    void aRefusedRecordSentAgainCountsOnceOnItsRowsLiveAndAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String body = "{\"id\": \"old-1\", \"text\": \"a backlog\", \"at\": " + (System.currentTimeMillis() - 3_600_000) + "}\n";
        for (int i = 0; i < 2; i++) {
            JsonNode answer = push(body);
            assertEquals(1, answer.get("refused").asInt(), "each send is answered refused: " + answer);
            assertEquals(1, answer.path("refusedByReason").path("refused-at").asInt(), answer.toString());
        }
        assertCountedOnce("live");

        live.stopNode();
        live.start();
        assertCountedOnce("after a restart");
        assertEquals(1, push(body).get("refused").asInt());
        assertCountedOnce("sent again after the restart");
    }
}
