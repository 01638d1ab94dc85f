package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
 * A real node process, killed with SIGKILL in the middle of a show, started again on the same data
 * directory: everything it acknowledged (flag changes, a kill, guardrail arming, a rollback, the
 * audit trail, checkouts queued behind an outage) comes back from its journal.
 */
class KillNineRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Node(NodeProcess process, URI base, String token) {
    }

    private static Node start(Path dataDir) throws Exception {
        NodeProcess p = NodeProcess.start("--port", "0", "--scenario", "pop-outage", "--speed", "5", "--data-dir", dataDir.toString());
        return new Node(p, p.base(), Files.readString(dataDir.resolve("token")).trim());
    }

    private HttpResponse<String> call(Node n, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.base().resolve("/api/v1" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + n.token()).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(Node n, String path) throws Exception {
        HttpResponse<String> r = call(n, "GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private void ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() == 200 || r.statusCode() == 204, r.statusCode() + ": " + r.body());
    }

    @Test
    void everythingAcknowledgedSurvivesSigkill(@TempDir Path dataDir) throws Exception {
        Node first = start(dataDir);
        JsonNode flag = get(first, "/flags").get(0);
        String key = flag.get("key").asText();
        ok(call(first, "PATCH", "/flags/" + key, "{\"expectedVersion\":" + flag.get("version").asLong()
                + ",\"variants\":[{\"name\":\"control\",\"weight\":8000},{\"name\":\"treatment\",\"weight\":2000}],"
                + "\"operator\":\"ana\",\"reason\":\"ramp down before the drop\"}"));
        ok(call(first, "POST", "/flags/" + key + "/kill", "{\"operator\":\"ana\",\"reason\":\"checkout errors\"}"));
        ok(call(first, "POST", "/guardrails/sentiment-guard/disarm", "{\"operator\":\"ben\",\"reason\":\"watching by hand\"}"));
        // Take fra down until lifted: its sessions' checkouts queue behind the outage.
        ok(call(first, "POST", "/show/cues", "{\"type\":\"pop-outage\",\"pops\":[\"fra\"],\"magnitude\":0,"
                + "\"durationSeconds\":86400,\"operator\":\"ben\"}"));
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode fra = null;
        while (System.currentTimeMillis() < deadline) {
            JsonNode frame = get(first, "/frames/latest");
            for (JsonNode p : frame.get("pops")) {
                if (p.get("id").asText().equals("fra")) fra = p;
            }
            if (fra != null && fra.get("pendingCheckouts").asLong() > 0) break;
            Thread.sleep(200);
        }
        assertTrue(fra != null && fra.get("pendingCheckouts").asLong() > 0, "checkouts queued behind the outage");
        JsonNode flagsBefore = get(first, "/flags");
        JsonNode auditBefore = get(first, "/audit");
        JsonNode guardrailsBefore = get(first, "/guardrails");

        assertEquals(137, first.process().kill(), "killed by SIGKILL, not shut down");

        Node second = start(dataDir);
        try {
            JsonNode flagsAfter = get(second, "/flags");
            for (int i = 0; i < flagsBefore.size(); i++) {
                JsonNode b = flagsBefore.get(i);
                JsonNode a = flagsAfter.get(i);
                assertEquals(b.get("key"), a.get("key"));
                assertEquals(b.get("version"), a.get("version"));
                assertEquals(b.get("variants"), a.get("variants"));
                assertEquals(b.get("killed"), a.get("killed"));
            }
            JsonNode auditAfter = get(second, "/audit");
            for (int i = 0; i < auditBefore.size(); i++) {
                assertEquals(auditBefore.get(i), auditAfter.get(i), "audit entry " + (i + 1));
            }
            assertEquals(false, get(second, "/guardrails").get(0).get("armed").asBoolean());
            assertEquals(guardrailsBefore.get(0).get("id"), get(second, "/guardrails").get(0).get("id"));
            JsonNode pops = get(second, "/frames/latest").get("pops");
            JsonNode fraAfter = null;
            for (JsonNode p : pops) {
                if (p.get("id").asText().equals("fra")) fraAfter = p;
            }
            assertEquals("DOWN", fraAfter.get("health").asText(), "the outage is still in force");
            assertTrue(fraAfter.get("pendingCheckouts").asLong() >= fra.get("pendingCheckouts").asLong(),
                    "the queued checkouts came back: " + fraAfter.get("pendingCheckouts") + " vs " + fra.get("pendingCheckouts"));
        } finally {
            second.process().close();
        }
    }
}
