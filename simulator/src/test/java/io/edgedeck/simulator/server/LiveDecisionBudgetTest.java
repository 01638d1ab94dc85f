package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionStage;
import io.edgedeck.client.model.MetricsFrame;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision budget on a live node: the stage times an app sends with its checkouts, and the
 * node's own timing of the trigger actions it fires, reach the frame stream and {@code /metrics}.
 */
class LiveDecisionBudgetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "decisions-test",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [],
             "triggers": [{"id": "hot-buyer", "kinds": ["click", "click", "click"], "count": 3, "withinSeconds": 20,
                           "ordered": false, "action": "surface-checkout"}]}""";

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
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + Files.readString(keyFile).trim())
                .header("Content-Type", "application/json");
        b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void checkoutStageTimesAndTheNodesOwnTriggerTimingReachFramesAndMetrics(@TempDir Path dir) throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir));
        HttpResponse<String> answer = send("POST", "/ingest/v1/events", node.ingestKeyFile(), """
                [{"id": "k-1", "type": "checkout", "checkoutId": "c-1", "pop": "fra", "state": "authorised",
                  "validateMs": 40, "enrichMs": 60, "actMs": 180},
                 {"id": "k-2", "type": "checkout", "checkoutId": "c-2", "pop": "iad", "state": "queued",
                  "validateMs": 45, "enrichMs": 70, "actMs": 2000},
                 {"id": "k-3", "type": "checkout", "checkoutId": "c-3", "pop": "fra", "state": "authorised",
                  "validateMs": 40, "actMs": 180},
                 {"id": "k-4", "type": "checkout", "checkoutId": "c-4", "pop": "fra", "state": "authorised",
                  "validateMs": "slow", "enrichMs": 1, "actMs": 1},
                 {"id": "t-1", "type": "conversion", "name": "click", "targetingKey": "viewer-1"},
                 {"id": "t-2", "type": "conversion", "name": "click", "targetingKey": "viewer-1"},
                 {"id": "t-3", "type": "conversion", "name": "click", "targetingKey": "viewer-1"}]""");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(5, body.get("accepted").asInt(), answer.body());
        assertEquals("enrichMs", body.get("refused").get(0).get("field").asText(), answer.body());
        assertTrue(body.get("refused").get(0).get("reason").asText().contains("validateMs, enrichMs and actMs"), answer.body());
        assertEquals("validateMs", body.get("refused").get(1).get("field").asText(), answer.body());
        assertEquals(1, body.get("actions").size(), "the third click fired hot-buyer: " + answer.body());

        LiveNode.await("a frame with three decisions", () -> {
            MetricsFrame f = node.latestFrame();
            return f != null && f.decisions().decisions() == 3;
        });
        DecisionMetrics d = node.latestFrame().decisions();
        assertEquals(1, d.overSlo(), "45 + 70 + 2000 ms is over the 500 ms objective");
        assertEquals(3, d.windowDecisions());
        assertEquals(2000, d.stage(DecisionStage.ACT).p99Ms());

        String metrics = send("GET", "/metrics", node.readKeyFile(), null).body();
        assertTrue(metrics.contains("edgedeck_decision_stage_duration_seconds_count{stage=\"act\"} 3"), metrics);
        assertTrue(metrics.contains("edgedeck_decision_stage_duration_seconds_bucket{stage=\"total\",le=\"0.5\"} 2"), metrics);
        assertTrue(metrics.contains("edgedeck_decision_stage_duration_seconds_bucket{stage=\"total\",le=\"+Inf\"} 3"), metrics);
        assertTrue(metrics.contains("edgedeck_decisions_over_slo_total 1"), metrics);
        assertTrue(metrics.contains("edgedeck_decision_stage_budget_seconds{stage=\"enrich\"} 0.15"), metrics);

        JsonNode frame = JSON.readTree(send("GET", "/api/v1/report", node.tokenFile(), null).body());
        assertEquals(3, frame.get("decisions").get("decisions").asInt(), frame.toString());
    }
}
