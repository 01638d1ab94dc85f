package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.NodeRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PoP-local rollback on a live node process (docs/examples/node-config.json, whose playbook
 * {@code stop-the-bleed} rolls checkout-button's treatment back at fra and ams): every flag view
 * shows where it is in force, an operator clears it at a PoP over HTTP and OFREP serves the variant
 * there again, and a node killed with SIGKILL right after the 200 still has it cleared.
 */
class PopRollbackClearNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = Path.of("..", "docs", "examples", "node-config.json");
    private static final String CLEAR = "/api/v1/flags/checkout-button/pop-rollbacks/clear";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aClearedPopLocalRollbackServesTheVariantAgainThereAndStaysClearedAfterAKillNine(@TempDir Path data) throws Exception {
        String[] serve = {"--live", "--node-config", CONFIG.toString(), "--port", "0", "--data-dir", data.toString()};
        String unit;
        NodeProcess first = NodeProcess.start(serve);
        try {
            URI base = first.base();
            String admin = key(data, "token");
            unit = treatedAtFraAndAms(base, data);
            assertEquals("{}", flag(base, admin).get("rolledBackAt").toString(), "nothing rolled back yet");

            HttpResponse<String> run = send(base, "POST", "/api/v1/playbooks/stop-the-bleed/run", admin,
                    "{\"reason\": \"treatment hurts chat in Europe\"}");
            assertEquals(200, run.statusCode(), run.body());
            JsonNode flag = flag(base, admin);
            assertEquals("{\"treatment\":[\"ams\",\"fra\"]}", flag.get("rolledBackAt").toString(), "GET /flags/{key}: " + flag);
            assertEquals(flag.get("rolledBackAt"), listed(base, admin).get("rolledBackAt"), "GET /flags shows it too");
            assertEquals("control", variantAt(base, data, unit, "fra"));

            // Refused, naming the field, and nothing changes.
            refused(base, admin, "{\"variant\": \"treatment\", \"pops\": [\"nowhere\"], \"reason\": \"r\"}", 404, "pops");
            refused(base, admin, "{\"variant\": \"nope\", \"reason\": \"r\"}", 400, "variant");
            refused(base, admin, "{\"variant\": \"control\", \"reason\": \"r\"}", 400, "variant");
            refused(base, admin, "{\"variant\": \"treatment\", \"pops\": [], \"reason\": \"r\"}", 400, "pops");
            refused(base, admin, "{\"variant\": \"treatment\", \"pops\": [\"fra\", \"fra\"], \"reason\": \"r\"}", 400, "pops[1]");
            refused(base, admin, "{\"variant\": \"treatment\", \"reason\": \" \"}", 400, "reason");
            refused(base, admin, "{\"variant\": \"treatment\"}", 400, "reason");
            HttpResponse<String> readLane = send(base, "POST", CLEAR, key(data, "read-key"),
                    "{\"variant\": \"treatment\", \"reason\": \"r\"}");
            assertEquals(403, readLane.statusCode(), "the read key is not the API's: " + readLane.body());
            assertEquals("{\"treatment\":[\"ams\",\"fra\"]}", flag(base, admin).get("rolledBackAt").toString(), "refusals changed nothing");

            HttpResponse<String> cleared = send(base, "POST", CLEAR, admin,
                    "{\"variant\": \"treatment\", \"pops\": [\"fra\"], \"reason\": \"the fix is out at fra\"}", "clear-fra-1");
            assertEquals(200, cleared.statusCode(), cleared.body());
            assertEquals("{\"treatment\":[\"ams\"]}", JSON.readTree(cleared.body()).get("rolledBackAt").toString(), cleared.body());
            HttpResponse<String> replayed = send(base, "POST", CLEAR, admin,
                    "{\"variant\": \"treatment\", \"pops\": [\"fra\"], \"reason\": \"the fix is out at fra\"}", "clear-fra-1");
            assertEquals("true", replayed.headers().firstValue("Idempotent-Replayed").orElse(""), replayed.body());
            assertEquals("treatment", variantAt(base, data, unit, "fra"), "served the variant at fra again");
            assertEquals("control", variantAt(base, data, unit, "ams"), "still rolled back at ams");
            assertEquals(137, first.kill());
        } finally {
            first.close();
        }

        try (NodeProcess second = NodeProcess.start(serve)) {
            URI base = second.base();
            String admin = key(data, "token");
            assertEquals("{\"treatment\":[\"ams\"]}", flag(base, admin).get("rolledBackAt").toString(), "kept across the kill");
            assertEquals("treatment", variantAt(base, data, unit, "fra"));
            assertEquals("control", variantAt(base, data, unit, "ams"));
            JsonNode audit = JSON.readTree(send(base, "GET", "/api/v1/audit", admin, null).body());
            int clears = 0;
            for (JsonNode e : audit) {
                if (e.get("action").asText().equals("variant.rollback-cleared")) {
                    clears++;
                    assertEquals("checkout-button/treatment", e.get("target").asText());
                    assertEquals("control at ams,fra", e.get("before").asText());
                    assertEquals("control at ams", e.get("after").asText());
                    assertEquals("admin", e.get("actor").asText());
                }
            }
            assertEquals(1, clears, "one audit entry for the clear, its retry replayed: " + audit);

            HttpResponse<String> all = send(base, "POST", CLEAR, admin,
                    "{\"variant\": \"treatment\", \"reason\": \"fixed everywhere\"}");
            assertEquals(200, all.statusCode(), all.body());
            assertEquals("{}", JSON.readTree(all.body()).get("rolledBackAt").toString(), "left out, pops means every PoP");
            assertEquals("treatment", variantAt(base, data, unit, "ams"));
        }
    }

    private void refused(URI base, String admin, String body, int status, String field) throws Exception {
        HttpResponse<String> r = send(base, "POST", CLEAR, admin, body);
        assertEquals(status, r.statusCode(), body + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(field, JSON.readTree(r.body()).path("field").asText(), body + ": " + r.body());
    }

    private JsonNode flag(URI base, String admin) throws Exception {
        HttpResponse<String> r = send(base, "GET", "/api/v1/flags/checkout-button", admin, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode listed(URI base, String admin) throws Exception {
        for (JsonNode f : JSON.readTree(send(base, "GET", "/api/v1/flags", admin, null).body())) {
            if (f.get("key").asText().equals("checkout-button")) {
                return f;
            }
        }
        throw new AssertionError("no checkout-button in GET /flags");
    }

    /** A unit the split puts in treatment at fra and at ams, as OFREP serves it there. */
    private String treatedAtFraAndAms(URI base, Path data) throws Exception {
        for (int i = 0; i < 200; i++) {
            String unit = "viewer-" + i;
            if (variantAt(base, data, unit, "fra").equals("treatment") && variantAt(base, data, unit, "ams").equals("treatment")) {
                return unit;
            }
        }
        throw new AssertionError("no unit in treatment at fra and ams");
    }

    private String variantAt(URI base, Path data, String unit, String pop) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/ofrep/v1/evaluate/flags/checkout-button"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key(data, "read-key"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\": {\"targetingKey\": \"" + unit + "\", \"pop\": \"" + pop + "\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("variant").asText();
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
