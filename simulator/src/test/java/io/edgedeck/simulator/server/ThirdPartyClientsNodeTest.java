package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What OpenFeature providers, browsers and uploaders meet on a live node (docs/examples/node-config.json
 * with {@code cors.allowedOrigins}). Browsers: a web provider and a shop page on an allowed origin get
 * their preflights answered without a key and may read the answers of OFREP and the ingest API; another
 * origin is refused by name; the control API grants no origin anything. OFREP: a killed flag answers
 * without a unit, alone and in bulk (where a flag that needs one fails on its own), a trigger not fired is its default, a key with an encoded '/' is a flag not found.
 * Ingest: a byte order mark before an array is skipped, an {@code at} in seconds is refused with a hint.
 */
class ThirdPartyClientsNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOP = "https://shop.example";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir
    static Path dir;
    private static EdgeNode node;
    private static String readKey;
    private static String ingestKey;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(JSON.writeValueAsBytes(config(SHOP, "http://localhost:5173"))),
                InetAddress.getLoopbackAddress(), 0, dir));
        readKey = Files.readString(node.readKeyFile()).trim();
        ingestKey = Files.readString(node.dataDir().resolve("ingest-key")).trim();
        adminToken = Files.readString(node.dataDir().resolve("token")).trim();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static ObjectNode config(String... origins) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("..", "docs", "examples", "node-config.json")));
        var list = config.putObject("cors").putArray("allowedOrigins");
        for (String o : origins) {
            list.add(o);
        }
        return config;
    }

    private static HttpResponse<String> preflight(String path, String origin, String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String origin, String bearer, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAKey() throws Exception {
        for (String path : new String[]{"/ofrep/v1/evaluate/flags", "/ofrep/v1/evaluate/flags/checkout-button",
                "/ingest/v1/events", "/ingest/v1/checkouts"}) {
            HttpResponse<String> r = preflight(path, SHOP, "POST");
            assertEquals(204, r.statusCode(), path + ": " + r.body());
            assertEquals(SHOP, header(r, "Access-Control-Allow-Origin"), path);
            assertEquals("Origin", header(r, "Vary"), path);
            assertTrue(header(r, "Access-Control-Allow-Methods").contains("POST"), path);
            String allowed = header(r, "Access-Control-Allow-Headers");
            for (String h : new String[]{"Authorization", "Content-Type", "If-None-Match", "X-API-Key"}) {
                assertTrue(allowed.contains(h), path + " allows " + h + ": " + allowed);
            }
            assertTrue(Integer.parseInt(header(r, "Access-Control-Max-Age")) > 0, path);
            assertEquals(null, header(r, "Access-Control-Allow-Credentials"), "no credentials are granted");
        }
        // The second origin, as a browser writes it, on the configuration endpoint a provider GETs.
        HttpResponse<String> dev = preflight("/ofrep/v1/configuration", "http://localhost:5173", "GET");
        assertEquals(204, dev.statusCode(), dev.body());
        assertEquals("http://localhost:5173", header(dev, "Access-Control-Allow-Origin"));
    }

    @Test
    void anAllowedOriginMayReadTheAnswers() throws Exception {
        HttpResponse<String> bulk = post("/ofrep/v1/evaluate/flags", SHOP, readKey, "application/json",
                "{\"context\":{\"targetingKey\":\"browser-1\"}}");
        assertEquals(200, bulk.statusCode(), bulk.body());
        assertEquals(SHOP, header(bulk, "Access-Control-Allow-Origin"));
        assertEquals("Origin", header(bulk, "Vary"));
        String exposed = header(bulk, "Access-Control-Expose-Headers");
        assertTrue(exposed.contains("ETag") && exposed.contains("Retry-After"), exposed);
        // A beacon-style batch (text/plain, ?key=) and an error are readable too.
        HttpResponse<String> batch = HTTP.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events?key=" + ingestKey))
                .header("Origin", SHOP).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"cors-1\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"b1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, batch.statusCode(), batch.body());
        assertEquals(SHOP, header(batch, "Access-Control-Allow-Origin"));
        HttpResponse<String> unauthorised = post("/ofrep/v1/evaluate/flags", SHOP, "not-a-key", "application/json", "{}");
        assertEquals(401, unauthorised.statusCode());
        assertEquals(SHOP, header(unauthorised, "Access-Control-Allow-Origin"), "a page can read why it was refused");
    }

    @Test
    void anotherOriginIsRefusedByName() throws Exception {
        HttpResponse<String> r = preflight("/ofrep/v1/evaluate/flags", "https://evil.example", "POST");
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("application/problem+json", header(r, "Content-Type"));
        JsonNode problem = JSON.readTree(r.body());
        assertTrue(problem.path("detail").asText().contains("https://evil.example"), r.body());
        assertTrue(problem.path("detail").asText().contains("cors.allowedOrigins"), r.body());
        assertEquals(null, header(r, "Access-Control-Allow-Origin"));
        HttpResponse<String> answer = post("/ofrep/v1/evaluate/flags", "https://evil.example", readKey, "application/json",
                "{\"context\":{\"targetingKey\":\"browser-1\"}}");
        assertEquals(200, answer.statusCode(), "a server-side caller's Origin changes nothing but the grant");
        assertEquals(null, header(answer, "Access-Control-Allow-Origin"));
    }

    @Test
    void theControlApiGrantsNoOrigin() throws Exception {
        HttpResponse<String> pre = preflight("/api/v1/flags", SHOP, "GET");
        assertEquals(401, pre.statusCode(), "a preflight there is any request without a key");
        assertEquals(null, header(pre, "Access-Control-Allow-Origin"));
        HttpResponse<String> flags = HTTP.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/flags"))
                .header("Authorization", "Bearer " + adminToken).header("Origin", SHOP).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, flags.statusCode(), flags.body());
        assertEquals(null, header(flags, "Access-Control-Allow-Origin"));
        assertFalse(flags.headers().firstValue("Access-Control-Expose-Headers").isPresent());
    }

    @Test
    void anOriginThatIsNotSchemeHostPortIsRefusedAtStartNamingTheField() throws Exception {
        for (String bad : new String[]{"*", "https://shop.example/", "shop.example", "ftp://shop.example",
                "https://shop.example/path", "https://shop.example:70000"}) {
            ScenarioValidationException e = assertThrows(ScenarioValidationException.class,
                    () -> NodeConfigParser.parse(JSON.writeValueAsBytes(config(SHOP, bad))), bad);
            assertTrue(e.getMessage().contains("cors.allowedOrigins[1]"), bad + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("scheme://host[:port]") || e.getMessage().contains("port must be"),
                    bad + ": " + e.getMessage());
        }
        assertEquals(java.util.List.of("https://Shop.Example:443"),
                NodeConfigParser.parse(JSON.writeValueAsBytes(config("https://Shop.Example:443"))).allowedOrigins());
    }

    private static JsonNode ofrep(String path, String body) throws Exception {
        HttpResponse<String> r = post(path, null, readKey, "application/json", body);
        JsonNode json = JSON.readTree(r.body());
        ((ObjectNode) json).put("status", r.statusCode());
        return json;
    }

    @Test
    void aTriggerNotFiredIsItsDefault() throws Exception {
        JsonNode single = ofrep("/ofrep/v1/evaluate/flags/trigger.hot-buyer", "{\"context\":{\"targetingKey\":\"buyer-2\"}}");
        assertEquals(200, single.path("status").asInt(), single.toString());
        assertEquals("DEFAULT", single.path("reason").asText(), single.toString());
        assertEquals(false, single.path("value").asBoolean(true));
        JsonNode bulk = ofrep("/ofrep/v1/evaluate/flags", "{\"context\":{\"targetingKey\":\"buyer-2\"}}");
        for (JsonNode f : bulk.path("flags")) {
            if (f.path("key").asText().equals("trigger.hot-buyer")) {
                assertEquals("DEFAULT", f.path("reason").asText(), f.toString());
            }
        }
    }

    @Test
    void aKeyWithAnEncodedSlashIsAFlagNotFound() throws Exception {
        JsonNode slash = ofrep("/ofrep/v1/evaluate/flags/a%2Fb", "{\"context\":{\"targetingKey\":\"buyer-2\"}}");
        assertEquals(404, slash.path("status").asInt(), slash.toString());
        assertEquals("FLAG_NOT_FOUND", slash.path("errorCode").asText(), slash.toString());
        assertEquals("a/b", slash.path("key").asText(), slash.toString());
    }

    /** Flag {@code key}'s entry in a bulk evaluation's answer (which must be a 200), or a missing node. */
    private static JsonNode entry(JsonNode bulk, String key) {
        assertEquals(200, bulk.path("status").asInt(), bulk.toString());
        for (JsonNode f : bulk.path("flags")) {
            if (f.path("key").asText().equals(key)) {
                return f;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void aKilledFlagAnswersWithoutAUnitAloneAndInBulk() throws Exception {
        String flag = "/ofrep/v1/evaluate/flags/checkout-button";
        String bulk = "/ofrep/v1/evaluate/flags";
        assertEquals("TARGETING_KEY_MISSING", ofrep(flag, "{\"context\":{}}").path("errorCode").asText(), "a live split needs its unit");
        // In bulk, a flag that needs the unit fails on its own (OFREP's per-flag failure), not the whole answer.
        JsonNode before = ofrep(bulk, "{\"context\":{}}");
        for (String key : new String[]{"checkout-button", "trigger.hot-buyer"}) {
            JsonNode e = entry(before, key);
            assertEquals("TARGETING_KEY_MISSING", e.path("errorCode").asText(), key + ": " + before);
            assertTrue(e.path("errorDetails").asText().contains("targetingKey"), e.toString());
            assertFalse(e.has("value"), e.toString());
        }
        HttpResponse<String> kill = post("/api/v1/flags/checkout-button/kill", null, adminToken, "application/json",
                "{\"reason\":\"the button breaks checkout\"}");
        assertEquals(200, kill.statusCode(), kill.body());
        try {
            LiveNodeFixture.await("the kill is served at fra", () -> {
                try {
                    return ofrep(flag, "{\"context\":{\"targetingKey\":\"k1\"}}").path("reason").asText().equals("DISABLED");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (String body : new String[]{"{\"context\":{}}", "{}", "", "{\"context\":{\"targetingKey\":\"\"}}"}) {
                JsonNode anonymous = ofrep(flag, body);
                assertEquals(200, anonymous.path("status").asInt(), body + ": " + anonymous);
                assertEquals("DISABLED", anonymous.path("reason").asText(), body);
                assertEquals("control", anonymous.path("value").asText(), body);
                JsonNode all = ofrep(bulk, body);
                ((ObjectNode) anonymous).remove("status");
                assertEquals(anonymous, entry(all, "checkout-button"), body + ": the same answer in bulk: " + all);
                assertEquals("TARGETING_KEY_MISSING", entry(all, "trigger.hot-buyer").path("errorCode").asText(),
                        body + ": a trigger is pending for a unit: " + all);
            }
        } finally {
            post("/api/v1/flags/checkout-button/unkill", null, adminToken, "application/json", "{\"reason\":\"mended\"}");
        }
    }

    @Test
    void aByteOrderMarkBeforeAnArrayIsSkippedAndAnAtInSecondsGetsAHint() throws Exception {
        HttpResponse<byte[]> bom = HTTP.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                .header("Authorization", "Bearer " + ingestKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(("\uFEFF[{\"id\":\"bom4\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1}]")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode taken = JSON.readTree(bom.body());
        assertEquals(200, bom.statusCode(), taken.toString());
        assertEquals(1, taken.path("accepted").asInt(), taken.toString());
        long seconds = System.currentTimeMillis() / 1000;
        HttpResponse<String> r = post("/ingest/v1/events", null, ingestKey, "application/json",
                "[{\"id\":\"secs-1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1,\"at\":" + seconds + "}]");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode refused = JSON.readTree(r.body()).path("refused").path(0);
        assertEquals("at", refused.path("field").asText(), r.body());
        assertTrue(refused.path("reason").asText().contains("looks like epoch seconds: send epoch milliseconds"), r.body());
    }

    @Test
    void aTokenATriggerIssuedSaysWhichFiringOfferedIt() throws Exception {
        StringBuilder clicks = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            clicks.append("{\"id\":\"offer-").append(i).append("\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"buyer-7\"}\n");
        }
        HttpResponse<String> batch = post("/ingest/v1/events", null, ingestKey, "application/x-ndjson", clicks.toString());
        JsonNode action = JSON.readTree(batch.body()).path("actions").path(0);
        assertEquals("hot-buyer", action.path("trigger").asText(), batch.body());
        HttpResponse<String> paid = post("/ingest/v1/checkouts", null, ingestKey, "application/json",
                "{\"token\":\"" + action.path("checkoutToken").asText() + "\",\"targetingKey\":\"buyer-7\",\"pop\":\"fra\"}");
        assertEquals(200, paid.statusCode(), paid.body());
        JsonNode offer = JSON.readTree(paid.body()).path("offer");
        assertEquals("hot-buyer", offer.path("trigger").asText(), paid.body());
        assertEquals(action.path("firedAtEpochMillis").asLong(), offer.path("firedAtEpochMillis").asLong(), paid.body());
        HttpResponse<String> asked = post("/api/v1/checkout-tokens", null, adminToken, "application/json", "{\"targetingKey\":\"buyer-8\"}");
        HttpResponse<String> backEnd = post("/ingest/v1/checkouts", null, ingestKey, "application/json",
                "{\"token\":\"" + JSON.readTree(asked.body()).path("token").asText() + "\",\"targetingKey\":\"buyer-8\"}");
        assertEquals(200, backEnd.statusCode(), backEnd.body());
        assertFalse(JSON.readTree(backEnd.body()).has("offer"), "a token the back end asked for names no offer: " + backEnd.body());
    }
}
