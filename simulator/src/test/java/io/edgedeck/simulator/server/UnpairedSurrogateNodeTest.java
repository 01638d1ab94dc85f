package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half of a UTF-16 surrogate pair, sent as a JSON escape in a variant's name, a reason or an OFREP
 * context, is refused with a 400 naming the field and the character: it has no UTF-8 form, so the
 * journal could not keep it as sent, and two names that differ only there must never be
 * acknowledged as two. The node starts again on its data afterwards, with everything it took as it
 * took it, a whole emoji included.
 */
class UnpairedSurrogateNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "surrogates",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "banner", "owner": "growth", "control": "control",
                        "variants": [{"name": "control", "weight": 70}, {"name": "treatment", "weight": 30}]}],
             "playbooks": [{"id": "calm-down", "actions": [{"type": "kill", "flag": "banner"}]}]}""";

    private static JsonNode refused(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode p = JSON.readTree(r.body());
        assertEquals(field, p.path("field").asText(null), r.body());
        return p;
    }

    private static JsonNode banner(LiveNodeFixture live, String admin) throws Exception {
        return JSON.readTree(live.send("GET", "/api/v1/flags", admin, null).body()).get(0);
    }

    @Test
    void aLoneSurrogateIsRefusedWhereverTextIsSentAndTheNodeStartsAgainOnWhatItTook(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture live = new LiveNodeFixture(CONFIG, dir)) {
            live.start();
            String admin = live.key("token");
            // Two names that differ only in a lone surrogate: UTF-8 would make them one.
            String detail = refused(live.send("PATCH", "/api/v1/flags/banner", admin, """
                    {"expectedVersion": 1, "reason": "two lone surrogates", "variants": [{"name": "control", "weight": 7000},
                     {"name": "treatment", "weight": 3000}, {"name": "x\\ud800", "weight": 0}, {"name": "x\\udc00", "weight": 0}]}"""),
                    "variants[2].name").path("detail").asText();
            assertTrue(detail.contains("unpaired surrogate (U+D800 at character 2)"), detail);
            refused(live.send("POST", "/api/v1/flags/banner/kill", admin, "{\"reason\": \"lone \\ud800 surrogate\"}"), "reason");
            refused(live.send("POST", "/api/v1/playbooks", admin, """
                    {"id": "p\\udfff", "reason": "ok", "actions": [{"type": "kill", "flag": "banner"}]}"""), "id");
            refused(live.send("POST", "/api/v1/schedule", admin, """
                    {"cue": "drop", "playbook": "calm-down", "reason": "cut \\ud83d"}"""), "reason");
            // A whole pair is text like any other.
            HttpResponse<String> emoji = live.send("PATCH", "/api/v1/flags/banner", admin, """
                    {"expectedVersion": 1, "reason": "ship it \\ud83d\\ude80", "variants": [{"name": "control", "weight": 5000},
                     {"name": "new \\ud83d\\ude80", "weight": 5000}]}""");
            assertEquals(200, emoji.statusCode(), emoji.body());

            HttpResponse<String> ofrep = live.send("POST", "/ofrep/v1/evaluate/flags/banner", live.key("read-key"),
                    "{\"context\": {\"targetingKey\": \"u\\udc00\"}}");
            assertEquals(400, ofrep.statusCode(), ofrep.body());
            JsonNode failure = JSON.readTree(ofrep.body());
            assertEquals("INVALID_CONTEXT", failure.path("errorCode").asText(), ofrep.body());
            assertTrue(failure.path("errorDetails").asText().startsWith("context.targetingKey must not contain an unpaired surrogate"),
                    ofrep.body());
            HttpResponse<String> tenant = live.send("POST", "/ofrep/v1/evaluate/flags", live.key("read-key"),
                    "{\"context\": {\"targetingKey\": \"u1\", \"tenant\": \"\\ud800\"}}");
            assertEquals(400, tenant.statusCode(), tenant.body());
            assertEquals("INVALID_CONTEXT", JSON.readTree(tenant.body()).path("errorCode").asText(), tenant.body());

            // In a field's name: named where it is, with the half written as its escape, not as the whole body.
            JsonNode kill = refused(live.send("POST", "/api/v1/flags/banner/kill", admin,
                    "{\"reason\": \"ok\", \"\\ud800why\": 1}"), "\\uD800why");
            assertTrue(kill.path("detail").asText().startsWith("the field's name must not contain an unpaired surrogate (U+D800"),
                    kill.toString());
            refused(live.send("PATCH", "/api/v1/flags/banner", admin, """
                    {"expectedVersion": 2, "reason": "r", "variants": [{"name": "control", "weight": 5000},
                     {"name": "treatment", "we\\udc00ight": 5000}]}"""), "variants[1].we\\uDC00ight");

            JsonNode before = banner(live, admin);
            JsonNode auditBefore = JSON.readTree(live.send("GET", "/api/v1/audit", admin, null).body());
            assertEquals(2, before.path("version").asLong(), "only the change with the whole emoji was made");
            live.stopNode();

            live.start();
            JsonNode after = banner(live, admin);
            assertEquals(before.path("variants"), after.path("variants"));
            assertEquals("new \uD83D\uDE80", after.path("variants").get(1).path("name").asText());
            assertEquals(auditBefore, JSON.readTree(live.send("GET", "/api/v1/audit", admin, null).body()));
        }
    }

    /**
     * An ingest batch with half of a surrogate pair in an event's text or a field's name is refused whole, naming the
     * event, the field and the character: nothing of it is taken, so the good event in it, sent
     * again alone, is new to the node.
     */
    @Test
    void aLoneSurrogateInAnIngestBatchRefusesTheBatchWhole(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture live = new LiveNodeFixture(CONFIG, dir)) {
            live.start();
            String ingest = live.key("ingest-key");
            String good = "{\"type\": \"chat\", \"id\": \"c1\", \"text\": \"hello\", \"user\": \"u1\"}";
            JsonNode problem = refused(live.send("POST", "/ingest/v1/events", ingest, good + "\n"
                    + "{\"type\": \"chat\", \"id\": \"c2\", \"text\": \"cut \\ud83d\", \"user\": \"u2\"}\n"), "[1].text");
            assertTrue(problem.path("detail").asText().contains("unpaired surrogate (U+D83D at character 5)"), problem.toString());
            refused(live.send("POST", "/ingest/v1/events", ingest, "[" + good + ", {\"type\": \"chat\", \"id\": \"c3\","
                    + " \"text\": \"hi\", \"emotes\": [\"ok\", \"\\udc00\"]}]"), "[1].emotes[1]");
            // In a field's name, known or not, the same, in NDJSON as in an array: the name is written with its escape.
            JsonNode name = refused(live.send("POST", "/ingest/v1/events", ingest, good + "\n"
                    + "{\"type\": \"chat\", \"id\": \"n2\", \"text\": \"hi\", \"x\\ud800\": 1}\n"), "[1].x\\uD800");
            assertTrue(name.path("detail").asText().startsWith("event index 1: the field's name must not contain an unpaired"
                    + " surrogate (U+D800 at character 2)"), name.toString());
            refused(live.send("POST", "/ingest/v1/events", ingest, "[" + good + ", {\"type\": \"chat\", \"id\": \"n3\","
                    + " \"text\": \"hi\", \"meta\": {\"\\udc00\": 1}}]"), "[1].meta.\\uDC00");

            HttpResponse<String> again = live.send("POST", "/ingest/v1/events", ingest, good);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(1, JSON.readTree(again.body()).path("accepted").asInt(), again.body());
        }
    }
}
