package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal of a CDN log or chat push that repeats a value the sender gave repeats its first 40 characters and
 * its size, as the ingest API's do, never the whole value: a record may hold 64 KiB, and its refusal is read by a
 * person in the sender's logs.
 */
class PushEchoNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "push-echo-secret-for-the-test";
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "push-echo", "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "connectors": {"cdnLogs": [{"name": "cf", "format": "cloudflare", "secret": "%1$s", "pops": {"FRA": "fra"}},
                                        {"name": "fastly", "format": "fastly", "secret": "%1$s", "pops": {"FRA": "fra"}}],
                            "chatWebhooks": [{"name": "bridge", "secret": "%1$s"}]}}""".formatted(SECRET);
    private static final int SENT = 5000;
    private static final String LONG = "x".repeat(SENT);
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private JsonNode push(String endpoint, String body) throws Exception {
        HttpResponse<String> r = live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve("/connectors/" + endpoint))
                .header("X-EdgeDeck-Secret", SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String record(Map<String, Object> fields) throws Exception {
        return JSON.writeValueAsString(fields) + "\n";
    }

    @Test
    void everyRefusalThatNamesAValueRepeatsItsStartAndItsSize(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        // endpoint, field the refusal names, record
        List<Object[]> cases = List.of(
                new Object[] {"cdn/cf", "EdgeColoCode", Map.of("EdgeColoCode", List.of(LONG), "EdgeTimeToFirstByteMs", 5)},
                new Object[] {"cdn/cf", "EdgeColoCode", Map.of("EdgeColoCode", LONG, "EdgeTimeToFirstByteMs", 5)},
                new Object[] {"cdn/cf", "EdgeTimeToFirstByteMs", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", LONG)},
                new Object[] {"cdn/cf", "EdgeTimeToFirstByteMs", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", Map.of("v", LONG))},
                new Object[] {"cdn/cf", "EdgeTimeToFirstByteMs", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", " ".repeat(SENT) + "1e400")},
                new Object[] {"cdn/cf", "EdgeTimeToFirstByteMs", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", " ".repeat(SENT) + "-1")},
                new Object[] {"cdn/cf", "EdgeResponseStatus", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", 5, "EdgeResponseStatus", LONG)},
                new Object[] {"cdn/cf", "EdgeStartTimestamp", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", 5, "EdgeStartTimestamp", LONG)},
                new Object[] {"cdn/cf", "RayID", Map.of("EdgeColoCode", "FRA", "EdgeTimeToFirstByteMs", 5, "RayID", List.of(LONG))},
                new Object[] {"cdn/fastly", "ttfb", Map.of("pop", "FRA", "ttfb", LONG)},
                new Object[] {"chat/bridge", "emotes", Map.of("id", "m1", "text", "hi", "emotes", List.of(LONG, 1))},
                new Object[] {"chat/bridge", "user", Map.of("id", "m2", "text", "hi", "user", List.of(LONG))},
                new Object[] {"chat/bridge", "channel", Map.of("id", "m3", "text", "hi", "channel", Map.of("v", LONG))},
                new Object[] {"chat/bridge", "at", Map.of("id", "m4", "text", "hi", "at", LONG)});
        List<String> echoes = new ArrayList<>();
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            JsonNode answer = push((String) c[0], record((Map<String, Object>) c[2]));
            assertEquals(1, answer.path("refused").asInt(), answer.toString().substring(0, Math.min(300, answer.toString().length())));
            JsonNode line = answer.get("lines").get(0);
            String detail = line.get("detail").asText();
            assertEquals(c[1], line.get("field").asText(), detail);
            // The field, what was wrong, 40 characters of the value and its size: far under the value's own length.
            if (detail.length() > 200 || !detail.matches("(?s).*\\.\\.\\.\"? \\(500\\d characters\\).*")) {
                echoes.add(c[0] + " " + c[1] + " (" + detail.length() + " characters): " + detail.substring(0, Math.min(120, detail.length())));
            }
            // A PoP code the mapping does not name is counted by the same words, not by a key of 5000 characters.
            answer.path("unknownPops").fieldNames().forEachRemaining(code -> {
                if (code.length() > 80) {
                    echoes.add("unknownPops key of " + code.length() + " characters");
                }
            });
        }
        // A body the parser cannot read (400: no record of it is JSON) names the token it stopped at by its start too.
        JsonNode unread = push("cdn/cf", "{\"EdgeColoCode\": " + "t".repeat(SENT) + "}\n");
        String broken = unread.get("lines").get(0).get("detail").asText();
        // Its first 40 characters and its size, as every other value is repeated.
        if (!broken.contains("'" + "t".repeat(40) + "...' (" + SENT + " characters)")) {
            echoes.add("not JSON, the token repeated without its size: " + broken.substring(0, Math.min(160, broken.length())));
        }
        if (broken.length() > 200 || unread.get("detail").asText().length() > 400) {
            echoes.add("not JSON (" + broken.length() + " characters): " + broken.substring(0, 120));
        }
        assertTrue(echoes.isEmpty(), String.join("\n", echoes));
    }
}
