package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node started from docs/examples/node-config.json as it stands: {@code fra} with objectives of
 * its own ({@code slo.p95Ms} 120, {@code maxLossRatio} 0.01), the other PoPs with none, and no origin
 * in {@code cors.allowedOrigins}.
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

    /** The node config declares the flags a live node starts with: audited as its, not as a rehearsal's scenario. */
    @Test
    void theFlagsTheNodeConfigDeclaresAreAuditedAsTheNodeConfigs() throws Exception {
        HttpResponse<String> r = live.send("GET", "/api/v1/audit?kind=flag.create", live.key("token"), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode created = JSON.readTree(r.body()).get(0);
        assertEquals("checkout-button", created.path("target").asText(), r.body());
        assertEquals("config", created.path("actor").asText(), r.body());
        assertEquals("flag declared in the node config friday-drop", created.path("reason").asText(), r.body());
    }

    /**
     * With no origin listed, a browser's preflight to OFREP or ingest is answered without a key, as with
     * origins listed: a 403 problem naming the origin and where to list it, not a 401 asking for a key a
     * preflight can never send (docs/API.md, "Browsers").
     */
    @Test
    void withNoOriginListedAPreflightIsRefusedByNameNotAskedForAKey() throws Exception {
        for (String path : new String[]{"/ofrep/v1/evaluate/flags", "/ingest/v1/events"}) {
            HttpResponse<String> r = live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve(path))
                    .timeout(Duration.ofSeconds(10)).header("Origin", "https://shop.example")
                    .header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(null), path);
            String detail = JSON.readTree(r.body()).path("detail").asText();
            assertTrue(detail.contains("'https://shop.example'") && detail.contains("cors.allowedOrigins")
                    && detail.contains("lists no origin"), path + ": " + detail);
            assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent(), path);
            assertFalse(r.headers().firstValue("WWW-Authenticate").isPresent(), path + ": no key is asked for");
        }
    }
}
