package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A PoP whose node config states a loss objective alone ({@code "slo": {"maxLossRatio": 0.05}}) has no p95
 * objective of its own: frames and {@code GET /api/v1/pops} carry its loss objective and no {@code p95Ms}, so a
 * console judges its p95 by its own objective rather than by a 150 ms the producer never wrote.
 */
class LossOnlySloNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLossObjectiveAloneTravelsWithoutAP95(@TempDir Path dir) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(Path.of("..", "docs", "examples", "node-config.json").toFile());
        for (JsonNode pop : config.get("pops")) {
            if (pop.get("id").asText().equals("ams")) {
                ((ObjectNode) pop).putObject("slo").put("maxLossRatio", 0.05);
            }
        }
        try (LiveNodeFixture live = new LiveNodeFixture(config.toString(), dir)) {
            live.start();
            HttpResponse<String> r = live.send("GET", "/api/v1/pops", live.key("token"), null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode ams = null;
            for (JsonNode p : JSON.readTree(r.body())) {
                ams = p.get("id").asText().equals("ams") ? p : ams;
            }
            assertEquals("{\"maxLossRatio\":0.05}", ams.get("slo").toString(), r.body());
            assertEquals("{\"maxLossRatio\":0.05}", live.framePop("ams").get("slo").toString());
            assertFalse(live.framePop("fra").path("slo").path("p95Ms").isMissingNode(), "fra states its p95: 120 ms");
        }
    }
}
