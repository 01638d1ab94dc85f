package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/pops/{id}/history} and {@code GET /api/v1/sources} on a real node: the same
 * history the engine holds, opened by the read key or the admin token and nothing else, bounds
 * refused by name.
 */
class DiagnosticsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static LiveNode live;

    @BeforeAll
    static void start() throws Exception {
        live = LiveNode.start(dataDir, 20);
        LiveNode.await("30 engine seconds", () -> live.node.latestFrame() != null && live.node.latestFrame().engineMillis() > 30_000);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(live.api(path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return live.send(b.GET().build());
    }

    @Test
    void historyOverHttpIsTheEnginesOwn() throws Exception {
        try (HttpEdgeConnection client = live.connect()) {
            PopHistory overHttp = client.history("fra", 5, 25).get(10, TimeUnit.SECONDS);
            PopHistory inProcess = live.node.runner().submit(s -> s.core().pops().history("fra", 5, 25)).get(10, TimeUnit.SECONDS);
            assertEquals(inProcess, overHttp);
            assertEquals(20, overHttp.rows(), overHttp.toString());
            assertEquals(5, overHttp.startSecond()[0]);
            assertTrue(java.util.Arrays.stream(overHttp.requests()).sum() > 0, "the steady show served requests at fra");
        }
    }

    @Test
    void theReadKeyAndTheAdminTokenOpenItAndNothingElse() throws Exception {
        for (String key : List.of(live.readKey(), live.token)) {
            assertEquals(200, get("/pops/fra/history?from=0&to=10", key).statusCode());
            assertEquals(200, get("/sources", key).statusCode());
        }
        for (String key : new String[] {null, "not-a-key"}) {
            HttpResponse<String> r = get("/pops/fra/history", key);
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals(401, get("/sources", key).statusCode());
        }
    }

    /**
     * A rehearsal node's read key is a key of its own lane, as a live node's is: where that lane does not reach it is
     * told so (403 problem+json naming what each key opens), not taken for a stranger's (401); so is the admin token
     * at the read key's own lanes. A rehearsal node has no ingest key, and the answer names none.
     */
    @Test
    void theReadKeyIsToldWhatItDoesNotOpenAsOnALiveNode() throws Exception {
        for (String path : List.of("/flags", "/pops", "/status", "/audit")) {
            HttpResponse<String> r = get(path, live.readKey());
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            String detail = JSON.readTree(r.body()).path("detail").asText();
            assertTrue(detail.startsWith("this key does not open /api/v1: ") && detail.contains("the read key /ofrep/v1, /metrics")
                    && !detail.contains("ingest"), detail);
        }
        HttpResponse<String> metrics = live.send(HttpRequest.newBuilder(live.base().resolve("/metrics"))
                .header("Authorization", "Bearer " + live.token).GET().build());
        assertEquals(403, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().contains("this key does not open /metrics"), metrics.body());
        // A key the node does not know is still a 401 there.
        assertEquals(401, get("/flags", "not-a-key").statusCode());
    }

    @Test
    void badBoundsAreRefusedNamingTheParameter() throws Exception {
        String read = live.readKey();
        for (String[] c : new String[][] {{"from=-1", "from"}, {"from=yesterday", "from"}, {"to=1.5", "to"},
                {"from=10&to=10", "to"}, {"from=10&to=3", "to"}, {"to=9007199254740992", "to"}}) {
            HttpResponse<String> r = get("/pops/fra/history?" + c[0], read);
            assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
            assertEquals(c[1], JSON.readTree(r.body()).path("field").asText(), r.body());
        }
        HttpResponse<String> unknown = get("/pops/atlantis/history", read);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("atlantis"), unknown.body());
        assertEquals(405, live.send(HttpRequest.newBuilder(live.api("/pops/fra/history")).header("Authorization", "Bearer " + read)
                .DELETE().build()).statusCode());
    }

    @Test
    void theClientSaysWhyWhenTheNodeRefuses() throws Exception {
        try (HttpEdgeConnection client = live.connect()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.history("atlantis", 0, 10).get(10, TimeUnit.SECONDS));
            EdgeException edge = assertInstanceOf(EdgeException.class, e.getCause());
            assertEquals(EdgeException.Kind.NOT_FOUND, edge.kind());
        }
    }

    @Test
    void sourcesNameTheSimulatedAudienceWithItsRate() throws Exception {
        try (HttpEdgeConnection client = live.connect()) {
            assertTrue(client.hasSources());
            LiveNode.await("the audience is counted", () -> live.node.sources().getFirst().events() > 0);
            List<SourceStatus> sources = client.sources().get(10, TimeUnit.SECONDS);
            SourceStatus audience = sources.getFirst();
            assertEquals("simulator", audience.kind());
            assertEquals("steady-show", audience.name());
            assertEquals(SourceState.CONNECTED, audience.state());
            assertTrue(audience.events() > 0 && audience.eventsPerSecond() > 0 && audience.lastEventMillis() > 0, audience.toString());
        }
        HttpResponse<String> m = live.send(HttpRequest.newBuilder(live.base().resolve("/metrics"))
                .header("Authorization", "Bearer " + live.readKey()).GET().build());
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("edgedeck_connector_events_total{kind=\"simulator\",name=\"steady-show\"}"), m.body());
    }
}
