package io.edgedeck.simulator.server;

import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.server.http.HttpLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document kept in edge-client against a running node: every documented operation
 * exists, every documented error status comes from the bad request that should cause it, and
 * every 200 JSON answer has the documented required properties.
 *
 * <p>Over 350 lines, on purpose: one contract, walked operation by operation against one node.
 */
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");

    @TempDir
    static Path dataDir;
    static LiveNode live;
    static JsonNode doc;
    /** A viewer's token: reads, and a 403 for every change. */
    static String viewer;
    /** An operator whose risky changes become requests for the admin token to approve. */
    static String requester;

    @BeforeAll
    static void start() throws Exception {
        // Approval lanes, so the change requests' operations have requests to act on.
        live = ApprovalLanesTest.withLanes(dataDir, new Approvals(60.0, false, false, null));
        viewer = live.addOperator("vera", Role.VIEWER);
        requester = live.addOperator("rita", Role.OPERATOR);
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/io/edgedeck/client/openapi.json")) {
            assertNotNull(in, "the OpenAPI document is on the class path");
            doc = JSON.readTree(in);
        }
        LiveNode.await("a first frame", () -> live.node.latestFrame() != null);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    /** One documented operation. */
    private record Operation(String path, String method, JsonNode spec) {
        String label() {
            return method.toUpperCase() + " " + path;
        }

        /** False for an operation the document opens to anyone ({@code security: []}). */
        boolean secured() {
            return !(spec.has("security") && spec.get("security").isEmpty());
        }

        /** True for an operation opened by the read key alone (OFREP, /metrics), not by a bearer token of the control API. */
        boolean readKeyOnly() {
            if (!spec.has("security")) {
                return false;
            }
            for (JsonNode scheme : spec.get("security")) {
                if (scheme.has("bearer")) {
                    return false;
                }
            }
            return secured();
        }

        /** The path with each parameter replaced by its documented example, or by {@code value}. */
        String concrete(String value) {
            String out = path;
            for (JsonNode p : spec.path("parameters")) {
                if (p.get("in").asText().equals("path")) {
                    out = out.replace("{" + p.get("name").asText() + "}", value != null ? value : p.get("example").asText());
                }
            }
            return out;
        }

        List<JsonNode> queryParameters() {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode p : spec.path("parameters")) {
                if (p.get("in").asText().equals("query")) {
                    out.add(p);
                }
            }
            return out;
        }

        String example() {
            JsonNode e = spec.path("requestBody").path("content").path("application/json").path("example");
            return e.isMissingNode() ? null : e.toString();
        }
    }

    private static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String m : METHODS) {
                // A live node's own operations are checked on a live node: PrivacyNodeTest, CheckoutTokenNodeTest.
                if (path.getValue().has(m) && !path.getValue().get(m).path("x-edgedeck-live-only").asBoolean()) {
                    ops.add(new Operation(path.getKey(), m, path.getValue().get(m)));
                }
            }
        }
        return ops;
    }

    private static HttpResponse<String> send(Operation op, String path, String body, boolean token, Map<String, String> headers)
            throws Exception {
        return send(op, path, body, token ? credential(op) : null, headers);
    }

    /** The key a valid call sends: the read key where only it opens the operation, else the admin token. */
    private static String credential(Operation op) throws Exception {
        return op.readKeyOnly() ? live.readKey() : live.token;
    }

    /** @param bearer the token to send, or null for none */
    private static HttpResponse<String> send(Operation op, String path, String body, String bearer, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(live.base() + path)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        if (op.path().endsWith("/stream")) {
            // the stream never ends: read the status and headers, then hang up
            HttpResponse<InputStream> r = live.raw.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            String text = r.statusCode() == 200 ? "" : new String(r.body().readAllBytes());
            r.body().close();
            return new Answered(r, text);
        }
        b.method(op.method().toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return live.raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(Operation op, String path, String body) throws Exception {
        return send(op, path, body, op.secured(), Map.of());
    }

    /** The body a valid call sends, adjusted where the node's state decides what is valid. */
    private static String validBody(Operation op) throws Exception {
        String example = op.example();
        if (op.label().equals("POST /api/v1/playbooks") && live.send("GET", "/playbooks/stop-the-bleed", null).statusCode() == 200
                || op.label().equals("POST /api/v1/schedule")) {
            // made once: the example's id (or cue) is taken after its first use, so each later use gets one of its own
            examplePlaybook();
            ObjectNode fresh = (ObjectNode) JSON.readTree(example);
            fresh.put(fresh.has("cue") ? "cue" : "id", fresh.path("cue").asText(fresh.path("id").asText()) + "-" + ++encores);
            return fresh.toString();
        }
        if (op.path().equals("/api/v1/flags/{key}") && op.method().equals("patch") || op.path().equals("/api/v1/flags/{key}/restore")
                || op.path().equals("/api/v1/requests/{id}") && op.method().equals("patch")) {
            ObjectNode change = (ObjectNode) JSON.readTree(example);
            JsonNode flags = JSON.readTree(live.send("GET", "/flags", null).body());
            change.put("expectedVersion", flags.get(0).get("version").asLong());
            return change.toString();
        }
        return example;
    }

    /**
     * The path a valid call goes to: the documented example, except that a change request's
     * operations get a request of their own in the state they act on (approved for an apply, else
     * pending), opened by another person so the admin token may approve it, or by the admin token
     * itself for an edit (only the requester edits).
     */
    private static String concrete(Operation op) throws Exception {
        if (op.path().equals("/api/v1/schedule/{id}/cancel") || op.path().equals("/api/v1/schedule/{id}/retry")) {
            return op.concrete(Long.toString(scheduled()));
        }
        if (op.path().equals("/api/v1/playbooks/{id}/retire")) {
            // one of its own: the example playbook is still to be run and scheduled by other operations
            return op.concrete(freshPlaybook());
        }
        if (!op.path().startsWith("/api/v1/requests/{id}")) {
            return op.concrete(null);
        }
        if (op.method().equals("patch")) {
            return op.concrete(Long.toString(request("pending", live.token)));
        }
        return op.concrete(Long.toString(request(op.path().endsWith("/apply") ? "approved" : "pending")));
    }

    private static int encores;

    /** A new pending scheduled change, on a cue of its own: a kill of the flag at the encore. */
    private static long scheduled() throws Exception {
        HttpResponse<String> made = live.send("POST", "/schedule", "{\"cue\": \"encore-" + ++encores + "\", \"action\": {\"type\": \"kill\","
                + " \"flag\": \"checkout-button\"}, \"reason\": \"end of the show\"}");
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body()).get("id").asLong();
    }

    /** A new ready playbook (a kill: not risky), to be retired. */
    private static String freshPlaybook() throws Exception {
        String id = "retire-" + ++encores;
        HttpResponse<String> made = live.send("POST", "/playbooks", "{\"id\": \"" + id + "\", \"actions\": [{\"type\": \"kill\","
                + " \"flag\": \"checkout-button\"}], \"reason\": \"made to be retired\"}");
        assertEquals(201, made.statusCode(), made.body());
        return id;
    }

    /** The example playbook, made if it is not yet (the tests' order is not fixed). */
    private static void examplePlaybook() throws Exception {
        if (live.send("GET", "/playbooks/stop-the-bleed", null).statusCode() == 404) {
            Operation create = operations().stream().filter(o -> o.label().equals("POST /api/v1/playbooks")).findFirst().orElseThrow();
            assertEquals(201, live.send("POST", "/playbooks", create.example()).statusCode());
        }
    }

    private static long request(String state) throws Exception {
        return request(state, requester);
    }

    /** A new request of {@code opener}'s, in {@code state}: pending, approved (by the admin token, so not its own) or applied. */
    private static long request(String state, String opener) throws Exception {
        JsonNode flag = JSON.readTree(live.send("GET", "/flags", null).body()).get(0);
        long version = flag.get("version").asLong();
        // risky: the treatment rises above the lanes' 60%, and above where it is (applied requests raise it)
        int treatment = Math.max(7000, flag.get("variants").get(1).get("weight").asInt() + 1);
        HttpResponse<String> held = live.send("PATCH", "/flags/checkout-button", "{\"expectedVersion\": " + version
                + ", \"variants\": [{\"name\": \"control\", \"weight\": " + (10_000 - treatment)
                + "}, {\"name\": \"treatment\", \"weight\": " + treatment + "}],"
                + " \"reason\": \"ramp\"}", opener);
        assertEquals(202, held.statusCode(), held.body());
        long id = JSON.readTree(held.body()).get("id").asLong();
        if (!state.equals("pending")) {
            assertEquals(200, live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"ok\", \"revision\": 1}").statusCode());
        }
        if (state.equals("applied")) {
            assertEquals(200, live.send("POST", "/requests/" + id + "/apply", "{}").statusCode());
        }
        return id;
    }

    @Test
    void everyDocumentedOperationAnswersWithItsDocumentedSuccess() throws Exception {
        List<Operation> ops = operations();
        assertTrue(ops.size() >= 17, "the document lists the API: " + ops.size());
        for (Operation op : ops) {
            if (op.spec().path("x-edgedeck-fleet-only").asBoolean()) {
                // Only a fleet node's change can wait on Kafka: its success is checked on a fleet (FleetCueRetryKafkaTest);
                // here its errors are (a change of this node's is never one to retry: 409).
                continue;
            }
            HttpResponse<String> r = send(op, concrete(op), validBody(op));
            int status = r.statusCode();
            assertFalse(status == 404 || status == 405, op.label() + " answered " + status + ": " + r.body());
            assertTrue(op.spec().get("responses").has(Integer.toString(status)), op.label() + " answered an undocumented " + status + ": " + r.body());
            assertTrue(status < 300, op.label() + " with its documented example failed: " + status + " " + r.body());
            JsonNode content = op.spec().get("responses").get(Integer.toString(status)).path("content");
            if (status == 200 && content.has("application/json")) {
                JsonNode schema = content.get("application/json").get("schema");
                assertShape(op.label(), JSON.readTree(r.body()), schema);
            }
            if (status == 200 && content.has("text/event-stream")) {
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), op.label());
            }
        }
    }

    @Test
    void everyDocumentedErrorComesFromTheBadRequestThatShouldCauseIt() throws Exception {
        int checked = 0;
        for (Operation op : operations()) {
            for (Iterator<String> codes = op.spec().get("responses").fieldNames(); codes.hasNext(); ) {
                String code = codes.next();
                JsonNode documented = op.spec().get("responses").get(code);
                if (code.startsWith("2") || documented.path("x-edgedeck-live-only").asBoolean()) {
                    continue;
                }
                HttpResponse<String> r = provoke(op, code);
                assertEquals(Integer.parseInt(code), r.statusCode(), op.label() + " should answer " + code + ": " + r.body());
                checked++;
                if (!documented.has("content")) {
                    continue;
                }
                // problem+json, or a protocol's own error shape where it has one (OFREP)
                String type = documented.get("content").fieldNames().next();
                assertEquals(type, r.headers().firstValue("Content-Type").orElse(""), op.label() + " " + code);
                assertShape(op.label() + " " + code, JSON.readTree(r.body()), documented.get("content").get(type).get("schema"));
            }
        }
        assertTrue(checked >= 40, "error answers checked: " + checked);
    }

    private static HttpResponse<String> provoke(Operation op, String code) throws Exception {
        String path = concrete(op);
        String body = validBody(op);
        if (op.path().startsWith("/api/v1/playbooks") || op.path().startsWith("/api/v1/schedule")) {
            examplePlaybook();
            HttpResponse<String> r = provokePlaybook(op, code, path, body);
            if (r != null) {
                return r;
            }
        }
        return switch (code) {
            case "401" -> send(op, path, body, false, Map.of());
            case "304" -> {
                String etag = send(op, path, body).headers().firstValue("ETag").orElseThrow(() -> new AssertionError(op.label()
                        + " documents 304 but gave no ETag"));
                yield send(op, path, body, true, Map.of("If-None-Match", etag));
            }
            case "403" -> send(op, path, body, viewer, Map.of());
            case "400" -> op.path().endsWith("/stream")
                    ? send(op, path, null, true, Map.of("Last-Event-ID", "yesterday"))
                    : op.queryParameters().isEmpty()
                    ? send(op, path, "{\"operator\": \"maya\", \"reason\": ")
                    : send(op, path + "?" + op.queryParameters().getFirst().get("name").asText() + "=yesterday", body);
            case "404" -> {
                if (op.path().contains("{")) {
                    yield send(op, op.concrete("no-such-thing"), body);
                }
                ObjectNode o = (ObjectNode) JSON.readTree(body);
                if (o.has("flag")) {
                    o.put("flag", "no-such-flag");
                } else {
                    o.putArray("pops").add("nowhere");
                }
                yield send(op, path, o.toString());
            }
            case "409" -> {
                if (op.path().startsWith("/api/v1/requests/{id}/")) {
                    // approving an approved request, rejecting an applied one, applying a pending one
                    String wrong = op.path().endsWith("/approve") ? "approved" : op.path().endsWith("/reject") ? "applied" : "pending";
                    yield send(op, op.concrete(Long.toString(request(wrong))), body);
                }
                ObjectNode o = (ObjectNode) JSON.readTree(body);
                o.put("expectedVersion", o.get("expectedVersion").asLong() - 1);
                yield send(op, path, o.toString());
            }
            case "415" -> send(op, path, body, true, Map.of("Content-Type", "application/x-www-form-urlencoded"));
            case "413" -> send(op, path, "{\"operator\": \"maya\", \"reason\": \"" + "x".repeat(HttpLimits.DEFAULT_MAX_BODY_BYTES) + "\"}");
            case "422" -> {
                String key = UUID.randomUUID().toString();
                String first = body == null ? "{}" : body;
                send(op, path, first, true, Map.of("Idempotency-Key", key, "Content-Type", "application/json"));
                yield send(op, path, first.replaceFirst("\\{", "{\"x\": 1, "), true, Map.of("Idempotency-Key", key));
            }
            default -> throw new AssertionError(op.label() + " documents " + code + ", which this test cannot provoke: document only what the node does");
        };
    }

    /** The errors of playbooks and the schedule that need a state of their own; null for the common ones. */
    private static HttpResponse<String> provokePlaybook(Operation op, String code, String path, String body) throws Exception {
        switch (op.label() + " " + code) {
            case "POST /api/v1/playbooks 404" -> {
                ObjectNode o = (ObjectNode) JSON.readTree(body);
                ((ObjectNode) o.get("actions").get(0)).put("flag", "no-such-flag");
                o.put("id", "unknown-flag");
                return send(op, path, o.toString());
            }
            case "POST /api/v1/playbooks 409", "POST /api/v1/schedule 409" -> {
                send(op, path, body);
                return send(op, path, body);
            }
            case "POST /api/v1/playbooks/{id}/retire 409" -> {
                // retired once already
                send(op, path, body);
                return send(op, path, body);
            }
            case "POST /api/v1/playbooks/{id}/run 409" -> {
                // risky by the lanes (the treatment above 60%): held until someone approves it
                HttpResponse<String> held = live.send("POST", "/playbooks", "{\"id\": \"ramp-" + UUID.randomUUID().toString().substring(0, 8)
                        + "\", \"actions\": [{\"type\": \"change\", \"flag\": \"checkout-button\", \"variants\": [{\"name\": \"control\","
                        + " \"weight\": 2000}, {\"name\": \"treatment\", \"weight\": 8000}]}], \"reason\": \"ramp at the drop\"}");
                assertEquals(202, held.statusCode(), held.body());
                return send(op, op.concrete(JSON.readTree(held.body()).get("target").asText()), body);
            }
            case "POST /api/v1/schedule 404" -> {
                ObjectNode o = (ObjectNode) JSON.readTree(body);
                o.put("playbook", "no-such-playbook");
                return send(op, path, o.toString());
            }
            case "POST /api/v1/schedule/{id}/retry 409" -> {
                // a pending change of a node that is not a fleet's: nothing waits on Kafka
                return send(op, path, body);
            }
            case "POST /api/v1/schedule/{id}/cancel 409" -> {
                send(op, path, body);
                return send(op, path, body);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * A live node's own reads, and an ingest batch's answer, carry what the document says: all of it, and nothing it
     * leaves out (the 503 counters of /api/v1/ingest/stats, say).
     */
    @Test
    void aLiveNodesOwnAnswersCarryWhatTheDocumentSays(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture node = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir)) {
            node.start();
            long now = System.currentTimeMillis();
            Operation ingest = operation("/ingest/v1/events", "post");
            HttpResponse<String> r = node.send("POST", ingest.path(), node.key("ingest-key"),
                    "[{\"id\":\"ok\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + now + "},"
                    + "{\"id\":\"nowhere\",\"type\":\"latency\",\"pop\":\"atlantis\",\"ms\":40,\"at\":" + now + "}]");
            assertEquals(200, r.statusCode(), r.body());
            assertShape(ingest.label(), JSON.readTree(r.body()), success(ingest));
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                JsonNode get = path.getValue().path("get");
                if (!get.path("x-edgedeck-live-only").asBoolean()) {
                    continue;
                }
                Operation op = new Operation(path.getKey(), "get", get);
                r = node.send("GET", op.path(), node.key("token"), null);
                assertEquals(200, r.statusCode(), op.label() + ": " + r.body());
                assertShape(op.label(), JSON.readTree(r.body()), success(op));
                checked++;
            }
            assertTrue(checked >= 3, "a live node's reads checked: " + checked);
        }
    }

    /** A node that is starting answers every route 503 with a problem the document's Problem describes whole. */
    @Test
    void aStartingNodesAnswerCarriesWhatTheDocumentSays(@TempDir Path dir) throws Exception {
        io.edgedeck.simulator.scenario.NodeConfig config = io.edgedeck.simulator.scenario.NodeConfigParser.parse(
                IngestRefusedAfterRestartTest.CONFIG.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        io.edgedeck.simulator.show.RestoreProgress progress = new io.edgedeck.simulator.show.RestoreProgress() {
            @Override
            public void startingFresh() {
                super.startingFresh();
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        java.util.concurrent.CompletableFuture<EdgeNode> starting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return EdgeNode.start(EdgeNode.Config.live(config, java.net.InetAddress.getLoopbackAddress(), port, dir, 1), progress);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(held.await(60, java.util.concurrent.TimeUnit.SECONDS), "the node never came to starting");
            HttpResponse<String> r = live.raw.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            JsonNode problem = JSON.readTree(r.body());
            assertTrue(problem.has("restoring") && problem.has("phase"), "a starting node says how far and which phase: " + r.body());
            assertShape("GET /healthz while starting", problem, doc.get("components").get("schemas").get("Problem"));
        } finally {
            release.countDown();
            starting.get(60, java.util.concurrent.TimeUnit.SECONDS).close();
        }
    }

    /**
     * The check itself finds what the node could send wrong inside a nullable object ({@code oneOf} with a null
     * alternative) and a nullable list ({@code ["array", "null"]}): a property the document does not list, a required
     * one left out, a value of another type, one that is not of an enum.
     */
    @Test
    void theCheckFindsAWrongAnswerInsideANullableObjectOrList() throws Exception {
        JsonNode request = doc.get("components").get("schemas").get("ChangeRequest");
        String right = """
                {"id": 7, "state": "pending", "requester": "rita", "operation": "flag.change", "target": "banner",
                 "change": {"expectedVersion": 3, "reason": "a third arm", "scope": null,
                            "variants": [{"name": "control", "weight": 6000}, {"name": "treatment", "weight": 4000}]},
                 "reason": "a third arm", "risks": [], "revision": 1, "openedAtMillis": 1000, "decidedBy": null,
                 "pops": ["fra", "ams"]}""";
        List<String> none = new ArrayList<>();
        shape("request", JSON.readTree(right), request, none);
        assertEquals(List.of(), none, "a request as the document describes it");
        Map<String, String> wrongs = Map.of(
                "a property the document does not list", right.replace("\"scope\": null", "\"appliedVersion\": 4"),
                "a required property left out", right.replace("\"reason\": \"a third arm\", \"scope\"", "\"scope\""),
                "an item of a nullable list with a property the document does not list",
                right.replace("\"weight\": 4000}", "\"weight\": 4000, \"share\": 0.4}"),
                "an item of a nullable list of another type", right.replace("[\"fra\", \"ams\"]", "[\"fra\", {\"pop\": \"ams\"}]"),
                "an object where only null or an object of the document fits", right.replace("\"decidedBy\": null", "\"decidedBy\": {\"name\": \"ana\"}"),
                "a value that is not of its enum", right.replace("\"pending\"", "\"restored\""),
                "a number where a string is documented", right.replace("\"requester\": \"rita\"", "\"requester\": 5"));
        for (Map.Entry<String, String> w : wrongs.entrySet()) {
            assertFalse(w.getValue().equals(right), w.getKey() + ": the example was changed");
            List<String> found = new ArrayList<>();
            shape("request", JSON.readTree(w.getValue()), request, found);
            assertFalse(found.isEmpty(), w.getKey() + " is found: " + w.getValue());
        }
    }

    private static Operation operation(String path, String method) {
        return new Operation(path, method, doc.get("paths").get(path).get(method));
    }

    /** The schema of an operation's documented 200 JSON answer. */
    private static JsonNode success(Operation op) {
        return op.spec().get("responses").get("200").get("content").get("application/json").get("schema");
    }

    /**
     * Checks a real answer against its schema, all the way down, following $ref, array items, a map's
     * additionalProperties and oneOf: every required property is there, and every property it carries is one
     * the schema lists (or a map's key), so the node cannot send what the document does not say, nor the document
     * list less than the node sends.
     */
    private static void assertShape(String where, JsonNode value, JsonNode schema) {
        List<String> wrong = new ArrayList<>();
        shape(where, value, schema, wrong);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static void shape(String where, JsonNode value, JsonNode schema, List<String> wrong) {
        schema = resolve(schema);
        if (value.isNull()) {
            return;
        }
        if (schema.has("oneOf")) {
            // The alternative it fits best: none wrong, or the fewest. A {"type": "null"} alternative fits only null,
            // which is passed above: a value is held to the alternatives that describe one.
            List<String> best = null;
            for (JsonNode alternative : schema.get("oneOf")) {
                if (type(resolve(alternative)).equals("null")) {
                    continue;
                }
                List<String> these = new ArrayList<>();
                shape(where, value, alternative, these);
                if (best == null || these.size() < best.size()) {
                    best = these;
                }
            }
            if (best == null) {
                wrong.add(where + ": only null is documented, got " + value);
            } else {
                wrong.addAll(best);
            }
            return;
        }
        if (schema.has("enum") && value.isValueNode()) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                wrong.add(where + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        String type = type(schema);
        if (type.equals("array")) {
            if (!value.isArray()) {
                wrong.add(where + ": expected an array, got " + value);
                return;
            }
            for (JsonNode item : value) {
                shape(where + "[]", item, schema.get("items"), wrong);
            }
            return;
        }
        if (!type.equals("object") && !schema.has("properties")) {
            if (!fits(type, value)) {
                wrong.add(where + ": expected " + (type.isEmpty() ? "a value" : type) + ", got " + value);
            }
            return;
        }
        if (!value.isObject()) {
            wrong.add(where + ": expected an object, got " + value);
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                wrong.add(where + ": missing required property " + required.asText() + " in " + value);
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode others = schema.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (properties.has(field.getKey())) {
                shape(where + "." + field.getKey(), field.getValue(), properties.get(field.getKey()), wrong);
            } else if (others.isObject()) {
                shape(where + "[" + field.getKey() + "]", field.getValue(), others, wrong);
            } else if (schema.has("properties") && !others.asBoolean(false)) {
                wrong.add(where + ": property " + field.getKey() + " is not in the document (" + field.getValue() + ")");
            }
        }
    }

    /** A schema's type: the one that is not null of a list such as ["array", "null"], "" when it names none. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode member : type) {
                if (!member.asText().equals("null")) {
                    return member.asText();
                }
            }
            return "null";
        }
        return type.asText();
    }

    /** Whether a value that is not an object nor an array is of a scalar schema's JSON type (any, when it names none). */
    private static boolean fits(String type, JsonNode value) {
        return switch (type) {
            case "" -> true;
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        };
    }

    private static JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            return doc.get("components").get("schemas").get(name);
        }
        return schema;
    }

    /**
     * Every bound the document states on a request (required fields, whole numbers, minimum, maximum,
     * enum, maxLength, maxItems, on body fields, array items and headers) is refused by the node with a 400 that
     * names the field: the document says nothing the node does not enforce.
     */
    @Test
    void everyDocumentedBoundIsEnforcedByTheNode() throws Exception {
        int checked = 0;
        for (Operation op : operations()) {
            JsonNode body = op.spec().path("requestBody").path("content").path("application/json").path("schema");
            if (!body.isMissingNode()) {
                ObjectNode valid = (ObjectNode) JSON.readTree(validBody(op));
                checked += checkObject(op, valid, valid, resolve(body), "");
            }
            for (JsonNode p : op.queryParameters()) {
                String name = p.get("name").asText();
                JsonNode rule = p.get("schema");
                List<String> broken = new ArrayList<>();
                if (rule.path("type").asText().equals("integer")) {
                    broken.add("1.5");
                }
                if (rule.has("minimum")) {
                    broken.add(new java.math.BigDecimal(rule.get("minimum").asText()).subtract(java.math.BigDecimal.ONE).toPlainString());
                }
                if (rule.has("maximum")) {
                    broken.add(new java.math.BigDecimal(rule.get("maximum").asText()).add(java.math.BigDecimal.ONE).toPlainString());
                }
                for (String value : broken) {
                    expectInvalid(op, send(op, concrete(op) + "?" + name + "=" + value, validBody(op)), name);
                    checked++;
                }
            }
            for (JsonNode p : op.spec().path("parameters")) {
                if (p.get("in").asText().equals("header") && p.path("schema").has("maxLength")) {
                    String tooLong = "k".repeat(p.get("schema").get("maxLength").asInt() + 1);
                    expectInvalid(op, send(op, concrete(op), validBody(op), true, Map.of(p.get("name").asText(), tooLong)),
                            p.get("name").asText());
                    checked++;
                }
            }
        }
        System.out.println("OpenApiContractTest: " + checked + " documented bounds checked against the node");
        assertTrue(checked >= 30, "bounds checked: " + checked);
    }

    /** Breaks each bound of {@code schema} in turn, inside {@code target} (part of {@code root}), and expects a 400 naming it. */
    private int checkObject(Operation op, ObjectNode root, ObjectNode target, JsonNode schema, String prefix) throws Exception {
        int checked = 0;
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            JsonNode kept = target.remove(name);
            expectInvalid(op, send(op, concrete(op), root.toString()), prefix + name);
            target.set(name, kept);
            checked++;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = property.getKey();
            JsonNode rule = resolve(property.getValue());
            JsonNode kept = target.get(name);
            List<JsonNode> broken = new ArrayList<>();
            boolean integer = rule.path("type").asText().equals("integer");
            if (integer) {
                broken.add(JSON.getNodeFactory().numberNode(1.5));
            }
            if (rule.has("minimum")) {
                broken.add(JSON.getNodeFactory().numberNode(rule.get("minimum").asDouble() - (integer ? 1 : 0.5)));
            }
            if (rule.has("maximum")) {
                broken.add(JSON.getNodeFactory().numberNode(rule.get("maximum").asDouble() + (integer ? 1 : 0.5)));
            }
            if (rule.has("enum")) {
                broken.add(JSON.getNodeFactory().textNode("not-one-of-them"));
            }
            if (rule.has("maxLength")) {
                broken.add(JSON.getNodeFactory().textNode("x".repeat(rule.get("maxLength").asInt() + 1)));
            }
            for (JsonNode value : broken) {
                target.set(name, integer && value.isDouble() && value.asDouble() == Math.rint(value.asDouble())
                        ? JSON.getNodeFactory().numberNode(value.asLong()) : value);
                expectInvalid(op, send(op, concrete(op), root.toString()), prefix + name);
                checked++;
            }
            restore(target, name, kept);
            if (rule.has("maxItems") && kept != null && kept.isArray() && !kept.isEmpty() && kept.get(0).isObject()) {
                target.set(name, overFull((ArrayNode) kept, rule.get("maxItems").asInt()));
                expectInvalid(op, send(op, concrete(op), root.toString()), prefix + name);
                restore(target, name, kept);
                checked++;
            }
            JsonNode items = resolve(rule.path("items"));
            if (kept != null && kept.isArray() && !kept.isEmpty() && kept.get(0).isObject() && items.has("properties")) {
                checked += checkObject(op, root, (ObjectNode) kept.get(0), items, prefix + name + "[0].");
            }
        }
        return checked;
    }

    /**
     * {@code valid} with one item more than {@code maxItems}: copies of its first item, each text made
     * its own ({@code control-extra-3}) and each number 0, so nothing but their count is wrong (weights
     * still add up, names stay distinct).
     */
    private static ArrayNode overFull(ArrayNode valid, int maxItems) {
        ArrayNode out = valid.deepCopy();
        for (int i = out.size(); i <= maxItems; i++) {
            ObjectNode extra = (ObjectNode) valid.get(0).deepCopy();
            for (Iterator<String> fields = valid.get(0).fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (extra.get(field).isTextual()) {
                    extra.put(field, extra.get(field).asText() + "-extra-" + i);
                } else if (extra.get(field).isNumber()) {
                    extra.put(field, 0);
                }
            }
            out.add(extra);
        }
        return out;
    }

    private static void restore(ObjectNode target, String name, JsonNode kept) {
        if (kept == null) {
            target.remove(name);
        } else {
            target.set(name, kept);
        }
    }

    private static void expectInvalid(Operation op, HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), op.label() + " with " + field + " out of bounds: " + r.body());
        String named = JSON.readTree(r.body()).path("field").asText();
        String arrayName = field.contains("[") ? field.substring(0, field.indexOf('[')) : field;
        assertTrue(named.equals(field) || named.startsWith(arrayName), op.label() + ": the problem names " + named
                + ", not " + field + ": " + r.body());
    }

    @Test
    void anUndocumentedMethodOnADocumentedPathIs405() throws Exception {
        for (Operation op : operations()) {
            if (!op.secured()) {
                continue;
            }
            HttpResponse<String> r = live.send(HttpRequest.newBuilder(URI.create(live.base() + op.concrete(null)))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + credential(op)).DELETE().build());
            assertEquals(405, r.statusCode(), "DELETE " + op.path());
        }
    }

    /** A streamed answer as a plain one: its status, headers and whatever body was read. */
    private record Answered(HttpResponse<InputStream> r, String text) implements HttpResponse<String> {
        public int statusCode() { return r.statusCode(); }
        public HttpRequest request() { return r.request(); }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return r.headers(); }
        public String body() { return text; }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
        public URI uri() { return r.uri(); }
        public java.net.http.HttpClient.Version version() { return r.version(); }
    }
}
