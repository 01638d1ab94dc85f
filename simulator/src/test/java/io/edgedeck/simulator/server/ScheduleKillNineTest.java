package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled changes in a real live node process, killed with SIGKILL before their moment: started
 * again from its data directory, the node still has them; the one whose wall-clock time passed while
 * it was down fires once after the restart, the one waiting for a cue fires once when the cue is
 * fired, and neither fires again, not on a second cue and not after another SIGKILL and restart.
 */
class ScheduleKillNineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Node(NodeProcess process, URI base, String token) {
    }

    private static Node start(Path dir, Path config) throws Exception {
        NodeProcess p = NodeProcess.start("--live", "--node-config", config.toString(), "--port", "0", "--data-dir", dir.toString());
        return new Node(p, p.base(), Files.readString(dir.resolve("token")).trim());
    }

    private HttpResponse<String> send(Node node, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.base().resolve("/api/v1" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + node.token()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
        return r.body();
    }

    private List<AuditEntry> audit(Node node) throws Exception {
        return List.of(JSON.readValue(ok(send(node, "GET", "/audit", null)), AuditEntry[].class));
    }

    private long fired(Node node, String target) throws Exception {
        return audit(node).stream().filter(e -> e.action().equals("schedule.fire") && e.target().equals(target)).count();
    }

    @Test
    void aScheduledChangeSurvivesSigkillAndFiresExactlyOnceAfterTheRestart(@TempDir Path dir, @TempDir Path configDir) throws Exception {
        Path config = configDir.resolve("node.json");
        Files.writeString(config, """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "schedule-test",
                 "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
                 "flags": [
                   {"key": "checkout-button", "description": "", "owner": "growth", "control": "control",
                    "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}]},
                   {"key": "offer-banner", "description": "", "owner": "growth", "control": "off",
                    "variants": [{"name": "off", "weight": 50}, {"name": "on", "weight": 50}]}]}""");
        Node first = start(dir, config);
        JsonNode onCue = JSON.readTree(ok(send(first, "POST", "/schedule", """
                {"cue": "drop", "action": {"type": "kill", "flag": "offer-banner"}, "reason": "the banner goes when the drop does"}""")));
        String at = Instant.now().plusSeconds(6).toString();
        JsonNode onTime = JSON.readTree(ok(send(first, "POST", "/schedule", """
                {"at": "%s", "action": {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra"]},
                 "reason": "fra goes back to control at the top of the hour"}""".formatted(at))));
        assertEquals("pending", onTime.get("state").asText());
        assertEquals(0, fired(first, "checkout-button"), "its time has not come");
        assertEquals(137, first.process().kill());

        // down while its time passes
        while (Instant.now().isBefore(Instant.parse(at).plusMillis(500))) {
            Thread.sleep(100);
        }
        Node second = start(dir, config);
        LiveNode.await("the change whose time passed fires after the restart", () -> {
            try {
                return JSON.readTree(ok(send(second, "GET", "/schedule/" + onTime.get("id").asText(), null))).get("state").asText().equals("fired");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, fired(second, "checkout-button"));
        assertEquals("pending", JSON.readTree(ok(send(second, "GET", "/schedule/" + onCue.get("id").asText(), null))).get("state").asText());

        int before = audit(second).size();
        JsonNode cue = JSON.readTree(ok(send(second, "POST", "/show/cues/drop", "{\"reason\": \"the drop is live\"}")));
        assertEquals(1, cue.get("fired").size(), cue.toString());
        List<AuditEntry> after = audit(second);
        assertEquals(before + 2, after.size(), "the cue and the change it fired: " + after.subList(before, after.size()));
        assertEquals("show.cue", after.get(before).action());
        assertEquals("admin", after.get(before).actor());
        assertEquals("schedule", after.getLast().actor());
        assertTrue(flag(second, "offer-banner").get("killed").asBoolean());
        assertEquals(0, JSON.readTree(ok(send(second, "POST", "/show/cues/drop", "{}"))).get("fired").size(), "fired once");
        List<AuditEntry> trail = audit(second);
        String schedule = ok(send(second, "GET", "/schedule", null));
        assertEquals(137, second.process().kill());

        Node third = start(dir, config);
        try {
            Thread.sleep(1500);
            assertEquals(trail, audit(third), "nothing fires again after another restart");
            assertEquals(JSON.readTree(schedule), JSON.readTree(ok(send(third, "GET", "/schedule", null))));
            assertEquals(1, fired(third, "checkout-button"));
            assertEquals(1, fired(third, "offer-banner"));
        } finally {
            third.process().close();
        }
    }

    private JsonNode flag(Node node, String key) throws Exception {
        for (JsonNode f : JSON.readTree(ok(send(node, "GET", "/flags", null)))) {
            if (f.get("key").asText().equals(key)) {
                return f;
            }
        }
        throw new AssertionError("no flag " + key);
    }
}
