package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the control API takes and what it refuses, against a real live node on loopback: each refusal
 * is a 400 problem whose {@code field} names what the caller sent, and nothing changes. Each case
 * was found by a QA pass on a live node.
 */
class ControlInputNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "control-input",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "ams", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [{"key": "checkout-button", "owner": "growth", "control": "control",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}]},
                       {"key": "offer-banner", "owner": "growth", "control": "control",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}]}],
             "guardrails": [{"id": "sentiment-guard", "flag": "checkout-button", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "sentimentChange", "op": "<", "value": -0.15}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback", "armed": false}],
             "playbooks": [{"id": "calm-down", "actions": [{"type": "kill", "flag": "offer-banner"}]}],
             "ingest": {"maxBatchEvents": 100, "maxBatchBytes": 2000, "maxEventsPerSecond": 1000000}}""";

    @TempDir
    static Path dir;
    private static LiveNodeFixture live;
    private static String admin;
    private static String ingest;
    private static String read;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        admin = live.key("token");
        ingest = live.key("ingest-key");
        read = live.key("read-key");
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    private static HttpResponse<String> call(String method, String path, String bearer, String body) throws Exception {
        return live.send(method, path, bearer, body);
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return call(method, path, admin, body);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** A 400 problem naming {@code field}; its detail, for more checks. */
    private static String refused(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode p = json(r);
        assertEquals(field, p.path("field").asText(null), r.body());
        return p.path("detail").asText();
    }

    private static int auditSize() throws Exception {
        return json(admin("GET", "/api/v1/audit", null)).size();
    }

    private static JsonNode flag(String key) throws Exception {
        for (JsonNode f : json(admin("GET", "/api/v1/flags", null))) {
            if (f.path("key").asText().equals(key)) {
                return f;
            }
        }
        throw new AssertionError("no flag " + key);
    }

    // ------------------------------------------------------------------ 1. query parameters

    @Test
    void aMisspeltAuditFilterIsRefusedNotReadAsNoFilter() throws Exception {
        String detail = refused(admin("GET", "/api/v1/audit/export?persn=alice", null), "persn");
        assertTrue(detail.contains("did you mean 'person'?"), detail);
        assertTrue(detail.contains("'person', 'flag', 'kind'"), detail);
        refused(admin("GET", "/api/v1/audit?person=alice&flagg=x", null), "flagg");
        assertEquals(200, admin("GET", "/api/v1/audit/export?person=alice&flag=offer-banner&kind=flag", null).statusCode());
        assertEquals(200, admin("GET", "/api/v1/audit?person=alice", null).statusCode());
    }

    @Test
    void aMadeUpOptionOnAChangeChangesNothing() throws Exception {
        int before = auditSize();
        String detail = refused(admin("POST", "/api/v1/flags/checkout-button/kill?dry=1", "{\"reason\": \"just looking\"}"), "dry");
        assertTrue(detail.contains("takes no query parameters"), detail);
        assertFalse(flag("checkout-button").path("killed").asBoolean());
        assertEquals(before, auditSize());
        // HEAD is checked as its GET is.
        HttpRequest head = HttpRequest.newBuilder(live.node().baseUri().resolve("/api/v1/flags?x=1")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + admin).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        assertEquals(400, live.http().send(head, HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void everyDocumentedParameterIsTakenAndNothingElse() throws Exception {
        JsonNode doc;
        try (InputStream in = ControlInputNodeTest.class.getResourceAsStream("/io/edgedeck/client/openapi.json")) {
            doc = JSON.readTree(in);
        }
        Map<String, String> sample = Map.of("state", "pending", "person", "admin", "flag", "offer-banner", "kind", "flag",
                "from", "0", "to", "10");
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            String path = p.getKey().replace("{key}", "offer-banner").replace("{id}", "fra").replace("{name}", "no-such-cue")
                    .replace("{variant}", "treatment");
            if (path.startsWith("/connectors/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().properties().iterator(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                String method = op.getKey().toUpperCase(Locale.ROOT);
                String key = path.startsWith("/ingest/") ? ingest : path.startsWith("/ofrep/") || path.equals("/metrics") ? read : admin;
                String body = method.equals("GET") ? null : "{}";
                if (path.equals("/healthz") || path.equals("/metrics")) {
                    // Probes and scrapers add parameters of their own: these two read none and change nothing.
                    assertEquals(200, call(method, path + "?zzz-not-a-parameter=1", key, body).statusCode(), path);
                    checked.add(method + " " + path);
                    continue;
                }
                // A made-up parameter: refused before the call does anything.
                refused(call(method, path + "?zzz-not-a-parameter=1", key, body), "zzz-not-a-parameter");
                // Each documented one: never refused as unknown.
                List<String> documented = new ArrayList<>();
                List<JsonNode> params = new ArrayList<>();
                p.getValue().path("parameters").forEach(params::add);
                op.getValue().path("parameters").forEach(params::add);
                for (JsonNode param : params) {
                    if (param.has("$ref")) {
                        param = doc.at(param.get("$ref").asText().substring(1));
                    }
                    if (param.path("in").asText().equals("query")) {
                        documented.add(param.path("name").asText());
                    }
                }
                if (!documented.isEmpty() && method.equals("GET")) {
                    StringBuilder q = new StringBuilder();
                    for (String name : documented) {
                        q.append(q.isEmpty() ? "?" : "&").append(name).append('=').append(sample.getOrDefault(name, "x"));
                    }
                    HttpResponse<String> r = call(method, path + q, key, null);
                    assertEquals(200, r.statusCode(), method + " " + path + q + ": " + r.body());
                }
                checked.add(method + " " + path);
            }
        }
        assertTrue(checked.size() > 40, checked.toString());
        // The ingest key as ?key=, a beacon's way, is the ingest lane's own parameter.
        HttpResponse<String> beacon = live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve("/ingest/v1/events?key=" + ingest))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"id\": \"b-1\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 40}]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, beacon.statusCode(), beacon.body());
        assertFalse(flag("offer-banner").path("killed").asBoolean(), "no refused call changed anything");
    }

    // ------------------------------------------------------------------ 2. bounds on names and free text

    private static long version(String key) throws Exception {
        return flag(key).path("version").asLong();
    }

    @Test
    void aVariantNameIngestCouldNotReportIsRefused() throws Exception {
        int before = auditSize();
        long v = version("offer-banner");
        String tooLong = "v".repeat(5_000);
        String detail = refused(admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "long name", "variants": [{"name": "control", "weight": 5000}, {"name": "%s", "weight": 5000}]}"""
                .formatted(v, tooLong)), "variants[1].name");
        assertTrue(detail.contains("at most 256"), detail);
        assertEquals(v, version("offer-banner"));
        assertEquals(before, auditSize());
        refused(admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "long scope", "scope": "%s"}""".formatted(v, "s".repeat(257))), "scope");
    }

    @Test
    void aReasonLongerThanTheBoundIsRefusedEverywhere() throws Exception {
        int before = auditSize();
        String huge = "r".repeat(60_000);
        long v = version("offer-banner");
        refused(admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "%s", "scope": "region:eu"}""".formatted(v, huge)), "reason");
        refused(admin("POST", "/api/v1/rollbacks", """
                {"flag": "offer-banner", "variant": "treatment", "reason": "%s"}""".formatted(huge)), "reason");
        refused(admin("POST", "/api/v1/playbooks", """
                {"id": "long-why", "reason": "%s", "actions": [{"type": "kill", "flag": "offer-banner"}]}""".formatted(huge)), "reason");
        refused(admin("POST", "/api/v1/playbooks", """
                {"id": "long-what", "reason": "ok", "description": "%s", "actions": [{"type": "kill", "flag": "offer-banner"}]}"""
                .formatted("d".repeat(1_001))), "description");
        refused(admin("POST", "/api/v1/schedule", """
                {"cue": "drop", "playbook": "calm-down", "reason": "%s"}""".formatted(huge)), "reason");
        refused(admin("POST", "/api/v1/guardrails/sentiment-guard/arm", "{\"reason\": \"" + "r".repeat(1_001) + "\"}"), "reason");
        refused(admin("POST", "/api/v1/playbooks/calm-down/run", "{\"reason\": \"" + huge + "\"}"), "reason");
        assertEquals(before, auditSize());
        assertFalse(flag("offer-banner").path("killed").asBoolean());
        // At the bound it is taken: a long reason is one line a person can still read.
        HttpResponse<String> arm = admin("POST", "/api/v1/guardrails/sentiment-guard/arm", "{\"reason\": \"" + "r".repeat(1_000) + "\"}");
        assertEquals(200, arm.statusCode(), arm.body());
        HttpResponse<String> disarm = admin("POST", "/api/v1/guardrails/sentiment-guard/disarm", "{\"reason\": \"back\"}");
        assertEquals(200, disarm.statusCode(), disarm.body());
    }

    @Test
    void aNameAtTheIngestBoundIsTaken() throws Exception {
        long v = version("offer-banner");
        String name = "n".repeat(256);
        HttpResponse<String> r = admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "longest name", "variants": [{"name": "control", "weight": 5000}, {"name": "treatment", "weight": 4000}, {"name": "%s", "weight": 1000}]}"""
                .formatted(v, name));
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> back = admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "as it was", "variants": [{"name": "control", "weight": 5000}, {"name": "treatment", "weight": 5000}]}"""
                .formatted(v + 1));
        assertEquals(200, back.statusCode(), back.body());
    }

    // ------------------------------------------------------------------ 3. a playbook action's fields are its type's

    private static void noPlaybook(String id) throws Exception {
        assertEquals(404, admin("GET", "/api/v1/playbooks/" + id, null).statusCode(), "playbook " + id + " was made");
    }

    private static HttpResponse<String> playbook(String id, String action) throws Exception {
        return admin("POST", "/api/v1/playbooks", """
                {"id": "%s", "reason": "QA", "actions": [%s]}""".formatted(id, action));
    }

    @Test
    void aFieldAnActionDoesNotTakeIsRefused() throws Exception {
        int before = auditSize();
        String detail = refused(playbook("stray-1", """
                {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "guardrail": "sentiment-guard"}"""),
                "actions[0].guardrail");
        assertTrue(detail.contains("a rollback action takes flag, variant, pops"), detail);
        refused(playbook("stray-2", """
                {"type": "kill", "flag": "checkout-button", "guardrail": "sentiment-guard"}"""), "actions[0].guardrail");
        refused(playbook("stray-3", """
                {"type": "arm", "guardrail": "sentiment-guard", "flag": "checkout-button"}"""), "actions[0].flag");
        refused(playbook("stray-4", """
                {"type": "kill", "flag": "offer-banner"}, {"type": "change", "flag": "checkout-button", "variants": []}"""),
                "actions[1].variants");
        refused(playbook("stray-5", """
                {"type": "change", "flag": "checkout-button", "scope": "%s"}""".formatted("g".repeat(3_000))), "actions[0].scope");
        refused(playbook("stray-6", """
                {"type": "unkill", "flag": "offer-banner", "pops": ["fra"]}"""), "actions[0].pops");
        refused(admin("POST", "/api/v1/schedule", """
                {"cue": "drop", "reason": "QA", "action": {"type": "kill", "flag": "offer-banner", "variant": "treatment"}}"""),
                "action.variant");
        for (int i = 1; i <= 6; i++) {
            noPlaybook("stray-" + i);
        }
        assertEquals(before, auditSize());
    }

    @Test
    void aPopNamedTwiceIsRefused() throws Exception {
        String detail = refused(playbook("twice", """
                {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra", "ams", "fra"]}"""),
                "actions[0].pops[2]");
        assertTrue(detail.contains("'fra' is named twice"), detail);
        noPlaybook("twice");
        HttpResponse<String> once = playbook("once", """
                {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra", "ams"]}""");
        assertEquals(201, once.statusCode(), once.body());
    }

    // ------------------------------------------------------------------ 4. a problem's field names what was sent

    private static String problem(HttpResponse<String> r, int status, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(field, json(r).path("field").asText(null), r.body());
        return json(r).path("detail").asText();
    }

    @Test
    void theFieldOfAProblemIsOneTheCallerSent() throws Exception {
        int before = auditSize();
        String armNope = problem(playbook("arm-nope", "{\"type\": \"arm\", \"guardrail\": \"nope\"}"), 404, "actions[0].guardrail");
        assertEquals("actions[0].guardrail: unknown guardrail 'nope'", armNope);
        problem(admin("POST", "/api/v1/schedule", """
                {"cue": "drop", "reason": "QA", "action": {"type": "kill", "flag": "no-such-flag"}}"""), 404, "action.flag");
        problem(admin("POST", "/api/v1/schedule", """
                {"cue": "drop", "reason": "QA", "action": {"type": "disarm", "guardrail": "nope"}}"""), 404, "action.guardrail");
        long v = version("offer-banner");
        assertTrue(problem(admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "QA", "scope": "region:mars"}""".formatted(v)), 400, "scope")
                .startsWith("scope: unknown region 'mars'"));
        problem(admin("PATCH", "/api/v1/flags/offer-banner", """
                {"expectedVersion": %d, "reason": "QA", "scope": "pop:mars"}""".formatted(v)), 400, "scope");
        problem(playbook("mars", "{\"type\": \"change\", \"flag\": \"offer-banner\", \"scope\": \"region:mars\"}"),
                400, "actions[0].scope");
        assertEquals("id: unknown guardrail 'nope'", problem(admin("POST", "/api/v1/guardrails/nope/arm", "{\"reason\": \"QA\"}"), 404, "id"));
        problem(admin("POST", "/api/v1/guardrails/nope/disarm", "{\"reason\": \"QA\"}"), 404, "id");
        problem(admin("POST", "/api/v1/flags/nope/kill", "{\"reason\": \"QA\"}"), 404, "key");
        assertEquals(before, auditSize());
    }

    // ------------------------------------------------------------------ 5. small ones

    @Test
    void aVersionNoFlagCanHaveIsMalformedNotStale() throws Exception {
        problem(admin("PATCH", "/api/v1/flags/offer-banner", "{\"expectedVersion\": -5, \"reason\": \"QA\", \"scope\": \"global\"}"),
                400, "expectedVersion");
        problem(admin("POST", "/api/v1/flags/offer-banner/restore", "{\"version\": 0, \"expectedVersion\": 1, \"reason\": \"QA\"}"),
                400, "version");
        problem(admin("POST", "/api/v1/flags/offer-banner/restore", "{\"version\": 1, \"expectedVersion\": -1, \"reason\": \"QA\"}"),
                400, "expectedVersion");
    }

    @Test
    void aForgedTokenIsToldWhatATokenIsNotWhatJavaSaid() throws Exception {
        HttpResponse<String> r = call("POST", "/ingest/v1/checkouts", ingest,
                "{\"token\": \"v1.1.99999999999999999999999.bm9uY2U.c2ln\", \"targetingKey\": \"viewer-1\"}");
        String detail = problem(r, 403, "token");
        assertTrue(detail.startsWith("forged: "), detail);
        assertFalse(detail.contains("For input string"), detail);
        assertTrue(detail.contains("v1.<key>.<expires>.<nonce>.<signature>"), detail);
    }

    @Test
    void tooDeepAJsonBodyIsToldInTheApisWords() throws Exception {
        String deep = "{\"reason\": \"QA\", \"x\": " + "[".repeat(1_500) + "]".repeat(1_500) + "}";
        String detail = refused(admin("POST", "/api/v1/flags/offer-banner/kill", deep), "body");
        assertTrue(detail.contains("nested deeper than 1000 levels"), detail);
        assertFalse(detail.contains("StreamReadConstraints"), detail);
        HttpResponse<String> ofrep = call("POST", "/ofrep/v1/evaluate/flags/offer-banner", read, "{\"context\": " + "[".repeat(1_500) + "]".repeat(1_500) + "}");
        assertEquals(400, ofrep.statusCode(), ofrep.body());
        assertFalse(ofrep.body().contains("StreamReadConstraints"), ofrep.body());
        assertTrue(ofrep.body().contains("nested deeper than 1000 levels"), ofrep.body());
    }

    @Test
    void aBatchOverTheLimitIsToldTheLimitInBytesPlainOrGzip() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; batch.length() < 3_000; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"id\": \"big-").append(i).append("\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 40}");
        }
        batch.append("]");
        String plain = problem(call("POST", "/ingest/v1/events", ingest, batch.toString()), 413, "body");
        assertTrue(plain.contains("2000 bytes"), plain);
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write(batch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve("/ingest/v1/events"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ingest).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        String gzip = problem(r, 413, "body");
        assertTrue(gzip.contains("2000 bytes once gzip is undone"), gzip);
        // The node-wide limit says its bytes too.
        String control = problem(admin("POST", "/api/v1/flags/offer-banner/kill", "{\"reason\": \"" + "r".repeat(70_000) + "\"}"), 413, "body");
        assertTrue(control.contains("65536 bytes (64 KB)"), control);
    }
}
