package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.NodeRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A variant a guardrail paused, resumed by an operator on a live node process: the guardrail's
 * {@code pause} fires on ingested harm, {@code POST /flags/{key}/variants/{variant}/resume} lets the
 * variant take new exposures again (its refusals name the field, its retry is replayed, a resume of a
 * variant that is not paused leaves no audit entry), and a node killed with SIGKILL right after the 200
 * still has it resumed.
 */
class VariantResumeNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "pause-resume",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "conversion-guard", "flag": "offer-banner", "variant": "treatment",
                             "conditions": [{"metric": "conversionLift", "op": "<", "value": -0.1}],
                             "windowSeconds": 60, "minExposures": 40, "cooldownSeconds": 1, "action": "pause", "armed": true}]}""";
    private static final String RESUME = "/api/v1/flags/offer-banner/variants/treatment/resume";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aPausedVariantResumedTakesExposuresAgainAndStaysResumedAfterAKillNine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("node-config.json");
        Files.writeString(config, CONFIG);
        Path data = dir.resolve("data");
        String[] serve = {"--live", "--node-config", config.toString(), "--port", "0", "--data-dir", data.toString(), "--speed", "10"};
        NodeProcess first = NodeProcess.start(serve);
        try {
            URI base = first.base();
            String admin = key(data, "token");
            HttpResponse<String> taken = send(base, "POST", "/ingest/v1/events", key(data, "ingest-key"), harm());
            assertEquals(200, taken.statusCode(), taken.body());
            long deadline = System.currentTimeMillis() + 30_000;
            while (!flag(base, admin).get("paused").toString().equals("[\"treatment\"]")) {
                assertTrue(System.currentTimeMillis() < deadline, "the guardrail pauses the treatment: " + flag(base, admin));
                Thread.sleep(50);
            }

            refused(base, admin, "/api/v1/flags/offer-banner/variants/nope/resume", "{\"reason\": \"r\"}", 404, "variant");
            refused(base, admin, "/api/v1/flags/offer-banner/variants/control/resume", "{\"reason\": \"r\"}", 400, "variant");
            refused(base, admin, "/api/v1/flags/nope/variants/treatment/resume", "{\"reason\": \"r\"}", 404, "key");
            refused(base, admin, RESUME, "{\"reason\": \" \"}", 400, "reason");
            refused(base, admin, RESUME, "{}", 400, "reason");
            HttpResponse<String> readLane = send(base, "POST", RESUME, key(data, "read-key"), "{\"reason\": \"r\"}");
            assertEquals(403, readLane.statusCode(), "the read key is not the API's: " + readLane.body());
            assertEquals("[\"treatment\"]", flag(base, admin).get("paused").toString(), "refusals changed nothing");

            HttpResponse<String> resumed = send(base, "POST", RESUME, admin, "{\"reason\": \"the bug is fixed\"}", "resume-1");
            assertEquals(200, resumed.statusCode(), resumed.body());
            assertEquals("[]", JSON.readTree(resumed.body()).get("paused").toString(), resumed.body());
            HttpResponse<String> replayed = send(base, "POST", RESUME, admin, "{\"reason\": \"the bug is fixed\"}", "resume-1");
            assertEquals("true", replayed.headers().firstValue("Idempotent-Replayed").orElse(""), replayed.body());
            assertEquals(137, first.kill());
        } finally {
            first.close();
        }

        try (NodeProcess second = NodeProcess.start(serve)) {
            URI base = second.base();
            String admin = key(data, "token");
            assertEquals("[]", flag(base, admin).get("paused").toString(), "kept across the kill");
            HttpResponse<String> nothing = send(base, "POST", RESUME, admin, "{\"reason\": \"again\"}");
            assertEquals(200, nothing.statusCode(), "a variant that is not paused: nothing to change, " + nothing.body());
            int resumes = 0;
            for (JsonNode e : JSON.readTree(send(base, "GET", "/api/v1/audit", admin, null).body())) {
                if (e.get("action").asText().equals("variant.resume")) {
                    resumes++;
                    assertEquals("offer-banner/treatment", e.get("target").asText());
                    assertEquals("paused", e.get("before").asText());
                    assertEquals("serving", e.get("after").asText());
                    assertEquals("admin", e.get("actor").asText());
                    assertEquals("the bug is fixed", e.get("reason").asText());
                }
            }
            assertEquals(1, resumes, "one audit entry: the retry replayed, the resume of a serving variant changed nothing");
        }
    }

    /** Control's units all buy, the treatment's none: harm beyond doubt. */
    private static String harm() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 120; i++) {
            String variant = i % 2 == 0 ? "control" : "treatment";
            batch.append(i == 0 ? "" : ",").append("{\"id\":\"x-").append(i).append("\",\"type\":\"exposure\",\"flag\":\"offer-banner\",")
                    .append("\"variant\":\"").append(variant).append("\",\"targetingKey\":\"u-").append(i).append("\"}");
            if (variant.equals("control")) {
                batch.append(",{\"id\":\"c-").append(i).append("\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u-")
                        .append(i).append("\"}");
            }
        }
        return batch.append("]").toString();
    }

    private void refused(URI base, String admin, String path, String body, int status, String field) throws Exception {
        HttpResponse<String> r = send(base, "POST", path, admin, body);
        assertEquals(status, r.statusCode(), path + " " + body + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(field, JSON.readTree(r.body()).path("field").asText(), path + " " + body + ": " + r.body());
    }

    private JsonNode flag(URI base, String admin) throws Exception {
        HttpResponse<String> r = send(base, "GET", "/api/v1/flags/offer-banner", admin, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(URI base, String method, String path, String token, String body) throws Exception {
        return NodeRequests.send(http, base, method, path, token, body);
    }

    private HttpResponse<String> send(URI base, String method, String path, String token, String body, String idempotencyKey)
            throws Exception {
        return NodeRequests.send(http, base, method, path, token, body, idempotencyKey);
    }

    private static String key(Path data, String file) throws Exception {
        return Files.readString(data.resolve(file)).trim();
    }
}
