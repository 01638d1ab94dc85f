package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An event the node answered as refused for its {@code at} (too far ahead of the node's clock,
 * older than the dedupe window, not an epoch time) stays refused when the node is restarted on its
 * data directory: the ingest log keeps the whole batch as it came, and reading it back judges each
 * event's {@code at} against the clock at its arrival, as the node did when it answered. A sender
 * told "refused" never finds the event counted after a restart, and one told "accepted" always does.
 */
class IngestRefusedAfterRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "replay-refusals",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private JsonNode latency() throws Exception {
        HttpResponse<String> r = live.send("GET", "/api/v1/ingest/stats", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode kind : JSON.readTree(r.body()).get("kinds")) {
            if (kind.get("kind").asText().equals("latency")) {
                return kind;
            }
        }
        throw new AssertionError("no latency row in " + r.body());
    }

    @Test
    void eventsRefusedForTheirTimeAreNotCountedAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        long now = System.currentTimeMillis();
        String batch = "[{\"id\":\"ok\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + now + "},"
                + "{\"id\":\"ahead\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + (now + 3_600_000) + "},"
                + "{\"id\":\"far-ahead\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + Long.MAX_VALUE + "},"
                + "{\"id\":\"stale\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + (now - 3_600_000) + "},"
                + "{\"id\":\"negative\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":-1}]";
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), batch);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(1, answer.get("accepted").asInt(), r.body());
        assertEquals(4, answer.get("refused").size(), r.body());
        for (JsonNode refused : answer.get("refused")) {
            assertEquals("at", refused.get("field").asText(), r.body());
        }
        assertEquals(1, latency().get("accepted").asLong());
        assertEquals(4, latency().get("refused").asLong());

        live.stopNode();
        live.start();
        assertEquals(1, latency().get("accepted").asLong(), "the restarted node counts what it accepted, and only that");
        assertEquals(4, latency().get("refused").asLong());

        // A refused event was not remembered: corrected, under the same id, it is taken now.
        HttpResponse<String> again = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"ahead\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40}]");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(1, JSON.readTree(again.body()).get("accepted").asInt(), again.body());
        await("the corrected event counts", () -> {
            try {
                return latency().get("accepted").asLong() == 2;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
