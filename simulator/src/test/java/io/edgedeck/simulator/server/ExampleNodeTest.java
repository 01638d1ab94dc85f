package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A live node started from docs/examples/node-config.json as it stands: {@code fra} with objectives of
 * its own ({@code slo.p95Ms} 120, {@code maxLossRatio} 0.01), the other PoPs with none.
 */
class ExampleNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    private static LiveNodeFixture live;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveNodeFixture(Files.readString(Path.of("..", "docs", "examples", "node-config.json")), dataDir);
        live.start();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    /**
     * {@code GET /api/v1/pops} and every frame carry fra's objectives as {@code slo}, so a console judges
     * fra's tile by the objective the node calls it degraded by; a PoP without any carries no {@code slo}.
     */
    @Test
    void aPopsDeclaredObjectivesTravelWithItAndAPopWithoutAnyHasNone() throws Exception {
        HttpResponse<String> r = live.send("GET", "/api/v1/pops", live.key("token"), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode pops = JSON.readTree(r.body());
        assertEquals("fra", pops.get(0).get("id").asText(), r.body());
        assertEquals(120, pops.get(0).path("slo").path("p95Ms").asDouble(), r.body());
        assertEquals(0.01, pops.get(0).path("slo").path("maxLossRatio").asDouble(), r.body());
        assertEquals("ams", pops.get(1).get("id").asText(), r.body());
        assertFalse(pops.get(1).has("slo"), "ams declares none: " + r.body());

        JsonNode fra = live.framePop("fra");
        assertEquals(120, fra.path("slo").path("p95Ms").asDouble(), fra.toString());
        assertFalse(live.framePop("iad").has("slo"), live.framePop("iad").toString());
    }
}
