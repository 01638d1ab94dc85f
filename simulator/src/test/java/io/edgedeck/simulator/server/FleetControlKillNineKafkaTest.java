package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.Eventually;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fleet node in a process of its own, killed with SIGKILL after it applied two control records
 * (one made on its own API, one on another node's): started again on its data directory it reads
 * the control topic from the beginning, skips both, and has the same flags, audit and journal.
 */
@Tag("kafka")
class FleetControlKillNineKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JVM = NodeHttp.JVM;
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-kill",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";

    private final NodeHttp nodes = new NodeHttp();

    private HttpResponse<String> send(URI base, Path data, String method, String path, String keyFile, String body)
            throws Exception {
        return nodes.client().send(nodes.request(base, data, method, path, keyFile, body), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode flag(URI base, Path data) throws Exception {
        HttpResponse<String> r = send(base, data, "GET", "/api/v1/flags", "token", null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get(0);
    }

    private long metric(URI base, Path data, String name) throws Exception {
        return nodes.metric(base, data, name);
    }

    private static long journaled(Path data) throws Exception {
        try (var lines = Files.lines(data.resolve("journal.jsonl"))) {
            return lines.filter(l -> l.contains("\"type\":\"control.applied\"")).count();
        }
    }

    private static void await(String what, Eventually.Check condition) throws Exception {
        NodeHttp.await(what, condition);
    }

    @Test
    void aNodeKilledAfterApplyingControlRecordsSkipsThemWhenItStartsAgain(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("control-kill")) {
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            String[] serveA = NodeHttp.fleetNode(kafka, dir, CONFIG, "node-a", "a");
            String[] serveB = NodeHttp.fleetNode(kafka, dir, CONFIG, "node-b", "b");
            try (NodeProcess nodeA = NodeProcess.start(JVM, serveA); NodeProcess nodeB = NodeProcess.start(JVM, serveB)) {
                await("both nodes read the control topic", () -> metric(nodeA.base(), a, "edgedeck_fleet_control_lag_records") == 0
                        && metric(nodeB.base(), b, "edgedeck_fleet_control_lag_records") == 0);
                HttpResponse<String> kill = send(nodeA.base(), a, "POST", "/api/v1/flags/offer-banner/kill", "token",
                        "{\"reason\":\"checkout errors\"}");
                assertEquals(200, kill.statusCode(), kill.body());
                await("node-b has the kill", () -> flag(nodeB.base(), b).get("killed").asBoolean());
                long version = flag(nodeB.base(), b).get("version").asLong();
                HttpResponse<String> weights = send(nodeB.base(), b, "PATCH", "/api/v1/flags/offer-banner", "token",
                        "{\"expectedVersion\":" + version + ",\"variants\":[{\"name\":\"control\",\"weight\":8000},"
                                + "{\"name\":\"treatment\",\"weight\":2000}],\"reason\":\"ramp down\"}");
                assertEquals(200, weights.statusCode(), weights.body());
                JsonNode before = flag(nodeB.base(), b);
                JsonNode auditBefore = JSON.readTree(send(nodeB.base(), b, "GET", "/api/v1/audit", "token", null).body());
                assertEquals(2, journaled(b), "one control.applied record per control record");
                await("node-a has node-b's change", () -> flag(nodeA.base(), a).get("variants").get(1).get("weight").asInt() == 2000);

                assertEquals(137, nodeB.kill(), "SIGKILL");
                try (NodeProcess again = NodeProcess.start(JVM, serveB)) {
                    await("the restarted node-b read the control topic",
                            () -> metric(again.base(), b, "edgedeck_fleet_control_lag_records") == 0
                                    && metric(again.base(), b, "edgedeck_fleet_control_offset") >= 0);
                    assertEquals(0, metric(again.base(), b, "edgedeck_fleet_control_applied_records_total"), "nothing applied again");
                    assertEquals(2, metric(again.base(), b, "edgedeck_fleet_control_skipped_records_total"));
                    assertEquals(2, journaled(b), "nothing journaled again");
                    assertEquals(before, flag(again.base(), b));
                    assertEquals(auditBefore, JSON.readTree(send(again.base(), b, "GET", "/api/v1/audit", "token", null).body()));
                }
            }
        }
    }
}
