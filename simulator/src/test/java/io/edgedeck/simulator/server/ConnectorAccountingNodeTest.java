package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a live node's Sources rows and push answers say of its intake: each row counts only what came
 * its own way, before and after a restart; a record sent again is a duplicate, not accepted, and
 * counted as one on its row; a line that is not UTF-8 is refused alone, naming the field, before two
 * ids can become one, and the good lines beside it are taken.
 */
class ConnectorAccountingNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CDN_SECRET = "cdn-secret-for-the-test";
    private static final String CHAT_SECRET = "chat-secret-for-the-test";
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "accounting", "pops": [{"id": "fra", "region": "eu"}],
             "connectors": {
               "cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "%s", "pops": {"FRA": "fra"}}],
               "chatWebhooks": [{"name": "youtube", "secret": "%s"}]}}""".formatted(CDN_SECRET, CHAT_SECRET);
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private HttpResponse<String> push(String path, String secret, byte[] body) throws Exception {
        return live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve(path)).header("X-EdgeDeck-Secret", secret)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> cdn(String body) throws Exception {
        return push("/connectors/cdn/cloudflare", CDN_SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String ray(String id) {
        return "{\"RayID\": \"" + id + "\", \"EdgeColoCode\": \"FRA\", \"EdgeTimeToFirstByteMs\": 20, \"EdgeResponseStatus\": 200,"
                + " \"EdgeStartTimestamp\": " + System.currentTimeMillis() + "}\n";
    }

    private JsonNode row(String kind, String name) throws Exception {
        return SourcesRows.row(JSON.readTree(live.send("GET", "/api/v1/sources", live.key("token"), null).body()), kind, name);
    }

    private void assertRows(String when) throws Exception {
        assertEquals(1, row("ingest", "latency").get("events").asLong(), when + ": the ingest row counts the app's latency only");
        assertEquals(1, row("ingest", "chat").get("events").asLong(), when + ": the ingest row counts the app's chat only");
        JsonNode cdn = row("cdn-logs", "cloudflare");
        assertEquals(2, cdn.get("events").asLong(), when + ": " + cdn);
        assertTrue(cdn.get("lastEventMillis").asLong() > 0, when + ": " + cdn);
        JsonNode chat = row("chat-webhook", "youtube");
        assertEquals(2, chat.get("events").asLong(), when + ": " + chat);
        assertTrue(chat.get("lastEventMillis").asLong() > 0, when + ": " + chat);
        JsonNode core = row("core", "keyed-intake");
        assertEquals(4, core.get("events").asLong(), when + ": the core's row counts what it took from the connectors, " + core);
        assertTrue(core.get("lastEventMillis").asLong() > 0, when + ": " + core);
    }

    @Test
    void eachRowCountsOnlyWhatCameItsOwnWayAndStillDoesAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        long now = System.currentTimeMillis();
        HttpResponse<String> ingested = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"type\": \"latency\", \"id\": \"app-1\", \"pop\": \"fra\", \"ms\": 30, \"status\": 200, \"source\": \"audience\"},"
                        + " {\"type\": \"chat\", \"id\": \"app-chat-1\", \"text\": \"great show\", \"at\": " + now + "}]");
        assertEquals(200, ingested.statusCode(), ingested.body());
        assertEquals(2, JSON.readTree(ingested.body()).get("accepted").asInt(), ingested.body());
        assertEquals(200, cdn(ray("r1") + ray("r2")).statusCode());
        HttpResponse<String> chat = push("/connectors/chat/youtube", CHAT_SECRET, ("{\"id\": \"c1\", \"text\": \"love it\", \"at\": " + now
                + "}\n{\"id\": \"c2\", \"text\": \"best drop\", \"at\": " + now + "}\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, chat.statusCode(), chat.body());
        assertRows("live");

        live.stopNode();
        live.start();
        assertRows("after a restart");
        assertFalse(row("cdn-logs", "cloudflare").get("why").asText().contains("waiting"), "logs came: " + row("cdn-logs", "cloudflare"));
    }

    @Test
    void aRecordSentAgainIsAnsweredAsADuplicateAndNotCountedOnTheRow(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        JsonNode first = JSON.readTree(cdn(ray("z1")).body());
        assertEquals(1, first.get("accepted").asInt(), first.toString());
        assertEquals(0, first.get("duplicates").asInt(), first.toString());
        JsonNode again = JSON.readTree(cdn(ray("z1")).body());
        assertEquals(0, again.get("accepted").asInt(), again.toString());
        assertEquals(1, again.get("duplicates").asInt(), again.toString());
        JsonNode twice = JSON.readTree(cdn(ray("z2") + ray("z2")).body());
        assertEquals(1, twice.get("accepted").asInt(), twice.toString());
        assertEquals(1, twice.get("duplicates").asInt(), twice.toString());
        assertEquals(2, row("cdn-logs", "cloudflare").get("events").asLong(), "z1 and z2, once each");
        assertEquals(2, row("cdn-logs", "cloudflare").path("duplicates").asLong(-1), "z1 again and z2 twice: " + row("cdn-logs", "cloudflare"));
        assertEquals(2, row("core", "keyed-intake").path("duplicates").asLong(-1), row("core", "keyed-intake").toString());
        String event = "[{\"type\": \"latency\", \"id\": \"app-dup\", \"pop\": \"fra\", \"ms\": 30, \"status\": 200}]";
        for (int i = 0; i < 2; i++) {
            assertEquals(200, live.send("POST", "/ingest/v1/events", live.key("ingest-key"), event).statusCode());
        }
        assertEquals(1, row("ingest", "latency").path("duplicates").asLong(-1), row("ingest", "latency").toString());

        // A test upload after real logs does not say the endpoint still waits for them.
        assertEquals(200, cdn("{\"content\": \"test\"}").statusCode());
        String why = row("cdn-logs", "cloudflare").get("why").asText();
        assertFalse(why.contains("waiting") || why.contains("no logs"), why);
    }

    /**
     * A batch the node answered 503 ({@code node-busy}: the engine did not take it in time) and took after all counts on
     * the row once taken; sent again, its sender is told the node holds it (duplicates), and the row counts no duplicate:
     * the resend is the node's doing, not the sender's.
     */
    @Test
    void aBatchAnswered503AndTakenAfterAllIsNoDuplicateWhenSentAgain(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        HttpResponse<String> busy = LiveNodeFixture.whileEngineHeld(live.node().runner(), () -> cdn(ray("late-1")));
        assertEquals(503, busy.statusCode(), busy.body());
        io.edgedeck.simulator.fleet.Eventually.await("the batch answered 503 is taken and counted on its row",
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(20),
                () -> row("cdn-logs", "cloudflare").get("events").asLong() == 1);
        JsonNode again = JSON.readTree(cdn(ray("late-1")).body());
        assertEquals(0, again.get("accepted").asInt(), again.toString());
        assertEquals(1, again.get("duplicates").asInt(), "the sender is told the node holds it: " + again);
        JsonNode cdn = row("cdn-logs", "cloudflare");
        assertEquals(1, cdn.get("events").asLong(), cdn.toString());
        assertEquals(0, cdn.get("duplicates").asLong(), "a resend after the node's own 503 is no duplicate: " + cdn);
        assertEquals(1, errorCount(cdn, "node-busy"), "the late answer is counted: " + cdn);
        assertEquals(0, row("core", "keyed-intake").get("duplicates").asLong(), row("core", "keyed-intake").toString());

        live.stopNode();
        live.start();
        assertEquals(1, row("cdn-logs", "cloudflare").get("events").asLong(), "read back from the ingest log, once");
    }

    /** The body's bytes with each {@code #} made 0xff and each {@code %} 0xfe: text that is not UTF-8. */
    private static byte[] notUtf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '#' || bytes[i] == '%') {
                bytes[i] = (byte) (bytes[i] == '#' ? 0xff : 0xfe);
            }
        }
        return bytes;
    }

    /**
     * A Logpush batch with lines that are not UTF-8 among good ones: the good lines are taken, durably
     * (a restart reads them back), and the answer is a 2xx a shipper takes as delivered, naming each bad
     * line with its field; read leniently, q\xff7 and q\xfe7 would both be q\uFFFD7, one id, so each is
     * refused alone, counted on the connector's row. The same batch retried is answered as duplicates.
     */
    @Test
    void linesThatAreNotUtf8AreRefusedAloneAndTheGoodLinesAreTakenDurably(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        byte[] bytes = notUtf8(ray("ok") + ray("q#7") + ray("q%7") + ray("ok2"));
        HttpResponse<String> r = push("/connectors/cdn/cloudflare", CDN_SECRET, bytes);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(2, answer.get("accepted").asInt(), r.body());
        assertEquals(2, answer.get("refused").asInt(), r.body());
        assertEquals(2, answer.get("refusedByReason").get("not-utf8").asInt(), r.body());
        JsonNode second = answer.get("lines").get(0);
        assertEquals(2, second.get("line").asInt(), r.body());
        assertEquals("RayID", second.get("field").asText(), r.body());
        assertEquals("not-utf8", second.get("reason").asText(), r.body());
        assertEquals("urn:edgedeck:problem:not-utf8", second.get("type").asText(), r.body());
        assertTrue(second.get("detail").asText().startsWith("RayID is not UTF-8 (byte 0xff at byte"), r.body());
        assertEquals(3, answer.get("lines").get(1).get("line").asInt(), r.body());
        JsonNode cdn = row("cdn-logs", "cloudflare");
        assertEquals(2, cdn.get("events").asLong(), cdn.toString());
        assertEquals(2, errorCount(cdn, "not-utf8"), "each bad line is counted on the connector's row: " + cdn);

        JsonNode retried = JSON.readTree(push("/connectors/cdn/cloudflare", CDN_SECRET, bytes).body());
        assertEquals(0, retried.get("accepted").asInt(), retried.toString());
        assertEquals(2, retried.get("duplicates").asInt(), retried.toString());

        live.stopNode();
        live.start();
        assertEquals(2, row("cdn-logs", "cloudflare").get("events").asLong(), "the good lines were durable before the answer");
    }

    /** A chat batch with a bad line among good ones takes the good; a batch of nothing but bad lines is still a 400 problem. */
    @Test
    void aChatBatchOfNothingButLinesThatAreNotUtf8IsRefusedWholeNamingEach(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        long now = System.currentTimeMillis();
        HttpResponse<String> mixed = push("/connectors/chat/youtube", CHAT_SECRET, notUtf8("{\"id\": \"w#1\", \"text\": \"hi\"}\n"
                + "{\"id\": \"w2\", \"text\": \"hello\", \"at\": " + now + "}\n"));
        assertEquals(200, mixed.statusCode(), mixed.body());
        assertEquals(1, JSON.readTree(mixed.body()).get("accepted").asInt(), mixed.body());
        assertEquals("id", JSON.readTree(mixed.body()).get("lines").get(0).get("field").asText(), mixed.body());

        HttpResponse<String> none = push("/connectors/chat/youtube", CHAT_SECRET,
                notUtf8("{\"id\": \"w#3\", \"text\": \"hi\"}\n{\"id\": \"w4\", \"text\": \"h%\"}\n"));
        assertEquals(400, none.statusCode(), none.body());
        assertEquals("application/problem+json", none.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(none.body());
        assertEquals("urn:edgedeck:problem:not-utf8", problem.get("type").asText(), none.body());
        assertEquals("id", problem.get("field").asText(), none.body());
        assertTrue(problem.get("detail").asText().startsWith("line 1: id is not UTF-8"), none.body());
        assertEquals("text", problem.get("lines").get(1).get("field").asText(), none.body());
        JsonNode chat = row("chat-webhook", "youtube");
        assertEquals(1, chat.get("events").asLong(), chat.toString());
        assertEquals(3, errorCount(chat, "not-utf8"), chat.toString());
    }

    private static long errorCount(JsonNode row, String reason) {
        return SourcesRows.errorCount(row, reason);
    }
}
