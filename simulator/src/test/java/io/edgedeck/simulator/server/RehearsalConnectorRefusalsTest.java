package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal node's connectors count what its core refuses as a live node's do: a record refused again for the same
 * fault within the dedupe window (a sender's retry, a resend after a 503 whose batch was taken after all) is answered
 * refused each time and counted once on the connector's row and the core's; and a record resent after such a 503 is
 * counted as the event it is, not as a duplicate.
 */
class RehearsalConnectorRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bridge-secret-for-the-test";
    private EdgeNode node;
    private HttpClient http;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (http != null) {
            http.close();
        }
    }

    private void start(Path dir) throws Exception {
        ConnectorsConfig connectors = ConnectorsConfig.readNodeConfig("""
                {"name": "rehearsal-refusals", "connectors": {"chatWebhooks": [{"name": "bridge", "secret": "%s"}]}}"""
                .formatted(SECRET));
        ShowDefinition show;
        try (InputStream in = getClass().getResourceAsStream("/io/edgedeck/simulator/server/connectors-show.json")) {
            show = ShowDefinition.of(ScenarioParser.parse(in));
        }
        node = EdgeNode.start(new EdgeNode.Config(show, 1, InetAddress.getLoopbackAddress(), 0, dir).withConnectors(connectors));
        http = HttpClient.newHttpClient();
    }

    private HttpResponse<String> send(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.baseUri().resolve("/connectors/chat/bridge"))
                .header("X-EdgeDeck-Secret", SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode push(String body) throws Exception {
        HttpResponse<String> r = send(body);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode row(String kind, String name) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/sources"))
                .header("Authorization", "Bearer " + Files.readString(node.tokenFile()).trim()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return SourcesRows.row(JSON.readTree(r.body()), kind, name);
    }

    private static long errors(JsonNode row, String reason) {
        return SourcesRows.errorCount(row, reason);
    }

    private void assertRefusedAt(long count, String when) throws Exception {
        assertEquals(count, errors(row("chat-webhook", "bridge"), "refused-at"), when + ": the connector's row " + row("chat-webhook", "bridge"));
        assertEquals(count, errors(row("core", "keyed-intake"), "refused-at"), when + ": the core's row " + row("core", "keyed-intake"));
    }

    @Test
    void aRefusedRecordSentAgainCountsOnceAsOnALiveNode(@TempDir Path dir) throws Exception {
        start(dir);
        String old = "{\"id\": \"old-1\", \"text\": \"a backlog\", \"at\": " + (System.currentTimeMillis() - 3_600_000) + "}\n";
        for (int i = 0; i < 3; i++) {
            JsonNode answer = push(old);
            assertEquals(1, answer.path("refusedByReason").path("refused-at").asInt(), "each send is answered refused: " + answer);
        }
        assertRefusedAt(1, "an hour old, sent three times");

        // Ahead of the node's clock: each send's reason says another number of ms, and it is the same refusal.
        String ahead = "{\"id\": \"ahead-1\", \"text\": \"from a fast clock\", \"at\": " + (System.currentTimeMillis() + 600_000) + "}\n";
        String first = push(ahead).path("lines").get(0).path("detail").asText();
        JsonNode again = push(ahead);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (again.path("lines").get(0).path("detail").asText().equals(first)) {
            assertTrue(System.nanoTime() < deadline, "the reason never said another number: " + first);
            again = push(ahead);
        }
        assertTrue(again.toString().contains("ahead of the node's clock"), again.toString());
        assertRefusedAt(2, "and one ahead of the clock, sent until its reason changed");

        // The same id refused for the same fault under another time counts no more.
        JsonNode other = push("{\"id\": \"old-1\", \"text\": \"a backlog\", \"at\": " + (System.currentTimeMillis() - 7_200_000) + "}\n");
        assertEquals(1, other.path("refusedByReason").path("refused-at").asInt(), other.toString());
        assertRefusedAt(2, "the same id, refused for the same fault under another time");

        // The same id refused for another fault (an emote name too long) is a refusal of its own, counted once however
        // often it is sent.
        String otherFault = "{\"id\": \"old-1\", \"text\": \"a backlog\", \"at\": " + System.currentTimeMillis()
                + ", \"emotes\": [\"" + "e".repeat(65) + "\"]}\n";
        for (int i = 0; i < 2; i++) {
            JsonNode answer = push(otherFault);
            assertEquals(1, answer.path("refusedByReason").path("refused-emotes").asInt(), answer.toString());
        }
        assertEquals(1, errors(row("chat-webhook", "bridge"), "refused-emotes"), row("chat-webhook", "bridge").toString());
        assertEquals(1, errors(row("core", "keyed-intake"), "refused-emotes"), row("core", "keyed-intake").toString());
        assertRefusedAt(2, "and the same id refused for another field");
    }

    @Test
    void aBatchAnswered503AndTakenAfterAllCountsOnceWhenSentAgain(@TempDir Path dir) throws Exception {
        start(dir);
        long now = System.currentTimeMillis();
        String body = "{\"id\": \"late-old\", \"text\": \"a backlog\", \"at\": " + (now - 3_600_000) + "}\n"
                + "{\"id\": \"late-good\", \"text\": \"this drop is great\", \"at\": " + now + "}\n";
        // The engine is held past the time a connector's batch waits for it: the batch is answered 503 and taken once
        // the engine runs again, with no one to hear of it.
        HttpResponse<String> busy = LiveNodeFixture.whileEngineHeld(node.runner(), () -> send(body));
        assertEquals(503, busy.statusCode(), busy.body());
        assertTrue(busy.body().contains("node-busy"), busy.body());
        io.edgedeck.simulator.fleet.Eventually.await("the batch answered 503 is taken", java.time.Duration.ofSeconds(30),
                java.time.Duration.ofMillis(20), () -> row("chat-webhook", "bridge").path("events").asLong() == 1);
        assertRefusedAt(1, "taken after its 503");

        JsonNode again = push(body);
        assertEquals(0, again.get("accepted").asInt(), again.toString());
        assertEquals(1, again.get("duplicates").asInt(), "the sender is told the node holds it: " + again);
        assertEquals(1, again.get("refused").asInt(), again.toString());
        JsonNode bridge = row("chat-webhook", "bridge");
        assertEquals(1, bridge.get("events").asLong(), bridge.toString());
        assertEquals(0, bridge.get("duplicates").asLong(), "a resend after the node's own 503 is no duplicate: " + bridge);
        assertEquals(1, errors(bridge, "node-busy"), bridge.toString());
        JsonNode core = row("core", "keyed-intake");
        assertEquals(1, core.get("events").asLong(), core.toString());
        assertEquals(0, core.get("duplicates").asLong(), core.toString());
        assertRefusedAt(1, "sent again after its 503");

        // A genuine repeat of the sender's (the same record in another batch, sent twice) is still a duplicate.
        String twice = "{\"id\": \"twice\", \"text\": \"love it\", \"at\": " + now + "}\n";
        push(twice);
        push(twice);
        assertEquals(1, row("chat-webhook", "bridge").get("duplicates").asLong(), row("chat-webhook", "bridge").toString());
    }
}
