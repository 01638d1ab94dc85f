package io.edgedeck.simulator.server.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OFREP requests against a real live node (docs/examples/node-config.json, tenants main and acme):
 * {@code If-None-Match} read as RFC 9110's list of entity tags, compared weakly, on the bulk evaluation and the
 * configuration endpoint; a context's {@code region} and {@code tenant} must be the node's, as its {@code pop} must.
 */
class OfrepRequestsNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BULK = "/ofrep/v1/evaluate/flags";
    private static final String CONTEXT = "{\"context\":{\"targetingKey\":\"u1\",\"pop\":\"iad\"}}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir
    static Path dir;
    private static EdgeNode node;
    private static String readKey;

    @BeforeAll
    static void start() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("..", "docs", "examples", "node-config.json")));
        config.putArray("tenants").add("main").add("acme");
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(JSON.writeValueAsBytes(config)),
                InetAddress.getLoopbackAddress(), 0, dir));
        readKey = Files.readString(node.readKeyFile()).trim();
        // the flag's first version reaches iad last; until then each PoP it reaches changes the bulk answer's tag
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (JSON.readTree(send("/ofrep/v1/evaluate/flags/checkout-button", CONTEXT, List.of()).body())
                .path("reason").asText().equals("DEFAULT")) {
            if (System.nanoTime() > until) {
                throw new AssertionError("checkout-button never went live at iad");
            }
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** A POST (or a GET without a body) with each of {@code ifNoneMatch} as an If-None-Match line of its own. */
    static HttpResponse<String> send(String path, String body, List<String> ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + readKey).header("Content-Type", "application/json");
        ifNoneMatch.forEach(v -> b.header("If-None-Match", v));
        b.method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The endpoint's tag, then 304 for every header that matches it and 200 for every one that does not. */
    private static void matchesAsAList(String path, String body) throws Exception {
        HttpResponse<String> first = send(path, body, List.of());
        assertEquals(200, first.statusCode(), first.body());
        String etag = first.headers().firstValue("ETag").orElse(null);
        assertNotNull(etag, path + " answers with an ETag");
        for (List<String> matching : List.of(List.of(etag), List.of("W/" + etag), List.of("\"other\", " + etag),
                List.of("W/\"other\",W/" + etag + " , \"third\""), List.of("*"), List.of("\"other\"", etag),
                List.of("\"with,comma\", " + etag), List.of("garbage, " + etag))) {
            HttpResponse<String> r = send(path, body, matching);
            assertEquals(304, r.statusCode(), path + " with If-None-Match " + matching + ": " + r.body());
            assertEquals(etag, r.headers().firstValue("ETag").orElse(null), "a 304 carries the tag");
        }
        String inner = etag.substring(1, etag.length() - 1);
        for (List<String> other : List.of(List.of("\"other\""), List.of("\"other\", W/\"more\""), List.of(inner),
                List.of("\"" + inner + "x\""), List.of("W/ " + etag), List.of("\"x\", **"))) {
            HttpResponse<String> r = send(path, body, other);
            assertEquals(200, r.statusCode(), path + " with If-None-Match " + other + ": " + r.body());
        }
    }

    @Test
    void theBulkEvaluationReadsIfNoneMatchAsAListComparedWeakly() throws Exception {
        matchesAsAList(BULK, CONTEXT);
    }

    @Test
    void theConfigurationReadsIfNoneMatchAsAListComparedWeakly() throws Exception {
        matchesAsAList("/ofrep/v1/configuration", null);
    }

    @Test
    void aFlagIsAnsweredAloneAsItIsInBulk() throws Exception {
        HttpResponse<String> single = send("/ofrep/v1/evaluate/flags/checkout-button", CONTEXT, List.of());
        HttpResponse<String> bulk = send(BULK, CONTEXT, List.of());
        assertEquals(200, single.statusCode(), single.body());
        assertEquals(200, bulk.statusCode(), bulk.body());
        JsonNode alone = JSON.readTree(single.body());
        JsonNode inBulk = null;
        for (JsonNode f : JSON.readTree(bulk.body()).get("flags")) {
            inBulk = f.get("key").asText().equals("checkout-button") ? f : inBulk;
        }
        // The same fields, cacheable included: caching is the bulk answer's ETag, and a single answer has none.
        assertEquals(inBulk, alone, bulk.body());
        assertEquals(null, single.headers().firstValue("ETag").orElse(null));
    }

    /** A context with {@code extra} after its targeting key, evaluated one flag at a time and in bulk. */
    private static List<HttpResponse<String>> evaluated(String extra) throws Exception {
        String body = "{\"context\":{\"targetingKey\":\"u1\"" + extra + "}}";
        return List.of(send("/ofrep/v1/evaluate/flags/checkout-button", body, List.of()), send(BULK, body, List.of()));
    }

    @Test
    void anUnknownRegionOrTenantIsRefusedAsAnUnknownPopIs() throws Exception {
        for (String[] unknown : new String[][]{{",\"pop\":\"nowhere\"", "context.pop 'nowhere' is not a PoP of this node"},
                {",\"region\":\"mars\"", "context.region 'mars' is not a region of this node; regions: eu, na"},
                {",\"tenant\":\"Acme\"", "context.tenant 'Acme' is not a tenant of this node; tenants: acme, main; did you mean 'acme'?"},
                {",\"tenant\":\"nobody\",\"pop\":\"iad\"", "context.tenant 'nobody' is not a tenant of this node"}}) {
            for (HttpResponse<String> r : evaluated(unknown[0])) {
                assertEquals(400, r.statusCode(), unknown[0] + ": " + r.body());
                JsonNode failure = JSON.readTree(r.body());
                assertEquals("INVALID_CONTEXT", failure.get("errorCode").asText(), r.body());
                assertTrue(failure.get("errorDetails").asText().startsWith(unknown[1]), r.body());
            }
        }
        for (String known : List.of(",\"region\":\"eu\"", ",\"tenant\":\"acme\"", ",\"tenant\":\"main\",\"region\":\"na\"")) {
            for (HttpResponse<String> r : evaluated(known)) {
                assertEquals(200, r.statusCode(), known + ": " + r.body());
            }
        }
    }
}
