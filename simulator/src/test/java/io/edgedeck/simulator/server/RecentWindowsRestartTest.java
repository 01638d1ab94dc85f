package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted live node reads its whole ingest log back into the engine second it resumes in. Its
 * recent windows (a PoP's last 10 s and 60 s, chat's last minute) counted all of it there, as if the
 * show's whole past had just happened: a burst after every restart, and the sources said the last
 * event came at the restart. What came before the stop counts in the totals, and in a window only
 * while it is not older than the window.
 */
class RecentWindowsRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "recent-restart",
             "pops": [{"id": "fra", "region": "eu"}]}""";
    /** Engine seconds per wall second: a minute passes in five seconds. */
    private static final double RATE = 12;
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static String batch(String prefix, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"").append(prefix).append("l").append(i).append("\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40},")
                    .append("{\"id\":\"").append(prefix).append("m").append(i).append("\",\"type\":\"chat\",\"text\":\"great show\"}");
        }
        return b.append("]").toString();
    }

    private void ingest(String body) throws Exception {
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), body);
        assertEquals(200, r.statusCode(), r.body());
    }

    private JsonNode frame() {
        try {
            HttpResponse<String> r = live.send("GET", "/api/v1/frames/latest", live.key("token"), null);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode fra(JsonNode frame) {
        return frame.get("pops").get(0);
    }

    @Test
    void whatCameBeforeARestartCountsInTheTotalsAndOnlyInTheWindowsItIsNotOlderThan(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir, RATE);
        live.start();
        ingest(batch("old-", 30));
        LiveNodeFixture.await("the first batch leaves the 60 s windows", () -> {
            JsonNode f = frame();
            return f != null && fra(f).get("requests").asLong() == 30 && fra(f).get("last60s").get("count").asLong() == 0
                    && f.get("chat").get("messagesPerMinute").asDouble() == 0;
        });
        ingest(batch("new-", 5));
        long stoppedAt = System.currentTimeMillis();
        live.stopNode();
        live.start();
        LiveNodeFixture.await("the node started again has read its ingest log back", () -> {
            JsonNode f = frame();
            return f != null && fra(f).get("requests").asLong() == 35;
        });
        JsonNode f = frame();
        JsonNode pop = fra(f);
        // Totals: everything acknowledged before the stop.
        assertEquals(35, pop.get("requests").asLong(), pop.toString());
        assertEquals(35, f.get("chat").get("messages").asLong(), f.get("chat").toString());
        // Windows: the batch of a minute before is in none of them; the last one only in those it is not older than.
        assertEquals(5, pop.get("last60s").get("count").asLong(), pop.toString());
        assertTrue(pop.get("last10s").get("count").asLong() <= 5, pop.toString());
        assertEquals(5.0, f.get("chat").get("messagesPerMinute").asDouble(), f.get("chat").toString());
        // The sources say when the newest event came, not when the log was read back.
        HttpResponse<String> sources = live.send("GET", "/api/v1/sources", live.key("read-key"), null);
        assertEquals(200, sources.statusCode(), sources.body());
        for (JsonNode source : JSON.readTree(sources.body())) {
            if (source.get("name").asText().equals("latency")) {
                assertEquals(35, source.get("events").asLong(), source.toString());
                assertTrue(source.get("lastEventMillis").asLong() <= stoppedAt, stoppedAt + " " + source);
            }
        }
    }
}
