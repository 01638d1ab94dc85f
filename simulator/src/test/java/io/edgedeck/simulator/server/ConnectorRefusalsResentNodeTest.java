package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record the core refuses, pushed again by its sender (a lost answer, a retry, a 503 while the engine
 * was held), is answered refused each time and counted once on the connector's row and the core's, as
 * the ingest API counts it on /metrics, whatever number its reason carries (how far ahead its {@code at}
 * is); after a restart the rows say the same, and the record sent again then still counts once.
 */
class ConnectorRefusalsResentNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bridge-secret-for-the-test";
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "refusals-resent", "pops": [{"id": "fra", "region": "eu"}],
             "connectors": {"chatWebhooks": [{"name": "bridge", "secret": "%s"}]}}""".formatted(SECRET);
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private JsonNode push(String body) throws Exception {
        HttpResponse<String> r = send(body);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String body) throws Exception {
        return live.http().send(HttpRequest.newBuilder(live.node().baseUri().resolve("/connectors/chat/bridge"))
                .header("X-EdgeDeck-Secret", SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long refusedOnMetrics() throws Exception {
        String metrics = live.send("GET", "/metrics", live.key("read-key"), null).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "edgedeck_ingest_events_total\\{kind=\"chat\",outcome=\"refused\"} (\\d+)").matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private long refusedAt(String kind, String name) throws Exception {
        return errorCount(kind, name, "refused-at");
    }

    private long errorCount(String kind, String name, String reason) throws Exception {
        for (JsonNode e : row(kind, name).path("errors")) {
            if (e.path("reason").asText().equals(reason)) {
                return e.path("count").asLong();
            }
        }
        return 0;
    }

    private JsonNode row(String kind, String name) throws Exception {
        JsonNode sources = JSON.readTree(live.send("GET", "/api/v1/sources", live.key("token"), null).body());
        for (JsonNode s : sources.has("sources") ? sources.get("sources") : sources) {
            if (s.path("kind").asText().equals(kind) && s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no row " + kind + " " + name + " in " + sources);
    }

    private void assertCountedOnce(String when) throws Exception {
        assertEquals(1, refusedAt("chat-webhook", "bridge"), when + ": the connector's row counts the refusal once");
        assertEquals(1, refusedAt("core", "keyed-intake"), when + ": the core's row counts the refusal once");
        String metrics = live.send("GET", "/metrics", live.key("read-key"), null).body();
        assertTrue(metrics.contains("edgedeck_ingest_events_total{kind=\"chat\",outcome=\"refused\"} 1"), when + ": " + metrics);
    }

    @Test
    void aRefusedRecordSentAgainCountsOnceOnItsRowsLiveAndAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String body = "{\"id\": \"old-1\", \"text\": \"a backlog\", \"at\": " + (System.currentTimeMillis() - 3_600_000) + "}\n";
        for (int i = 0; i < 2; i++) {
            JsonNode answer = push(body);
            assertEquals(1, answer.get("refused").asInt(), "each send is answered refused: " + answer);
            assertEquals(1, answer.path("refusedByReason").path("refused-at").asInt(), answer.toString());
        }
        assertCountedOnce("live");

        live.stopNode();
        live.start();
        assertCountedOnce("after a restart");
        assertEquals(1, push(body).get("refused").asInt());
        assertCountedOnce("sent again after the restart");
    }

    @Test
    void aRefusedRecordWhoseFirstSendTimedOutCountsOnceOnItsRows(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String body = "{\"id\": \"late-1\", \"text\": \"a backlog\", \"at\": " + (System.currentTimeMillis() - 3_600_000) + "}\n";
        // The engine is held past the time a connector's batch waits for it: the first send is answered 503, though
        // it is durable, and is refused once the engine runs again, with no one to hear of it.
        HttpResponse<String> busy = LiveNodeFixture.whileEngineHeld(live.node().runner(), () -> send(body));
        assertEquals(503, busy.statusCode(), busy.body());
        assertTrue(busy.body().contains("node-busy"), busy.body());
        LiveNodeFixture.await("the first send is refused once applied", () -> {
            try {
                return refusedOnMetrics() == 1;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JsonNode answer = push(body);
        assertEquals(1, answer.get("refused").asInt(), "the resend is answered refused: " + answer);
        assertCountedOnce("the first send timed out");

        live.stopNode();
        live.start();
        assertCountedOnce("after a restart");
    }

    @Test
    void aBatchAnswered503AndTakenLateCountsItsBadLinesOnceWhetherOrNotItIsSentAgain(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String body = "{\"id\": \"late-good\", \"text\": \"taken late\", \"at\": " + System.currentTimeMillis() + "}\n"
                + "not a record\n";
        // Answered 503 while the engine is held, and taken once it runs again: a sender that gives up after a 503
        // never sends it again, and its bad line is counted all the same.
        HttpResponse<String> busy = LiveNodeFixture.whileEngineHeld(live.node().runner(), () -> send(body));
        assertEquals(503, busy.statusCode(), busy.body());
        LiveNodeFixture.await("the batch answered 503 is taken and its good line counted", () -> {
            try {
                return row("chat-webhook", "bridge").path("events").asLong() == 1;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, errorCount("chat-webhook", "bridge", "malformed-line"), "the bad line of a batch taken late counts");
        JsonNode again = push(body);
        assertEquals(1, again.get("refused").asInt(), "the resend is answered with its bad line: " + again);
        assertEquals(1, errorCount("chat-webhook", "bridge", "malformed-line"), "sent again, the bad line still counts once");
    }

    @Test
    void aRecordAheadOfTheNodesClockSentAgainASecondLaterCountsOnce(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        // Ten minutes ahead: each send is refused as so many ms ahead of the node's clock, a number that changes.
        String body = "{\"id\": \"ahead-1\", \"text\": \"from a fast clock\", \"at\": " + (System.currentTimeMillis() + 600_000)
                + "}\n";
        JsonNode first = push(body);
        assertEquals(1, first.path("refusedByReason").path("refused-at").asInt(), first.toString());
        // Sent again until its reason says another number of ms (the node's clock moved on), each send refused.
        String said = first.path("lines").get(0).path("detail").asText();
        JsonNode again = push(body);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (again.path("lines").get(0).path("detail").asText().equals(said)) {
            assertTrue(System.nanoTime() < deadline, "the reason never said another number: " + said);
            again = push(body);
        }
        assertEquals(1, again.path("refusedByReason").path("refused-at").asInt(), again.toString());
        assertTrue(again.toString().contains("ahead of the node's clock"), "the sender is still told why: " + again);
        assertCountedOnce("live");

        live.stopNode();
        live.start();
        assertCountedOnce("after a restart");
    }
}
