package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.server.http.PeerValues;
import io.edgedeck.simulator.server.http.RetainedHeap;
import io.edgedeck.simulator.server.operators.OperatorStore;
import io.edgedeck.simulator.server.playbooks.Schedule;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input a person or a peer may send by mistake or on purpose, against a real live node on
 * loopback: each is a 4xx problem naming the field at fault, never a 500, and the node goes on
 * serving. Each case was found by driving a running node with malformed requests.
 */
class HostileRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "hostile-input",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "playbooks": [{"id": "calm-down", "actions": [{"type": "kill", "flag": "offer-banner"}]}]}""";

    @TempDir
    static Path dir;
    private static EdgeNode node;
    private static HttpClient http;
    private static String admin;
    private static String ingest;
    private static String read;

    @BeforeAll
    static void start() throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir));
        admin = Files.readString(node.tokenFile()).trim();
        ingest = Files.readString(node.ingestKeyFile()).trim();
        read = Files.readString(node.readKeyFile()).trim();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        node.close();
    }

    private static HttpResponse<String> send(String method, String path, String key, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> ingest(String body) throws Exception {
        return send("POST", "/ingest/v1/events", ingest, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static HttpResponse<String> control(String method, String path, String body) throws Exception {
        return send(method, "/api/v1" + path, admin, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A 400 problem naming {@code field}, whose detail speaks of the request and not of the node's insides. */
    private static JsonNode assertInvalid(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        JsonNode problem = JSON.readTree(r.body());
        assertEquals(field, problem.path("field").asText(), r.body());
        assertClean(problem.path("detail").asText());
        return problem;
    }

    private static void assertClean(String detail) {
        for (String inside : new String[]{"Exception", "java.", "io.edgedeck", "Source:", "REDACTED", "StreamReadConstraints"}) {
            assertFalse(detail.contains(inside), "the detail names the node's insides (" + inside + "): " + detail);
        }
        assertFalse(detail.endsWith("null"), detail);
    }

    private static void assertServing() throws Exception {
        HttpResponse<String> health = send("GET", "/healthz", null, new byte[0], Map.of());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText(), health.body());
    }

    /** A request with exactly the Content-Type given, or none when it is null. */
    private static HttpResponse<String> typed(String method, String path, String key, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (contentType != null) b.header("Content-Type", contentType);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertUnsupported(HttpResponse<String> r, String sent, String expected) throws Exception {
        assertEquals(415, r.statusCode(), sent + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        JsonNode problem = JSON.readTree(r.body());
        assertEquals("Content-Type", problem.get("field").asText(), r.body());
        assertTrue(problem.get("detail").asText().contains("'" + sent + "'"), r.body());
        assertTrue(problem.get("detail").asText().contains(expected), r.body());
    }

    /** A request carrying the key headers given, each (name, value) pair one header line, in order. */
    private static HttpResponse<String> keyed(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Two keys in one request: which one the caller meant is a guess, so neither is taken. */
    @Test
    void aKeySentTwiceIsRefusedNotTheFirstOneTaken() throws Exception {
        assertTrue(assertInvalid(keyed("GET", "/api/v1/flags", "", "Authorization", "Bearer " + admin,
                "Authorization", "Bearer " + read), "Authorization").path("detail").asText().contains("sent 2 times"));
        assertInvalid(keyed("POST", "/api/v1/flags/offer-banner/kill", "{\"reason\": \"x\"}",
                "Authorization", "Bearer " + admin, "Authorization", "Bearer " + admin), "Authorization");
        String context = "{\"context\": {\"targetingKey\": \"u1\"}}";
        assertInvalid(keyed("POST", "/ofrep/v1/evaluate/flags", context, "X-API-Key", read, "X-API-Key", read), "X-API-Key");
        assertInvalid(keyed("POST", "/ofrep/v1/evaluate/flags", context, "Authorization", "Bearer " + read,
                "X-API-Key", read, "X-API-Key", "other"), "X-API-Key");
        assertInvalid(keyed("POST", "/ingest/v1/events?key=" + ingest + "&key=" + ingest, "[" + event("twice-1") + "]"), "key");
        assertInvalid(keyed("POST", "/ingest/v1/events?key=" + ingest + "&key=" + ingest, "[" + event("twice-2") + "]",
                "Authorization", "Bearer " + ingest), "key");
        // Two Idempotency-Keys name no one request to run once: a proxy's key must not make a retry run twice.
        assertTrue(assertInvalid(keyed("POST", "/api/v1/flags/offer-banner/kill", "{\"reason\": \"x\"}", "Authorization",
                "Bearer " + admin, "Idempotency-Key", "c", "Idempotency-Key", "d"), "Idempotency-Key").path("detail").asText()
                .contains("sent 2 times"));
        assertFalse(JSON.readTree(control("GET", "/flags", "").body()).get(0).path("killed").asBoolean());
        assertEquals(200, keyed("POST", "/ofrep/v1/evaluate/flags", context, "X-API-Key", read).statusCode());
        assertServing();
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12}";
    }

    @Test
    void anEventOverTheIngestLimitsIsRefusedNamingItWhereTheBatchIsAJsonArray() throws Exception {
        // A string too long refuses its event alone, named by its field: a batch of only that event is one of
        // which nothing could be read; beside a good one, the good one is taken.
        String longId = "x".repeat(70_000);
        JsonNode tooLong = assertInvalid(ingest("[" + event(longId) + "]"), "[0].id");
        assertTrue(tooLong.get("detail").asText().contains("id must be a string of at most 65536 characters, was 70000 characters"),
                tooLong.toString());
        HttpResponse<String> secondTooLong = ingest("[" + event("ok-1") + "," + event(longId) + "]");
        assertEquals(200, secondTooLong.statusCode(), secondTooLong.body());
        assertEquals(1, JSON.readTree(secondTooLong.body()).get("accepted").asInt(), secondTooLong.body());
        assertEquals("id", JSON.readTree(secondTooLong.body()).get("refused").get(0).get("field").asText(), secondTooLong.body());

        // Lists nested where an event goes are not an event, however deep; an event nested too deep is refused by its field.
        JsonNode notAnEvent = assertInvalid(ingest("[".repeat(40) + "]".repeat(40)), "[0].type");
        assertTrue(notAnEvent.get("detail").asText().endsWith("an event is a JSON object, this is a list"), notAnEvent.toString());
        JsonNode deepField = assertInvalid(ingest("[{\"id\":\"d-1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"extra\":"
                + "[".repeat(30) + "]".repeat(30) + "}]"), "[0].extra");
        assertTrue(deepField.get("detail").asText().endsWith("(id d-1): extra is nested deeper than 16 levels of objects and lists"),
                deepField.toString());

        assertInvalid(ingest("[" + event("cut-1") + ", " + event("cut-2").substring(0, 10)), "[1]");
        assertInvalid(ingest("[" + event("open-1")), "[1]");
        assertServing();
    }

    @Test
    void aLineOverTheIngestLimitsIsRefusedAloneAndTheOtherLinesCount() throws Exception {
        String deep = "{\"id\":\"nd-deep\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"extra\":"
                + "[".repeat(30) + "]".repeat(30) + "}";
        String batch = event("nd-1") + "\n" + event("x".repeat(70_000)) + "\n" + deep + "\n" + event("nd-2") + "\n";
        HttpResponse<String> r = ingest(batch);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(2, answer.get("accepted").asInt(), r.body());
        JsonNode refused = answer.get("refused");
        assertEquals(2, refused.size(), r.body());
        assertEquals(1, refused.get(0).get("index").asInt(), r.body());
        assertEquals("id", refused.get(0).get("field").asText(), r.body());
        assertEquals("must be a string of at most 65536 characters, was 70000 characters", refused.get(0).get("reason").asText(), r.body());
        assertEquals(2, refused.get(1).get("index").asInt(), r.body());
        assertTrue(refused.get(1).get("reason").asText().contains("nested deeper than 16"), r.body());
        assertServing();
    }

    /**
     * An event nested deeper than 16 levels, or holding a field name of more than 50000 characters, is refused
     * alone, named by its field, in a JSON array as in NDJSON, and the events around it are taken: the parser's
     * own limits stopped an array there and refused the whole batch. An array that breaks (a string left open)
     * still stops the reading, and the answer says that nothing of the batch was taken.
     */
    @Test
    void anEventTooDeepOrWithAFieldNameTooLongIsRefusedAloneTheOthersTaken() throws Exception {
        String longName = "n".repeat(60_000);
        Map<String, JsonNode> answers = sentInBothForms("bounds-", tag -> List.of(
                "{\"id\":\"" + tag + "-deep\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"extra\":"
                        + "[".repeat(2000) + "]".repeat(2000) + "}",
                event(tag + "-3"),
                "{\"id\":\"" + tag + "-name\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"" + longName + "\":1}"));
        answers.forEach((tag, answer) -> {
            assertEquals(3, answer.get("accepted").asInt(), tag + ": " + answer);
            JsonNode refused = answer.get("refused");
            assertEquals(2, refused.size(), tag + ": " + answer);
            assertEquals(1, refused.get(0).get("index").asInt(), answer.toString());
            assertEquals(tag + "-deep", refused.get(0).get("id").asText(), answer.toString());
            assertEquals("extra", refused.get(0).get("field").asText(), answer.toString());
            assertEquals("is nested deeper than 16 levels of objects and lists", refused.get(0).get("reason").asText(), answer.toString());
            assertEquals(3, refused.get(1).get("index").asInt(), answer.toString());
            assertEquals(tag + "-name", refused.get(1).get("id").asText(), answer.toString());
            assertEquals("n".repeat(40) + "... (60000 characters)", refused.get(1).get("field").asText(), answer.toString());
            assertEquals("is a field name longer than 50000 characters", refused.get(1).get("reason").asText(), answer.toString());
        });
        JsonNode open = assertInvalid(ingest("[" + event("open-string-1") + ", {\"id\": \"open-string-2"), "[1]");
        assertTrue(open.get("detail").asText().endsWith("; nothing of the batch was taken"), open.toString());
        assertServing();
    }

    /**
     * A field name longer than the parser reads ({@link PeerValues#PARSER_NAME_BYTES}: it keeps each name it reads for
     * the node's life) stops the reading there, as nesting past 65536 levels does, never a 500: a JSON array is refused
     * whole, naming the event, and in NDJSON that line alone.
     */
    @Test
    void aFieldNameLongerThanTheParserReadsStopsTheReadingThereSayingSo() throws Exception {
        String huge = "{\"id\":\"huge-name\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\""
                + "n".repeat(PeerValues.PARSER_NAME_BYTES + 1) + "\":1}";
        String why = "holds a field name longer than " + PeerValues.PARSER_NAME_BYTES + " bytes, past which its end is not looked for";
        JsonNode array = assertInvalid(ingest("[" + event("huge-1") + "," + huge + "]"), "[1]");
        assertEquals("event index 1 " + why + "; nothing of the batch was taken", array.get("detail").asText(), array.toString());
        HttpResponse<String> r = ingest(event("huge-lines-1") + "\n" + huge + "\n" + event("huge-lines-2") + "\n");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(2, answer.get("accepted").asInt(), r.body());
        assertEquals(1, answer.get("refused").get(0).get("index").asInt(), r.body());
        assertEquals("json", answer.get("refused").get(0).get("field").asText(), r.body());
        assertEquals("this line " + why, answer.get("refused").get(0).get("reason").asText(), r.body());
        assertServing();
    }

    /**
     * Field names an ingest-key holder sends, each unique and long, are dropped with their request: the parser keeps
     * each name it reads in its factory's table, and a factory shared by every request would keep some thousands of
     * them for the node's life (about 40 MB here).
     */
    @Test
    void fieldNamesSentAreNotKeptPastTheirRequest() {
        long grown = RetainedHeap.grownBy(i -> {
            try {
                String named = "{\"id\":\"names-" + i + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\""
                        + RetainedHeap.uniqueName("ingest", i) + "\":1}";
                HttpResponse<String> r = ingest(i % 2 == 0 ? "[" + named + "]" : named + "\n");
                assertTrue(r.statusCode() == 200 || r.statusCode() == 400, r.statusCode() + " " + r.body());
                return r;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(grown < RetainedHeap.MARGIN_BYTES, "the heap kept " + grown + " bytes more after "
                + RetainedHeap.REQUESTS + " batches each naming a field of " + RetainedHeap.NAME_CHARS + " characters");
    }

    /**
     * A field the node does not read, refused for what it holds, is named as a value is repeated: by the first 40
     * characters of its name and its size, in the 200's refusal as in the problem of a batch of no other event.
     */
    @Test
    void aLongFieldNameHoldingTooDeepAValueIsNamedByItsStartAndItsSize() throws Exception {
        String name = "k".repeat(45_000);
        String shown = "k".repeat(40) + "... (45000 characters)";
        Function<String, String> deep = id -> "{\"id\":\"" + id + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"" + name + "\":"
                + "[".repeat(17) + "]".repeat(17) + "}";
        sentInBothForms("long-deep-", tag -> List.of(deep.apply(tag + "-deep"))).forEach((tag, answer) -> {
            assertEquals(2, answer.get("accepted").asInt(), tag + ": " + answer);
            assertEquals(shown, answer.get("refused").get(0).get("field").asText(), answer.toString());
            assertEquals("is nested deeper than 16 levels of objects and lists", answer.get("refused").get(0).get("reason").asText(),
                    answer.toString());
        });
        JsonNode alone = assertInvalid(ingest("[" + deep.apply("long-deep-alone") + "]"), "[0]." + shown);
        assertTrue(alone.get("detail").asText().endsWith("(id long-deep-alone): " + shown
                + " is nested deeper than 16 levels of objects and lists"), alone.toString());
    }

    /** An event may nest as deep in a JSON array as in NDJSON: the array's own level is not the event's. */
    @Test
    void anEventNestsAsDeepInAJsonArrayAsInNdjson() throws Exception {
        Function<String, String> nested = id -> {
            int levels = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
            return "{\"id\":\"" + id + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"extra\":" + "[".repeat(levels)
                    + "]".repeat(levels) + "}";
        };
        sentInBothForms("depth-", tag -> List.of(nested.apply(tag + "-15"), nested.apply(tag + "-16"))).forEach((tag, answer) -> {
            // The event's own object is its first level: 15 lists in it are 16 levels, 16 lists are 17.
            assertEquals(3, answer.get("accepted").asInt(), tag + ": " + answer);
            JsonNode refused = answer.get("refused");
            assertEquals(1, refused.size(), tag + ": " + answer);
            assertEquals(tag + "-16", refused.get(0).get("id").asText(), answer.toString());
            assertEquals("extra", refused.get(0).get("field").asText(), answer.toString());
            assertEquals("is nested deeper than 16 levels of objects and lists", refused.get(0).get("reason").asText(), answer.toString());
        });
    }

    /**
     * {@code event(tag-1)}, the events {@code middle} makes for the tag, {@code event(tag-2)}: sent as a JSON array
     * (tag {@code prefix + "array"}) and as NDJSON ({@code prefix + "lines"}), each answered 200; the answers by tag.
     */
    private static Map<String, JsonNode> sentInBothForms(String prefix, Function<String, List<String>> middle) throws Exception {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        for (String[] form : new String[][]{{"[", ",", "]"}, {"", "\n", "\n"}}) {
            String tag = prefix + (form[0].isEmpty() ? "lines" : "array");
            List<String> events = new ArrayList<>(List.of(event(tag + "-1")));
            events.addAll(middle.apply(tag));
            events.add(event(tag + "-2"));
            HttpResponse<String> r = ingest(form[0] + String.join(form[1], events) + form[2]);
            assertEquals(200, r.statusCode(), r.body());
            answers.put(tag, JSON.readTree(r.body()));
        }
        return answers;
    }

    /**
     * A number of more than 64 digits refuses its event alone, in an array as in NDJSON: named by its field,
     * its first 40 characters repeated, the events around it taken. One in a field the node does not read is
     * skipped with the field. One in a field that takes a string is told so, the number cut to its first 40 characters.
     */
    @Test
    void aNumberOfMoreThan64DigitsRefusesItsEventAloneNamingItsField() throws Exception {
        String digits = "1234567890".repeat(7);
        String reason = "must be a number of at most 64 digits, was " + digits.substring(0, 40) + "... (70 digits)";
        sentInBothForms("", tag -> List.of(
                "{\"id\":\"" + tag + "-long\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":" + digits + "}",
                "{\"id\":\"" + tag + "-long-at\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"at\":-0.0" + digits + "e5}",
                "{\"id\":\"" + tag + "-extra\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"trace\":" + digits + "}",
                "{\"id\":\"" + tag + "-long-key\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"targetingKey\":" + digits + "}"))
                .forEach((tag, answer) -> {
                    assertEquals(3, answer.get("accepted").asInt(), answer.toString());
                    JsonNode refused = answer.get("refused");
                    assertEquals(3, refused.size(), answer.toString());
                    assertEquals(1, refused.get(0).get("index").asInt(), answer.toString());
                    assertEquals(tag + "-long", refused.get(0).get("id").asText(), answer.toString());
                    assertEquals("ms", refused.get(0).get("field").asText(), answer.toString());
                    assertEquals(reason, refused.get(0).get("reason").asText(), answer.toString());
                    assertEquals(2, refused.get(1).get("index").asInt(), answer.toString());
                    assertEquals("at", refused.get(1).get("field").asText(), answer.toString());
                    assertEquals("must be a number of at most 64 digits, was -0.0" + digits.substring(0, 36) + "... (73 digits)",
                            refused.get(1).get("reason").asText(), answer.toString());
                    assertEquals(4, refused.get(2).get("index").asInt(), answer.toString());
                    assertEquals("targetingKey", refused.get(2).get("field").asText(), answer.toString());
                    assertEquals("must be a string, was " + digits.substring(0, 40) + "... (" + digits.length() + " characters)",
                            refused.get(2).get("reason").asText(), answer.toString());
                });
        assertServing();
    }

    /**
     * A string of over 64 KiB in a field the node reads refuses its event alone, in an array as in NDJSON, named
     * by its field and its length; the events around it are taken (in an array the whole batch was refused).
     * One in a field the node does not read is skipped with the field.
     */
    @Test
    void aStringOfOver64KiBRefusesItsEventAloneNamingItsField() throws Exception {
        String big = "x".repeat(70 * 1024);
        sentInBothForms("big-", tag -> List.of(
                "{\"id\":\"" + tag + "-long\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"source\":\"" + big + "\"}",
                "{\"id\":\"" + tag + "-extra\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"trace\":\"" + big + "\"}"))
                .forEach((tag, answer) -> {
                    assertEquals(3, answer.get("accepted").asInt(), answer.toString());
                    JsonNode refused = answer.get("refused");
                    assertEquals(1, refused.size(), answer.toString());
                    assertEquals(1, refused.get(0).get("index").asInt(), answer.toString());
                    assertEquals("source", refused.get(0).get("field").asText(), answer.toString());
                    assertEquals("must be a string of at most 65536 characters, was 71680 characters",
                            refused.get(0).get("reason").asText(), answer.toString());
                });
        assertServing();
    }

    @Test
    void aGzipBodyCutShortSaysSo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(("[" + event("gz-1") + "]").getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = out.toByteArray();
        HttpResponse<String> cut = send("POST", "/ingest/v1/events", ingest, Arrays.copyOf(whole, whole.length - 8),
                Map.of("Content-Encoding", "gzip"));
        JsonNode problem = assertInvalid(cut, "body");
        assertTrue(problem.get("detail").asText().contains("ends early"), problem.toString());
    }

    @Test
    void aNullInAListIsRefusedNamingItsPlace() throws Exception {
        long version = JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong();
        assertInvalid(control("PATCH", "/flags/offer-banner", "{\"expectedVersion\":" + version
                + ",\"variants\":[null,{\"name\":\"treatment\",\"weight\":10000}],\"reason\":\"r\"}"), "variants[0]");
        assertInvalid(control("POST", "/playbooks", "{\"id\":\"nulls\",\"reason\":\"r\",\"actions\":[{\"type\":\"rollback\","
                + "\"flag\":\"offer-banner\",\"variant\":\"treatment\",\"pops\":[\"fra\",null]}]}"), "actions[0].pops[1]");
        assertInvalid(control("POST", "/playbooks", "{\"id\":\"nulls\",\"reason\":\"r\",\"actions\":[null]}"), "actions[0]");
        assertEquals(version, JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong(),
                "nothing changed");
        assertEquals(404, control("GET", "/playbooks/nulls", "").statusCode(), "nothing was made");
    }

    @Test
    void aTimeBeyondTheNodesClockIsRefusedNamingAt() throws Exception {
        for (String at : new String[]{"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z"}) {
            assertInvalid(control("POST", "/schedule", "{\"at\":\"" + at + "\",\"playbook\":\"calm-down\",\"reason\":\"r\"}"), "at");
        }
        assertEquals("[]", control("GET", "/schedule", "").body(), "nothing was scheduled");
        assertServing();
    }

    /**
     * A body sent as something other than what its lane reads (what {@code curl -d} sends unless told:
     * a form) is a 415 naming the type expected, and nothing of it is taken; JSON with a charset, a
     * +json type and no type at all are read; the ingest lane takes NDJSON and a beacon's text/plain too.
     */
    @Test
    void aBodySentAsAnotherTypeIsRefusedNamingTheTypeTheLaneReads() throws Exception {
        String[] wrong = {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/xml"};
        long version = JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong();
        String change = "{\"expectedVersion\":" + version + ",\"variants\":[{\"name\":\"control\",\"weight\":3000},"
                + "{\"name\":\"treatment\",\"weight\":7000}],\"reason\":\"r\"}";
        for (String type : wrong) {
            assertUnsupported(typed("PATCH", "/api/v1/flags/offer-banner", admin, change, type), type, "application/json");
            assertUnsupported(typed("POST", "/ofrep/v1/evaluate/flags/offer-banner", read, "{\"context\":{\"targetingKey\":\"v-1\"}}",
                    type), type, "application/json");
        }
        assertEquals(version, JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong(), "nothing changed");
        for (String type : new String[]{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"}) {
            assertUnsupported(typed("POST", "/ingest/v1/events", ingest, "[" + event("typed-1") + "]", type), type,
                    "application/x-ndjson or text/plain");
        }
        for (String type : new String[]{"application/json; charset=utf-8", "Application/JSON", "application/vnd.example+json", null}) {
            HttpResponse<String> r = typed("POST", "/ofrep/v1/evaluate/flags/offer-banner", read, "{\"context\":{\"targetingKey\":\"v-1\"}}", type);
            assertEquals(200, r.statusCode(), type + ": " + r.body());
        }
        // No body, no check: the request is answered for what it lacks.
        HttpResponse<String> bodyless = typed("POST", "/api/v1/checkout-tokens", admin, "", "text/plain");
        assertEquals(400, bodyless.statusCode(), bodyless.body());
        assertEquals("body", JSON.readTree(bodyless.body()).get("field").asText(), bodyless.body());
        String[] ingestTypes = {"application/json", "application/x-ndjson", "text/plain;charset=UTF-8", null};
        for (int i = 0; i < ingestTypes.length; i++) {
            // typed-1 was refused above, not remembered: taken now as a first
            HttpResponse<String> r = typed("POST", "/ingest/v1/events", ingest, event("typed-" + (i + 1)), ingestTypes[i]);
            assertEquals(200, r.statusCode(), ingestTypes[i] + ": " + r.body());
            assertEquals(1, JSON.readTree(r.body()).get("accepted").asInt(), ingestTypes[i] + ": " + r.body());
        }
        assertServing();
    }

    /** A body said to be in a charset other than UTF-8 would be read as other text than meant: a 415 naming the charset. */
    @Test
    void aCharsetOtherThanUtf8IsRefusedNamingIt() throws Exception {
        long version = JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong();
        String change = "{\"expectedVersion\":" + version + ",\"reason\":\"caf\u00e9\"}";
        for (String type : new String[]{"application/json; charset=latin1", "application/json;charset=\"ISO-8859-1\"",
                "application/json; charset=utf-16"}) {
            assertUnsupported(typed("PATCH", "/api/v1/flags/offer-banner", admin, change, type), type, "reads UTF-8 only");
            assertUnsupported(typed("POST", "/ofrep/v1/evaluate/flags/offer-banner", read, "{\"context\":{\"targetingKey\":\"v-1\"}}",
                    type), type, "UTF-8");
        }
        assertUnsupported(typed("POST", "/ingest/v1/events", ingest, event("latin-1"), "text/plain; charset=windows-1252"),
                "text/plain; charset=windows-1252", "in charset 'windows-1252'");
        assertEquals(version, JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong(), "nothing changed");
        for (String type : new String[]{"application/json; charset=UTF-8", "application/json; charset=\"utf-8\"", "application/json;charset=utf8"}) {
            HttpResponse<String> r = typed("POST", "/ofrep/v1/evaluate/flags/offer-banner", read, "{\"context\":{\"targetingKey\":\"v-1\"}}", type);
            assertEquals(200, r.statusCode(), type + ": " + r.body());
        }
    }

    /** A time years or weeks ahead is almost surely a typo (the year, the month): refused naming at; within a week it is taken. */
    @Test
    void aTimeBeyondTheSchedulingHorizonIsRefusedNamingAt() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        for (java.time.Instant at : new java.time.Instant[]{now.plus(Duration.ofDays(2 * 365)), now.plus(Duration.ofDays(31)),
                now.plus(Schedule.HORIZON).plusSeconds(60)}) {
            JsonNode problem = assertInvalid(control("POST", "/schedule", "{\"at\":\"" + at
                    + "\",\"action\":{\"type\":\"kill\",\"flag\":\"offer-banner\"},\"reason\":\"the offer ends\"}"), "at");
            assertTrue(problem.get("detail").asText().contains("more than 7 days ahead"), problem.toString());
        }
        assertEquals("[]", control("GET", "/schedule", "").body(), "nothing was scheduled");
        HttpResponse<String> within = control("POST", "/schedule", "{\"at\":\"" + now.plus(Duration.ofDays(6))
                + "\",\"action\":{\"type\":\"kill\",\"flag\":\"offer-banner\"},\"reason\":\"the offer ends\"}");
        assertEquals(201, within.statusCode(), within.body());
        String id = JSON.readTree(within.body()).get("id").asText();
        assertEquals(200, control("POST", "/schedule/" + id + "/cancel", "{\"reason\":\"only a test\"}").statusCode());
    }

    @Test
    void aLanesOwnKeySentWhereTheLaneDoesNotReadItIsToldWhereItGoes() throws Exception {
        byte[] event = ("[" + event("k-1") + "]").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> apiKeyHeader = send("POST", "/ingest/v1/events", null, event, Map.of("X-API-Key", ingest));
        assertEquals(401, apiKeyHeader.statusCode(), apiKeyHeader.body());
        assertTrue(JSON.readTree(apiKeyHeader.body()).get("detail").asText().contains("Authorization: Bearer"), apiKeyHeader.body());
        HttpResponse<String> adminAsApiKey = send("GET", "/api/v1/flags", null, new byte[0], Map.of("X-API-Key", admin));
        assertEquals(401, adminAsApiKey.statusCode(), adminAsApiKey.body());
        assertEquals(401, send("GET", "/api/v1/flags?key=" + admin, null, new byte[0], Map.of()).statusCode());
        HttpResponse<String> readAsApiKey = send("GET", "/api/v1/sources", null, new byte[0], Map.of("X-API-Key", read));
        assertEquals(401, readAsApiKey.statusCode(), readAsApiKey.body());

        // Another lane's key is still told it does not open this one, wherever it is sent.
        assertEquals(403, send("POST", "/ingest/v1/events", null, event, Map.of("X-API-Key", read)).statusCode());
        assertEquals(403, send("POST", "/ingest/v1/events?key=" + admin, null, event, Map.of()).statusCode());
        assertEquals(403, send("GET", "/api/v1/flags", null, new byte[0], Map.of("X-API-Key", ingest)).statusCode());
        assertEquals(403, send("GET", "/api/v1/flags", read, new byte[0], Map.of()).statusCode());
        assertEquals(200, send("POST", "/ingest/v1/events?key=" + ingest, null, event, Map.of()).statusCode());
        assertEquals(200, send("GET", "/api/v1/sources", read, new byte[0], Map.of()).statusCode());
    }

    @Test
    void aReasonThatWouldForgeAnAuditOrLogLineIsRefusedAndChangesNothing() throws Exception {
        long audited = auditedByRequests();
        boolean killed = JSON.readTree(control("GET", "/flags", "").body()).get(0).get("killed").asBoolean();
        JsonNode refused = assertInvalid(control("POST", "/flags/offer-banner/kill",
                "{\"reason\":\"storm\\n2026-12-04T20:00:00Z admin unkill offer-banner\"}"), "reason");
        assertTrue(refused.get("detail").asText().contains("U+000A"), refused.toString());
        assertInvalid(control("POST", "/flags/offer-banner/kill", "{\"reason\":\"\\u001b[31mall clear\"}"), "reason");
        assertEquals(killed, JSON.readTree(control("GET", "/flags", "").body()).get(0).get("killed").asBoolean(), "nothing changed");
        assertEquals(audited, auditedByRequests(), "nothing was audited");
    }

    /**
     * The audit's entries but those the node writes of itself when {@code operators.json} changes: another test of
     * this class adds operators, and the node notices that between ticks, at a moment of its own.
     */
    private long auditedByRequests() throws Exception {
        long n = 0;
        for (JsonNode entry : JSON.readTree(control("GET", "/audit", "").body())) {
            if (!entry.get("action").asText().startsWith("operator.")) n++;
        }
        return n;
    }

    @Test
    void aPersonsOwnTokenIsKnownOnTheKeyLanesAndToldSo403UnlessRevoked() throws Exception {
        Path tokens = Files.createTempDirectory(dir, "tokens");
        OperatorStore people = new OperatorStore(node.dataDir(), Clock.systemUTC());
        people.add("erin", Role.OPERATOR, tokens.resolve("erin.token"));
        String erin = Files.readString(tokens.resolve("erin.token")).trim();
        byte[] event = ("[" + event("p-1") + "]").getBytes(StandardCharsets.UTF_8);
        assertEquals(200, send("GET", "/api/v1/flags", erin, new byte[0], Map.of()).statusCode(), "her token opens the control API");
        for (HttpResponse<String> elsewhere : new HttpResponse[] {
                send("GET", "/metrics", erin, new byte[0], Map.of()),
                send("POST", "/ofrep/v1/evaluate/flags/offer-banner", erin, "{\"context\":{\"targetingKey\":\"u\"}}".getBytes(StandardCharsets.UTF_8), Map.of()),
                send("POST", "/ingest/v1/events", erin, event, Map.of())}) {
            assertEquals(403, elsewhere.statusCode(), elsewhere.uri() + ": " + elsewhere.body());
            assertTrue(JSON.readTree(elsewhere.body()).get("detail").asText().contains("persons' own tokens open /api/v1"), elsewhere.body());
        }
        people.revoke("erin");
        assertEquals(401, send("GET", "/metrics", erin, new byte[0], Map.of()).statusCode(), "a revoked token is no one's");
        assertEquals(401, send("GET", "/metrics", "not-a-token", new byte[0], Map.of()).statusCode());
    }

    @Test
    void aScopeNamingATenantTheShowDoesNotHaveIsRefusedNamingIt() throws Exception {
        long version = JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong();
        JsonNode unknown = assertInvalid(control("PATCH", "/flags/offer-banner", "{\"expectedVersion\":" + version
                + ",\"scope\":\"tenant:mian\",\"reason\":\"r\"}"), "scope");
        assertTrue(unknown.get("detail").asText().contains("did you mean 'main'"), unknown.toString());
        HttpResponse<String> playbook = control("POST", "/playbooks", "{\"id\":\"kids-only\",\"reason\":\"r\",\"actions\":"
                + "[{\"type\":\"change\",\"flag\":\"offer-banner\",\"scope\":\"tenant:kids\"}]}");
        assertEquals(400, playbook.statusCode(), playbook.body());
        assertTrue(JSON.readTree(playbook.body()).get("field").asText().equals("actions[0].scope"), playbook.body());
        assertEquals(version, JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong(),
                "nothing changed");

        HttpResponse<String> known = control("PATCH", "/flags/offer-banner", "{\"expectedVersion\":" + version
                + ",\"scope\":\"tenant:main\",\"reason\":\"r\"}");
        assertEquals(200, known.statusCode(), known.body());
        assertEquals("tenant:main", JSON.readTree(known.body()).get("scope").asText(), known.body());
        assertEquals(200, control("PATCH", "/flags/offer-banner", "{\"expectedVersion\":" + (version + 1)
                + ",\"scope\":\"global\",\"reason\":\"back\"}").statusCode());
    }

    @Test
    void aFieldSentTwiceIsRefusedNamingItOnEveryLaneAndNothingChanges() throws Exception {
        long version = JSON.readTree(control("GET", "/flags", "").body()).get(0).get("version").asLong();
        int audited = JSON.readTree(control("GET", "/audit", "").body()).size();
        JsonNode reason = assertInvalid(control("POST", "/flags/offer-banner/kill", "{\"reason\":\"a\",\"reason\":\"b\"}"), "reason");
        assertTrue(reason.get("detail").asText().contains("sent twice"), reason.toString());
        assertInvalid(control("PATCH", "/flags/offer-banner", "{\"expectedVersion\":" + version + ",\"reason\":\"r\","
                + "\"variants\":[{\"name\":\"control\",\"weight\":5000},{\"name\":\"treatment\",\"weight\":1,\"weight\":5000}]}"),
                "variants[1].weight");
        JsonNode flag = JSON.readTree(control("GET", "/flags", "").body()).get(0);
        assertEquals(version, flag.get("version").asLong(), "nothing changed");
        assertFalse(flag.get("killed").asBoolean(), flag.toString());
        assertEquals(audited, JSON.readTree(control("GET", "/audit", "").body()).size(), "nothing audited");

        HttpResponse<String> ofrep = send("POST", "/ofrep/v1/evaluate/flags/offer-banner", read,
                "{\"context\":{\"targetingKey\":\"u1\",\"targetingKey\":\"u2\"}}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, ofrep.statusCode(), ofrep.body());
        JsonNode ofrepError = JSON.readTree(ofrep.body());
        assertEquals("INVALID_CONTEXT", ofrepError.get("errorCode").asText(), ofrep.body());
        assertTrue(ofrepError.get("errorDetails").asText().contains("context.targetingKey"), ofrep.body());

        HttpResponse<String> batch = ingest("[" + event("twice-1") + ",{\"id\":\"twice-2\",\"type\":\"latency\",\"pop\":\"fra\","
                + "\"ms\":12,\"ms\":900}]");
        assertEquals(200, batch.statusCode(), batch.body());
        JsonNode answer = JSON.readTree(batch.body());
        assertEquals(1, answer.get("accepted").asInt(), batch.body());
        assertEquals(1, answer.get("refused").size(), batch.body());
        assertEquals("ms", answer.get("refused").get(0).get("field").asText(), batch.body());
        assertEquals("twice-2", answer.get("refused").get(0).get("id").asText(), batch.body());
        assertServing();
    }
}
