package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document against the route table of real nodes, both ways: every operation a node
 * answers is documented, and every documented operation is answered (a live node's own ones on a live
 * node only). A new route without its description, or a description of a route that is gone, fails
 * here. The document is also what the node serves at {@code /openapi.json}. The live node's own
 * answers the contract walk cannot reach on a rehearsal node are provoked here: every status
 * {@code POST /ingest/v1/events} documents, and the 409 of the show controls a live node refuses.
 *
 * <p>Connectors' push endpoints are left out by construction: their paths are the ones a node config
 * names (docs/CONNECTORS.md), so no fixed document can list them; these nodes configure none.
 */
class OpenApiRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");
    private static final Path EXAMPLE_CONFIG = Path.of("..", "docs", "examples", "node-config.json");
    /** A live node whose ingest limits are small enough to reach: 3 events a batch, 4 a second. */
    private static final String SMALL_LIMITS = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "routes-test",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "ingest": {"maxBatchEvents": 3, "maxBatchBytes": 65536, "maxEventsPerSecond": 4}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started.reversed()) {
            c.close();
        }
        http.close();
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = OpenApiRoutesTest.class.getResourceAsStream(OpenApiLane.RESOURCE)) {
            return JSON.readTree(in);
        }
    }

    /** The documented operations as {@code METHOD /path}, a live node's own ones too when {@code live}. */
    private static Set<String> documented(JsonNode doc, boolean live) {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String m : METHODS) {
                JsonNode op = path.getValue().get(m);
                if (op != null && (live || !op.path("x-edgedeck-live-only").asBoolean())) {
                    out.add(m.toUpperCase() + " " + path.getKey());
                }
            }
        }
        return out;
    }

    private EdgeNode live(Path dir, NodeConfig config, Duration actionTimeout) throws Exception {
        EdgeNode node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir)
                .withActionTimeout(actionTimeout));
        started.add(node);
        return node;
    }

    private HttpResponse<String> send(EdgeNode node, String method, String path, String key, byte[] body,
                                      Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ingest(EdgeNode node, String key, String batch, Map<String, String> headers) throws Exception {
        return send(node, "POST", "/ingest/v1/events", key, batch.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String key(Path file) throws Exception {
        return Files.readString(file).trim();
    }

    @Test
    void aRehearsalNodeAnswersExactlyTheDocumentedOperations(@TempDir Path dir) throws Exception {
        try (LiveNode rehearsal = LiveNode.start(dir, 1)) {
            Set<String> served = new TreeSet<>(rehearsal.node.operations());
            Set<String> documented = documented(document(), false);
            assertEquals(documented, served, "undocumented: " + minus(served, documented) + "; documented, not served: "
                    + minus(documented, served));
        }
    }

    @Test
    void aLiveNodeAnswersExactlyTheDocumentedOperationsAndServesTheDocument(@TempDir Path dir) throws Exception {
        EdgeNode node = live(dir, NodeConfigParser.resolve(EXAMPLE_CONFIG.toString()), Duration.ofSeconds(10));
        JsonNode doc = document();
        Set<String> served = new TreeSet<>(node.operations());
        Set<String> documented = documented(doc, true);
        assertEquals(documented, served, "undocumented: " + minus(served, documented) + "; documented, not served: "
                + minus(documented, served));
        assertTrue(served.contains("POST /ingest/v1/events"), served.toString());

        HttpResponse<String> r = send(node, "GET", "/openapi.json", null, null, Map.of());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(doc, JSON.readTree(r.body()), "the node serves the document edge-client keeps");
        JsonNode events = JSON.readTree(r.body()).get("paths").get("/ingest/v1/events").get("post");
        assertEquals(Set.of("200", "400", "401", "403", "413", "415", "429", "503"), fieldNames(events.get("responses")));
        assertTrue(events.get("responses").get("429").get("headers").has("Retry-After"));
        assertEquals(Set.of("application/json", "application/x-ndjson"), fieldNames(events.get("requestBody").get("content")));
        JsonNode typed = doc.get("components").get("schemas").get("IngestEvent").get("discriminator").get("mapping");
        assertEquals(Set.of("exposure", "conversion", "latency", "chat", "checkout", "step"), fieldNames(typed));
    }

    @Test
    void theIngestOperationAnswersEveryStatusItDocuments(@TempDir Path dir) throws Exception {
        EdgeNode node = live(dir.resolve("a"), NodeConfigParser.parse(SMALL_LIMITS.getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(10));
        String ingestKey = key(node.ingestKeyFile());
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Set<String> answered = new TreeSet<>();

        // 200, partial: the good event counts, the broken one is named by index, id and field
        HttpResponse<String> partial = ingest(node, ingestKey, """
                [{"id": "ok-1", "type": "latency", "pop": "fra", "ms": 40},
                 {"id": "bad-1", "type": "latency", "pop": "fra"}]""", json);
        assertEquals(200, partial.statusCode(), partial.body());
        JsonNode answer = JSON.readTree(partial.body());
        assertEquals(1, answer.get("accepted").asInt());
        assertEquals(1, answer.get("refused").get(0).get("index").asInt());
        assertEquals("bad-1", answer.get("refused").get(0).get("id").asText());
        assertEquals("ms", answer.get("refused").get(0).get("field").asText());
        answered.add("200");
        Thread.sleep(1100); // the key's rate refills before the next batches
        // gzip NDJSON is the same operation
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write("{\"id\": \"z-1\", \"type\": \"step\", \"name\": \"click\", \"targetingKey\": \"u-1\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> gzipped = send(node, "POST", "/ingest/v1/events", ingestKey, zipped.toByteArray(),
                Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip"));
        assertEquals(200, gzipped.statusCode(), gzipped.body());
        assertEquals(1, JSON.readTree(gzipped.body()).get("accepted").asInt());

        expect(answered, "400", ingest(node, ingestKey, "[{\"id\": \"bad-2\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": \"fast\"}]", json),
                "[0].ms");
        expect(answered, "401", ingest(node, null, "[]", json), null);
        expect(answered, "403", ingest(node, key(node.readKeyFile()), "[]", json), null);
        expect(answered, "413", ingest(node, ingestKey, "[" + String.join(",", List.of(latency("b-1"), latency("b-2"),
                latency("b-3"), latency("b-4"))) + "]", json), "body");
        expect(answered, "415", ingest(node, ingestKey, "[" + latency("c-1") + "]", Map.of("Content-Encoding", "br")), "Content-Encoding");
        HttpResponse<String> limited = null;
        for (int i = 0; i < 4 && (limited == null || limited.statusCode() != 429); i++) {
            limited = ingest(node, ingestKey, "[" + latency("r-" + i + "a") + "," + latency("r-" + i + "b") + "," + latency("r-" + i + "c") + "]", json);
        }
        expect(answered, "429", limited, null);
        assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) >= 1, "Retry-After says when");

        // A node that may not wait for its log: the batch cannot be made durable in time.
        EdgeNode hurried = live(dir.resolve("b"), NodeConfigParser.parse(SMALL_LIMITS.getBytes(StandardCharsets.UTF_8)),
                Duration.ofNanos(1));
        expect(answered, "503", ingest(hurried, key(hurried.ingestKeyFile()), "[" + latency("d-1") + "]", json), null);

        JsonNode documentedAnswers = document().get("paths").get("/ingest/v1/events").get("post").get("responses");
        assertEquals(fieldNames(documentedAnswers), answered, "every documented answer, and only those, was provoked");
    }

    private static String latency(String id) {
        return "{\"id\": \"" + id + "\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 30}";
    }

    private static void expect(Set<String> answered, String status, HttpResponse<String> r, String field) throws Exception {
        assertEquals(Integer.parseInt(status), r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), status);
        JsonNode problem = JSON.readTree(r.body());
        assertEquals(Integer.parseInt(status), problem.get("status").asInt());
        assertFalse(problem.get("detail").asText().isBlank(), "a reason: " + r.body());
        if (field != null) {
            assertEquals(field, problem.path("field").asText(), r.body());
        }
        answered.add(status);
    }

    @Test
    void aLiveNodeRefusesToPauseResumeOrChangeSpeedAndSaysWhy(@TempDir Path dir) throws Exception {
        EdgeNode node = live(dir, NodeConfigParser.resolve(EXAMPLE_CONFIG.toString()), Duration.ofSeconds(10));
        String admin = key(node.tokenFile());
        LiveNode.await("a first frame", () -> node.latestFrame() != null);
        double speed = node.latestFrame().speed();
        JsonNode doc = document();
        Map<String, String> json = Map.of("Content-Type", "application/json");
        for (String[] call : List.of(new String[] {"PUT", "/show/speed", "{\"speed\": 10}"},
                new String[] {"POST", "/show/pause", "{}"}, new String[] {"POST", "/show/resume", "{}"})) {
            HttpResponse<String> r = send(node, call[0], "/api/v1" + call[1], admin, call[2].getBytes(StandardCharsets.UTF_8), json);
            assertEquals(409, r.statusCode(), call[1] + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(JSON.readTree(r.body()).get("detail").asText().contains("wall clock"), r.body());
            assertTrue(doc.get("paths").get("/api/v1" + call[1]).get(call[0].toLowerCase()).get("responses").has("409"),
                    call[1] + " documents its 409");
        }
        Thread.sleep(600);
        assertEquals(speed, node.latestFrame().speed(), "the frames still tell the node's own clock rate");
        assertEquals("RUNNING", node.latestFrame().state().name());
        List<AuditEntry> audit = List.of(JSON.readValue(send(node, "GET", "/api/v1/audit", admin, null, Map.of()).body(),
                AuditEntry[].class));
        assertTrue(audit.stream().noneMatch(e -> e.action().startsWith("show.")), "nothing refused is audited: " + audit);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
