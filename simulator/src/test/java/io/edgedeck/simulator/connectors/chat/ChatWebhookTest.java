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
}
