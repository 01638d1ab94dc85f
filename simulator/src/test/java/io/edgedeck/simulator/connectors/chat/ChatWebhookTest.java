package io.edgedeck.simulator.connectors.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.LoopbackPushServer;
import io.edgedeck.simulator.connectors.RecordingSink;
import io.edgedeck.simulator.connectors.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A chat bridge posting JSON over real HTTP on loopback. */
class ChatWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordingSink sink = new RecordingSink();
    private final HttpClient http = HttpClient.newHttpClient();
    private LoopbackPushServer server;
    private ChatWebhook webhook;

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String body, String secret) throws Exception {
        if (server == null) {
            webhook = new ChatWebhook(new ChatWebhookConfig("youtube", Secret.of("bridge-secret"), null, "youtube:my-show", null),
                    sink, InstantSource.system());
            webhook.start();
            server = new LoopbackPushServer().mount(webhook.config().path(), webhook::handle);
        }
        return http.send(HttpRequest.newBuilder(server.uri("/connectors/chat/youtube")).header("X-EdgeDeck-Secret", secret)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void messagesBecomeChatAndBadOnesAreNamed() throws Exception {
        String body = """
                [{"id": "yt-1", "text": "this drop is great", "user": "youtube:UC123", "at": "2026-05-01T20:00:00Z", "emotes": ["yt:fire"]},
                 {"id": "yt-2", "text": "so slow", "channel": "youtube:backup", "targetingKey": "viewer-42", "at": 1777665601000},
                 {"text": "no id"},
                 {"id": "yt-4", "text": 42},
                 {"id": "yt-5", "text": "ok", "emotes": "fire"},
                 {"id": "yt-6", "text": "%s"}]""".formatted("x".repeat(2001));
        HttpResponse<String> response = post(body, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(2, answer.get("accepted").asInt());
        assertEquals(Map.of("missing-field", 2, "bad-value", 2), JSON.convertValue(answer.get("refusedByReason"), Map.class));
        assertEquals(List.of(
                new IngestEvent.Chat("chat:youtube:yt-1", 1777665600000L, "this drop is great", null, "youtube:my-show",
                        "youtube:UC123", List.of("yt:fire")),
                new IngestEvent.Chat("chat:youtube:yt-2", 1777665601000L, "so slow", "viewer-42", "youtube:backup", null, null)),
                sink.events());

        assertEquals(401, post("{\"id\":\"a\",\"text\":\"b\"}", "wrong").statusCode());
        assertEquals(2, sink.events().size());
        assertEquals(1, webhook.status().errorCount("bad-secret"));
        assertEquals(2, webhook.status().events());
    }

    /**
     * A user cut in the middle of an emoji (half of a surrogate pair) refuses its message alone, naming
     * the field and the character; the good message beside it is taken. A batch of nothing else is a 400.
     */
    @Test
    void aLoneSurrogateRefusesItsMessageAloneAndABatchOfNothingElseWhole() throws Exception {
        HttpResponse<String> response = post("""
                {"id": "u-1", "text": "fine", "user": "youtube:UC1"}
                {"id": "u-2", "text": "cut", "user": "youtube:x\\udc00"}
                """, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode line = JSON.readTree(response.body()).get("lines").get(0);
        assertEquals(2, line.get("line").asInt(), response.body());
        assertEquals("user", line.path("field").asText(), response.body());
        assertTrue(line.path("detail").asText().contains("U+DC00 at character 10"), response.body());
        assertEquals(List.of("chat:youtube:u-1"), sink.events().stream().map(IngestEvent::id).toList());

        HttpResponse<String> none = post("""
                {"id": "u-3", "text": "cut", "user": "youtube:x\\udc00"}
                """, "bridge-secret");
        assertEquals(400, none.statusCode(), none.body());
        JsonNode problem = JSON.readTree(none.body());
        assertEquals("urn:edgedeck:problem:unpaired-surrogate", problem.path("type").asText(), none.body());
        assertEquals("user", problem.path("field").asText(), none.body());
        assertTrue(problem.path("detail").asText().startsWith("line 1: user must not contain an unpaired surrogate"), none.body());
        assertEquals(1, sink.events().size(), "nothing of it was taken");
    }

    /**
     * A message that sends a field the webhook reads twice is refused alone, naming it, as the ingest API
     * refuses such an event: neither value is taken for the other. A field it does not read may come twice.
     */
    @Test
    void aFieldSentTwiceRefusesItsMessageAloneNamingIt() throws Exception {
        HttpResponse<String> response = post("""
                {"id": "d-1", "text": "fine", "source": "a", "source": "b"}
                {"id": "d-2", "text": "this drop is great", "text": "this drop is awful"}
                {"id": "d-3", "text": "ok", "at": 1777665600000, "at": 1777665601000}
                {"id": "d-4", "id": "d-5", "text": "which one"}
                """, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(Map.of("duplicate-field", 3), JSON.convertValue(answer.get("refusedByReason"), Map.class), response.body());
        List<String> fields = new java.util.ArrayList<>();
        answer.get("lines").forEach(l -> fields.add(l.get("line").asInt() + ":" + l.get("field").asText()));
        assertEquals(List.of("2:text", "3:at", "4:id"), fields, response.body());
        assertEquals("text is sent twice in the record; send each field once", answer.get("lines").get(0).get("detail").asText());
        assertEquals(List.of("chat:youtube:d-1"), sink.events().stream().map(IngestEvent::id).toList());
        assertEquals(3, webhook.status().errorCount("duplicate-field"));

        HttpResponse<String> array = post("""
                [{"id": "d-6", "text": "a", "user": "youtube:UC1", "user": "youtube:UC2"}, {"id": "d-7", "text": "b"}]""",
                "bridge-secret");
        JsonNode inArray = JSON.readTree(array.body()).get("lines").get(0);
        assertEquals(1, inArray.get("line").asInt(), array.body());
        assertEquals("user", inArray.get("field").asText(), array.body());
        assertEquals(List.of("chat:youtube:d-1", "chat:youtube:d-7"), sink.events().stream().map(IngestEvent::id).toList());
    }

    /** Half of a surrogate pair in a field's name is named with that half written as its escape, so the answer is text. */
    @Test
    void aLoneSurrogateInAFieldsNameIsNamedAsItsEscape() throws Exception {
        HttpResponse<String> response = post("""
                {"id": "s-1", "text": "fine"}
                {"id": "s-2", "text": "ok", "meta": {"x\\ud800": 1}}
                """, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode line = JSON.readTree(response.body()).get("lines").get(0);
        assertEquals("meta.x\\uD800", line.path("field").asText(), response.body());
        assertTrue(line.path("detail").asText().startsWith("the field name meta.x\\uD800 must not contain an unpaired surrogate"
                + " (U+D800 at character 2)"), response.body());
        assertEquals(-1, io.edgedeck.simulator.scenario.Surrogates.firstUnpaired(webhook.status().errors().getFirst().lastMessage()),
                "the Sources row holds text");
    }

    /** The answer names refused lines in line order, the core's refusals among the bridge's own. */
    @Test
    void refusedLinesAreNamedInLineOrderWhoeverRefusedThem() throws Exception {
        io.edgedeck.simulator.connectors.EventSink core = batch -> new io.edgedeck.simulator.connectors.EventSink.Taken(
                List.of(new io.edgedeck.simulator.connectors.EventSink.Refusal(0, batch.getFirst().id(), "at",
                        "is older than the dedupe window")), 0);
        webhook = new ChatWebhook(new ChatWebhookConfig("youtube", Secret.of("bridge-secret"), null, "youtube:my-show", null),
                core, InstantSource.system());
        webhook.start();
        server = new LoopbackPushServer().mount(webhook.config().path(), webhook::handle);
        HttpResponse<String> response = post("""
                {"text": "no id"}
                {"id": "o-2", "text": "too old for the core", "at": 1000000000}
                {"id": "o-3", "text": 42}
                {"id": "o-4", "text": "fine"}
                {"id": "o-5"}
                """, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        List<Integer> lines = new java.util.ArrayList<>();
        JSON.readTree(response.body()).get("lines").forEach(l -> lines.add(l.get("line").asInt()));
        assertEquals(List.of(1, 2, 3, 5), lines, response.body());
        assertEquals("refused-at", JSON.readTree(response.body()).get("lines").get(1).path("reason").asText(), response.body());
    }

    @Test
    void aTimeInEpochSecondsIsReadAsSeconds() throws Exception {
        HttpResponse<String> response = post("""
                {"id": "s-1", "text": "seconds", "at": 1777665600}
                {"id": "s-2", "text": "fractional seconds", "at": 1777665600.25}
                {"id": "s-3", "text": "ms", "at": 1777665600500}
                {"id": "s-4", "text": "not a time", "at": true}
                """, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(1777665600000L, 1777665600250L, 1777665600500L),
                sink.events().stream().map(IngestEvent::at).toList());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals("bad-value", answer.get("lines").get(0).get("reason").asText(), response.body());
        assertEquals(4, answer.get("lines").get(0).get("line").asInt(), response.body());
    }

    @Test
    void aMessagePrettyPrintedOrAfterAByteOrderMarkIsOneMessage() throws Exception {
        String pretty = """
                {
                  "id": "p-1",
                  "text": "spread over lines"
                }
                {"id": "p-2", "text": "then one line"}
                """;
        HttpResponse<String> response = post(pretty, "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, JSON.readTree(response.body()).get("accepted").asInt(), response.body());
        HttpResponse<String> bom = post("\uFEFF{\"id\": \"p-3\", \"text\": \"after a BOM\"}", "bridge-secret");
        assertEquals(1, JSON.readTree(bom.body()).get("accepted").asInt(), bom.body());
        assertEquals(List.of("chat:youtube:p-1", "chat:youtube:p-2", "chat:youtube:p-3"),
                sink.events().stream().map(IngestEvent::id).toList());
    }

    @Test
    void oneBrokenLineIsRefusedAloneAndABodyOfNoJsonIsA400() throws Exception {
        HttpResponse<String> response = post("{\"id\": \"b-1\", \"text\": \"fine\"}\n{\"id\": \"b-2\", \"text\n"
                + "{\"id\": \"b-3\", \"text\": \"fine too\"}\n", "bridge-secret");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(2, answer.get("accepted").asInt(), response.body());
        assertEquals(2, answer.get("lines").get(0).get("line").asInt(), response.body());

        HttpResponse<String> none = post("id=b-4&text=form encoded\n", "bridge-secret");
        assertEquals(400, none.statusCode(), none.body());
        assertEquals("urn:edgedeck:problem:malformed-body", JSON.readTree(none.body()).get("type").asText(), none.body());
        assertEquals(2, sink.events().size(), "nothing of the refused body was taken");
    }
}
