package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed list of malformed bodies, and a few seeded truncations of a good one, thrown at every
 * operation of a real live node on loopback that takes a body: each is answered 4xx, a problem
 * naming the field at fault where one is (OFREP in its own error shape), none takes more than a few
 * seconds, and afterwards the node is healthy and nothing of it changed: no flag version, no audit entry.
 */
class MalformedBodiesNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261206L;
    /** How many of {@link #ANYWHERE} each operation gets. */
    private static final int SHARED = 12;
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "malformed-bodies",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "banner-guard", "flag": "offer-banner", "variant": "treatment",
                             "conditions": [{"metric": "conversionLift", "op": "<", "value": -0.1}], "windowSeconds": 60,
                             "minExposures": 100, "cooldownSeconds": 60, "action": "rollback", "armed": true}],
             "playbooks": [{"id": "calm-down", "actions": [{"type": "kill", "flag": "offer-banner"}]}]}""";

    /** Bodies no operation takes: not one JSON object, or one no schema of this API reads. */
    private static final List<String> ANYWHERE = List.of(
            "", "   ", "null", "[]", "\"reason\"", "42", "true", "{", "{\"reason\": \"x\"",
            "{\"reason\": \"x\"} {\"reason\": \"y\"}", "{\"reason\": \"x\"}}", "{reason: \"x\"}", "{'reason': 'x'}",
            "{\"reason\": NaN}", "{\"reason\": Infinity}", "{\"reason\": \"x\", \"reason\": \"y\"}",
            "{\"reason\": \"\\ud800\"}", "{\"reason\": \"\\udc00 tail\"}", "{\"\\ud800\": 1}", "{\"reason\": \"a\\u0000b\"}",
            "{\"reason\": \"bidi \\u202e txt.exe\"}", "{\"reason\": \"a\\nb\"}", "{\"reason\": {}}", "{\"reason\": []}",
            "{\"reason\": 7}", "{\"reason\": false}", "{\"reason\": \"" + "x".repeat(1001) + "\"}",
            "{\"reason\": " + "[".repeat(1500) + "]".repeat(1500) + "}", "{\"reason\": \"x\", \"zzz\": 1}",
            "\u00ff\u00fe{}");

    /** Per operation: a body it takes, and bodies of its own it must refuse. */
    private static final Map<String, List<String>> OWN = new LinkedHashMap<>();
    private static final Map<String, String> GOOD = new LinkedHashMap<>();

    static {
        own("PATCH /api/v1/flags/offer-banner", "{\"expectedVersion\": 2, \"reason\": \"r\"}",
                "{\"expectedVersion\": \" \", \"reason\": \"r\"}", "{\"expectedVersion\": 1e400, \"reason\": \"r\"}",
                "{\"expectedVersion\": 9223372036854775808, \"reason\": \"r\"}", "{\"expectedVersion\": 0, \"reason\": \"r\"}",
                "{\"expectedVersion\": 2, \"reason\": \" \"}",
                "{\"expectedVersion\": 2, \"reason\": \"r\", \"variants\": [{\"name\": \"control\", \"weight\": -1}, {\"name\": \"treatment\", \"weight\": 10001}]}",
                "{\"expectedVersion\": 2, \"reason\": \"r\", \"variants\": [{\"name\": \"control\", \"weight\": 99999999999}]}",
                "{\"expectedVersion\": 2, \"reason\": \"r\", \"variants\": [null]}",
                "{\"expectedVersion\": 2, \"reason\": \"r\", \"variants\": []}",
                "{\"expectedVersion\": 2, \"reason\": \"r\", \"scope\": \"pop:nowhere\"}",
                "{\"expectedVersion\": 2, \"reason\": \"r\", \"scope\": {}}");
        // A restore to a version the flag had is a change: a blank reason must not make one.
        own("POST /api/v1/flags/offer-banner/restore", "{\"version\": 1, \"expectedVersion\": 2, \"reason\": \"r\"}",
                "{\"version\": 1, \"expectedVersion\": 2, \"reason\": \" \"}", "{\"version\": 1, \"expectedVersion\": 2, \"reason\": \"\"}",
                "{\"version\": \" \", \"expectedVersion\": 2, \"reason\": \"r\"}", "{\"version\": -1, \"expectedVersion\": 2, \"reason\": \"r\"}",
                "{\"version\": 1.5, \"expectedVersion\": 2, \"reason\": \"r\"}");
        own("POST /api/v1/flags/offer-banner/kill", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/flags/offer-banner/unkill", "{\"reason\": \"r\"}", "{\"reason\": \"\"}");
        own("POST /api/v1/guardrails/banner-guard/arm", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/guardrails/banner-guard/disarm", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/rollbacks", "{\"flag\": \"offer-banner\", \"variant\": \"treatment\", \"reason\": \"r\"}",
                "{\"flag\": 1, \"variant\": \"treatment\", \"reason\": \"r\"}", "{\"flag\": \"offer-banner\", \"variant\": \"control\", \"reason\": \"r\"}",
                "{\"flag\": \"offer-banner\", \"variant\": \"" + "v".repeat(300) + "\", \"reason\": \"r\"}");
        own("POST /api/v1/flags/offer-banner/pop-rollbacks/clear", "{\"variant\": \"treatment\", \"reason\": \"r\"}",
                "{\"variant\": \"treatment\", \"pops\": [], \"reason\": \"r\"}", "{\"variant\": \"treatment\", \"pops\": [\"fra\", \"fra\"], \"reason\": \"r\"}",
                "{\"variant\": \"treatment\", \"pops\": \"fra\", \"reason\": \"r\"}", "{\"variant\": \"control\", \"reason\": \"r\"}");
        own("POST /api/v1/flags/offer-banner/variants/treatment/resume", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("PATCH /api/v1/requests/1", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/requests/1/approve", "{\"reason\": \"r\", \"revision\": 1}",
                "{\"reason\": \"r\", \"revision\": \" \"}", "{\"reason\": \"r\", \"revision\": \"\"}", "{\"reason\": \"r\", \"revision\": 0}",
                "{\"reason\": \"r\", \"revision\": \"1\"}", "{\"reason\": \"r\"}");
        own("POST /api/v1/requests/1/reject", "{\"reason\": \"r\"}", "{\"reason\": \"r\", \"revision\": \" \"}", "{\"reason\": \"r\", \"revision\": -1}");
        own("POST /api/v1/playbooks", "{\"id\": \"p\", \"reason\": \"r\", \"actions\": [{\"type\": \"kill\", \"flag\": \"offer-banner\"}]}",
                "{\"id\": \"p\", \"reason\": \"r\", \"actions\": []}", "{\"id\": \"p\", \"reason\": \"r\", \"actions\": [{}]}",
                "{\"id\": \"p\", \"reason\": \"r\", \"actions\": [{\"type\": \"explode\", \"flag\": \"offer-banner\"}]}",
                "{\"id\": \"p\", \"reason\": \"r\", \"actions\": [{\"type\": \"kill\", \"guardrail\": \"banner-guard\"}]}",
                "{\"id\": \"p\", \"reason\": \"r\", \"actions\": [{\"type\": \"rollback\", \"flag\": \"offer-banner\", \"variant\": \"treatment\", \"pops\": [\"fra\", \"fra\"]}]}",
                "{\"id\": \"p\", \"reason\": \"r\", \"actions\": [{\"type\": \"change\", \"flag\": \"offer-banner\", \"variants\": [{\"name\": \"control\", \"weight\": \" \"}]}]}",
                "{\"id\": \"" + "p".repeat(33) + "\", \"reason\": \"r\", \"actions\": [{\"type\": \"kill\", \"flag\": \"offer-banner\"}]}",
                "{\"id\": \"p\\u202e\", \"reason\": \"r\", \"actions\": [{\"type\": \"kill\", \"flag\": \"offer-banner\"}]}");
        own("POST /api/v1/playbooks/calm-down/run", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/playbooks/calm-down/retire", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/schedule", "{\"cue\": \"drop\", \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"cue\": \"drop\", \"at\": \"2026-12-06T20:00:00Z\", \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"at\": \"2026-13-45T99:99:99Z\", \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"at\": \"+1000000000-01-01T00:00:00Z\", \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"at\": \"-999999999-01-01T00:00:00Z\", \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"at\": 1.7e12, \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"cue\": \"\", \"playbook\": \"calm-down\", \"reason\": \"r\"}",
                "{\"cue\": \"drop\", \"reason\": \"r\"}",
                "{\"cue\": \"drop\", \"action\": {\"type\": \"arm\", \"flag\": \"offer-banner\"}, \"reason\": \"r\"}");
        own("POST /api/v1/schedule/1/cancel", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/show/cues/drop", "{\"reason\": \"r\"}", "{\"reason\": 5}");
        own("POST /api/v1/show/cues", "{\"type\": \"latency-spike\", \"pop\": \"fra\", \"magnitude\": 2}",
                "{\"type\": \"latency-spike\", \"pop\": \"fra\", \"magnitude\": \" \"}");
        own("POST /api/v1/privacy/salt/rotate", "{\"reason\": \"r\"}", "{\"reason\": \" \"}");
        own("POST /api/v1/checkout-tokens", "{\"targetingKey\": \"u1\"}",
                "{\"targetingKey\": \"\"}", "{\"targetingKey\": 5}", "{\"targetingKey\": \"" + "u".repeat(257) + "\"}");
        // A blank revoke is no false: a rotation asked for with it must not happen without the revocation.
        own("POST /api/v1/checkout-tokens/keys/rotate", "{\"reason\": \"r\", \"revoke\": false}",
                "{\"reason\": \"r\", \"revoke\": \" \"}", "{\"reason\": \" \"}", "{\"reason\": \"r\", \"revoke\": \"true\"}", "{\"reason\": \"r\", \"revoke\": 1}");
        own("POST /ingest/v1/events", "[{\"id\": \"e1\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 5}]",
                "[{\"id\": \"e1\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": \"5\"}]",
                "[{\"id\": 1, \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 5}]",
                "[{\"id\": \"e1\", \"type\": \"chat\", \"text\": \"cut \\ud83d\"}]",
                "[{\"id\": \"e1\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 5},",
                "[{\"id\": \"e1\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 1e400, \"at\": 1.5}]");
        own("POST /ingest/v1/checkouts", "{\"token\": \"t\"}", "{\"token\": 5}", "{\"token\": \"\"}");
        own("POST /ofrep/v1/evaluate/flags/offer-banner", "{\"context\": {\"targetingKey\": \"u1\"}}",
                "{\"context\": []}", "{\"context\": {\"targetingKey\": 1}}", "{\"context\": {\"targetingKey\": \"u\\ud800\"}}",
                "{\"context\": {\"targetingKey\": \"" + "u".repeat(300) + "\"}}", "{\"context\": {\"targetingKey\": \"u\", \"pop\": \"nowhere\"}}");
        own("POST /ofrep/v1/evaluate/flags", "{\"context\": {\"targetingKey\": \"u1\"}}", "{\"context\": 5}");
    }

    private static void own(String operation, String good, String... bad) {
        GOOD.put(operation, good);
        OWN.put(operation, List.of(bad));
    }

    @TempDir
    static Path dir;
    private static EdgeNode node;
    private static HttpClient http;
    private static Map<String, String> keys;

    @BeforeAll
    static void start() throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir));
        keys = Map.of("/api/", Files.readString(node.tokenFile()).trim(), "/ingest/", Files.readString(node.ingestKeyFile()).trim(),
                "/ofrep/", Files.readString(node.readKeyFile()).trim());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        node.close();
    }

    private static HttpResponse<String> send(String operation, String body) throws Exception {
        String method = operation.substring(0, operation.indexOf(' '));
        String path = operation.substring(operation.indexOf(' ') + 1);
        String key = keys.entrySet().stream().filter(k -> path.startsWith(k.getKey())).findFirst().map(Map.Entry::getValue).orElse(keys.get("/api/"));
        HttpRequest r = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(5))
                // A body starting with U+00FF goes as its Latin-1 bytes: 0xFF 0xFE, a UTF-16 byte order mark.
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.getBytes(
                        body.startsWith("\u00ff") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every body for an operation: its own, {@value #SHARED} of the bodies no operation takes (in turn, so
     * each goes to several operations), and its good body cut short at three seeded places.
     */
    private static List<String> bodies(String operation, int index, Random random) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < SHARED; i++) {
            String body = ANYWHERE.get((index * SHARED + i) % ANYWHERE.size());
            // A cue's reason is optional: no body at all fires it, as documented.
            if (!(operation.startsWith("POST /api/v1/show/cues/") && body.isBlank())) {
                all.add(body);
            }
        }
        all.addAll(OWN.get(operation));
        String good = GOOD.get(operation);
        for (int i = 0; i < 3; i++) {
            all.add(good.substring(0, 1 + random.nextInt(good.length() - 2)));
        }
        return all;
    }

    private static JsonNode flag() throws Exception {
        return JSON.readTree(send("GET /api/v1/flags/offer-banner", "").body());
    }

    private static int auditEntries() throws Exception {
        return JSON.readTree(send("GET /api/v1/audit", "").body()).size();
    }

    @Test
    void everyMalformedBodyIsA4xxNamingItsFieldAndChangesNothing() throws Exception {
        // One real change first, so a restore to version 1 would be a change too, not a no-op.
        HttpResponse<String> made = send("PATCH /api/v1/flags/offer-banner", "{\"expectedVersion\": 1, \"reason\": \"r\", "
                + "\"variants\": [{\"name\": \"control\", \"weight\": 6000}, {\"name\": \"treatment\", \"weight\": 4000}]}");
        assertEquals(200, made.statusCode(), made.body());
        long version = flag().get("version").asLong();
        String keysBefore = send("GET /api/v1/checkout-tokens/keys", "").body();
        int audited = auditEntries();
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        int index = 0;
        for (String operation : OWN.keySet()) {
            for (String body : bodies(operation, index++, random)) {
                sent++;
                long started = System.nanoTime();
                HttpResponse<String> r = send(operation, body);
                long ms = (System.nanoTime() - started) / 1_000_000;
                String problem = judge(operation, r, ms);
                if (problem != null) {
                    failures.add(operation + " <- " + shown(body) + ": " + problem + ": " + r.statusCode() + " " + shown(r.body()));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " bodies were not refused as they should be:\n"
                + String.join("\n", failures));
        assertTrue(sent > 400, "bodies sent: " + sent);

        HttpResponse<String> health = send("GET /healthz", "");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText(), health.body());
        assertEquals(version, flag().get("version").asLong(), "a refused body changed the flag: " + flag());
        assertEquals(audited, auditEntries(), "a refused body was audited");
        assertEquals(keysBefore.replaceAll("\"ageSeconds\":\\d+", ""),
                send("GET /api/v1/checkout-tokens/keys", "").body().replaceAll("\"ageSeconds\":\\d+", ""),
                "a refused body rotated the checkout token keys");
    }

    /**
     * The control API and OFREP read a body as sent: one sent with a {@code Content-Encoding} is a 415
     * naming that header, not JSON read from compressed bytes (a 400 on the body) or taken as if the
     * header were not there.
     */
    @Test
    void aBodyWithAContentEncodingIsRefusedNamingTheHeader() throws Exception {
        byte[] json = "{\"reason\": \"encoded\"}".getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write(json);
        }
        int audited = auditEntries();
        for (String path : List.of("/api/v1/guardrails/banner-guard/disarm", "/ofrep/v1/evaluate/flags/offer-banner")) {
            String key = path.startsWith("/ofrep/") ? keys.get("/ofrep/") : keys.get("/api/");
            for (Map.Entry<String, byte[]> sent : Map.of("gzip", zipped.toByteArray(), "br", json).entrySet()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(sent.getValue())).header("Content-Type", "application/json")
                        .header("Content-Encoding", sent.getKey()).header("Authorization", "Bearer " + key).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(415, r.statusCode(), path + " " + sent.getKey() + ": " + r.body());
                assertEquals("Content-Encoding", JSON.readTree(r.body()).path("field").asText(), r.body());
            }
        }
        assertEquals(audited, auditEntries(), "a body sent encoded was taken");
    }

    /** What is wrong with the answer to a body that should be refused, or null when nothing is. */
    private static String judge(String operation, HttpResponse<String> r, long ms) throws Exception {
        int status = r.statusCode();
        if (ms > 3000) {
            return "took " + ms + " ms";
        }
        if (status == 200 && operation.equals("POST /ofrep/v1/evaluate/flags")) {
            // A bulk evaluation answers each flag it cannot evaluate in the list, with its errorCode.
            for (JsonNode f : JSON.readTree(r.body()).path("flags")) {
                if (!f.hasNonNull("errorCode")) {
                    return "a flag evaluated for a body that names no unit";
                }
            }
            return null;
        }
        if (status < 400 || status >= 500) {
            return "not a 4xx";
        }
        if (status == 429 || status == 413) {
            return null;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        boolean ofrep = operation.contains("/ofrep/");
        JsonNode answer = JSON.readTree(r.body());
        for (String inside : new String[]{"Exception", "java.", "io.edgedeck", "Source:", "\tat "}) {
            if (r.body().contains(inside)) {
                return "the answer names the node's insides (" + inside + ")";
            }
        }
        if (ofrep && type.startsWith("application/json")) {
            return answer.hasNonNull("errorCode") ? null : "an OFREP error without errorCode";
        }
        if (!type.startsWith("application/problem+json")) {
            return "not a problem document (" + type + ")";
        }
        if (status == 400 && answer.path("field").asText("").isEmpty()) {
            return "a 400 naming no field";
        }
        return null;
    }

    private static String shown(String s) {
        return s.length() > 140 ? s.substring(0, 140) + "..." : s;
    }
}
