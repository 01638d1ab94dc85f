package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pushed record the node's core refuses (its time out of the dedupe window, say) is answered as
 * refused, by field, to the sender that pushed it, and counted so on the connector's own row: a
 * sender told "accepted" always finds its record counted.
 */
class PushRefusalsNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "push-refusals", "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "connectors": {"chatWebhooks": [{"name": "bridge", "secret": "bridge-secret-for-the-test"}]}}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private HttpResponse<String> push(String body) throws Exception {
        return live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve("/connectors/chat/bridge"))
                .header("X-EdgeDeck-Secret", "bridge-secret-for-the-test").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRecordTheCoreRefusesIsAnsweredRefusedToItsSender(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        long now = System.currentTimeMillis();
        HttpResponse<String> r = push("{\"id\": \"now\", \"text\": \"this drop is great\", \"at\": " + now + "}\n"
                + "{\"id\": \"seconds\", \"text\": \"sent in seconds\", \"at\": " + now / 1000 + "}\n"
                + "{\"id\": \"an-hour-ago\", \"text\": \"a backlog\", \"at\": " + (now - 3_600_000) + "}\n");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(2, answer.get("accepted").asInt(), r.body());
        assertEquals(1, answer.get("refused").asInt(), r.body());
        assertEquals(Map.of("refused-at", 1), JSON.convertValue(answer.get("refusedByReason"), Map.class), r.body());
        JsonNode line = answer.get("lines").get(0);
        assertEquals(3, line.get("line").asInt(), r.body());
        assertTrue(line.get("detail").asText().contains("chat:bridge:an-hour-ago"), r.body());

        JsonNode sources = JSON.readTree(live.send("GET", "/api/v1/sources", live.key("token"), null).body());
        JsonNode bridge = null;
        for (JsonNode s : sources.has("sources") ? sources.get("sources") : sources) {
            if (s.path("name").asText().equals("bridge")) {
                bridge = s;
            }
        }
        assertTrue(bridge != null, sources.toString());
        assertEquals(2, bridge.get("events").asLong(), bridge.toString());
        assertTrue(bridge.toString().contains("refused-at"), bridge.toString());
    }
}
