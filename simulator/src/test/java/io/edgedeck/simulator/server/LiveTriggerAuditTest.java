package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.client.model.TriggerVerdict;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger audit on a live node: ingested steps and conversions feed it, {@code GET /api/v1/triggers}
 * serves it to the read key (and the console's HTTP connection reads it), and no key is refused.
 */
class LiveTriggerAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "trigger-audit-test",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [],
             "triggers": [{"id": "hot-buyer", "kinds": ["click", "click", "click"], "count": 3, "withinSeconds": 20,
                           "ordered": false, "action": "surface-checkout"},
                          {"id": "any-click", "kinds": ["click"], "count": 1, "withinSeconds": 1,
                           "ordered": false, "action": "pin-offer"}]}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private EdgeNode node;

    @AfterEach
    void stop() {
        http.close();
        if (node != null) {
            node.close();
        }
    }

    private HttpResponse<String> send(String method, String path, Path keyFile, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        if (keyFile != null) {
            b.header("Authorization", "Bearer " + Files.readString(keyFile).trim());
        }
        b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ingestedStepsAndConversionsReachTheAuditTheNodeServesToTheReadKey(@TempDir Path dir) throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir));
        // viewer-1 clicks three times (both fire), then checks out; viewer-2 clicks once and converts
        // before; viewer-3 converts with no step; viewer-4 only views, which no trigger watches.
        HttpResponse<String> answer = send("POST", "/ingest/v1/events", node.ingestKeyFile(), """
                [{"id": "s-1", "type": "step", "name": "click", "targetingKey": "viewer-1"},
                 {"id": "s-2", "type": "step", "name": "click", "targetingKey": "viewer-1"},
                 {"id": "s-3", "type": "step", "name": "click", "targetingKey": "viewer-1"},
                 {"id": "c-1", "type": "conversion", "name": "checkout", "targetingKey": "viewer-1"},
                 {"id": "c-2", "type": "conversion", "name": "purchase", "targetingKey": "viewer-2"},
                 {"id": "s-4", "type": "step", "name": "click", "targetingKey": "viewer-2"},
                 {"id": "c-3", "type": "conversion", "name": "purchase", "targetingKey": "viewer-3"},
                 {"id": "s-5", "type": "step", "name": "view", "targetingKey": "viewer-4"}]""");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(8, JSON.readTree(answer.body()).get("accepted").asInt(), answer.body());

        HttpResponse<String> read = send("GET", "/api/v1/triggers", node.readKeyFile(), null);
        assertEquals(200, read.statusCode(), read.body());
        TriggerAudit audit = JSON.readValue(read.body(), TriggerAudit.class);
        assertEquals(3, audit.sessions(), "viewers 1 to 3: a watched step or a conversion; " + read.body());
        assertEquals(3, audit.convertedSessions());
        assertEquals(60, audit.overlapWindowSeconds());
        TriggerAudit.Row hot = row(audit, "hot-buyer");
        assertEquals(1, hot.firings());
        assertEquals(1, hot.sessionsFired());
        assertEquals(1, hot.convertedAfter(), "viewer-1 checked out after hot-buyer fired");
        assertEquals(2, hot.sessionsNotFired());
        assertEquals(2, hot.convertedNotFired());
        assertEquals(Map.of("any-click", 1L), hot.overlapSessions());
        assertEquals(TriggerVerdict.TOO_FEW, hot.verdict());
        TriggerAudit.Row any = row(audit, "any-click");
        assertEquals(3, any.firings(), "viewer-1's first two clicks (the rate limit holds the third) and viewer-2's");
        assertEquals(2, any.sessionsFired());
        assertEquals(1, any.convertedAfter(), "viewer-2 converted before its click");
        assertEquals(0.5, any.overlapShare("hot-buyer"));
        JsonNode raw = JSON.readTree(read.body());
        assertEquals("too-few", raw.get("triggers").get(0).get("verdict").asText());

        assertEquals(200, send("GET", "/api/v1/triggers", node.tokenFile(), null).statusCode(), "the admin token reads it too");
        HttpResponse<String> none = send("GET", "/api/v1/triggers", null, null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

        try (var console = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim())) {
            LiveNode.await("the console is online", () -> console.status().online());
            assertTrue(console.hasTriggerAudit());
            assertEquals(audit.sessions(), console.triggerAudit().get(10, TimeUnit.SECONDS).sessions());
        }
    }

    private static TriggerAudit.Row row(TriggerAudit audit, String id) {
        return audit.triggers().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
