package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.MetricsFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static io.edgedeck.simulator.server.LiveNodeFixture.chattr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkout's states on a live node, per checkout id, as docs/LIVE.md describes them: {@code started},
 * then one ending, {@code authorised}, or {@code queued} and later {@code reconciled}. A second ending
 * is refused (in a batch and through a one-click token), a reconciliation is only of a queued checkout,
 * a checkout in flight counts as pending and not as lost, and all of it holds after a restart, when the
 * node reads its ingest log back. And when the ingest log cannot be written, {@code /healthz} says so and
 * the batch's 503 names the cause.
 */
class CheckoutLifecycleNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "checkout-states",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}]}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static String checkout(String id, String checkoutId, String state) {
        return "{\"id\":\"" + id + "\",\"type\":\"checkout\",\"checkoutId\":\"" + checkoutId + "\",\"pop\":\"fra\",\"state\":\"" + state + "\"}";
    }

    private JsonNode ingest(String... events) throws Exception {
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), "[" + String.join(",", events) + "]");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> refusedReasons(JsonNode answer) {
        List<String> out = new ArrayList<>();
        // A checkout id may name a person, so a reason gives its pseudonym: where it stands is what is checked.
        answer.get("refused").forEach(r -> out.add(r.get("index").asInt() + " " + r.get("field").asText() + ": "
                + r.get("reason").asText().replaceFirst("checkout '[^']+'", "checkout X")));
        return out;
    }

    private void awaitCounts(CheckoutCounts expected) throws InterruptedException {
        await("the frame's checkouts are " + expected, () -> {
            MetricsFrame f = live.node().latestFrame();
            return f != null && expected.equals(new CheckoutCounts(f.checkouts().attempted(), f.checkouts().completed(),
                    f.checkouts().queued(), f.checkouts().reconciled(), f.checkouts().lost(), f.checkouts().pending()));
        });
    }

    @Test
    void aCheckoutEndsOnceAndInFlightIsPendingAlsoAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();

        JsonNode twice = ingest(checkout("c5", "co-7", "authorised"), checkout("c6", "co-7", "authorised"));
        assertEquals(1, twice.get("accepted").asInt(), twice.toString());
        assertEquals(List.of("1 checkoutId: checkout X has ended already; a checkout ends once"), refusedReasons(twice));

        JsonNode cycle = ingest(checkout("q1", "co-8", "queued"), checkout("q2", "co-8", "reconciled"),
                checkout("q3", "co-8", "authorised"), checkout("q4", "co-8", "queued"), checkout("q5", "co-8", "reconciled"),
                checkout("q6", "co-8", "started"));
        assertEquals(2, cycle.get("accepted").asInt(), cycle.toString());
        assertEquals(List.of("2 checkoutId: checkout X has ended already; a checkout ends once",
                "3 checkoutId: checkout X has ended already; a checkout ends once",
                "4 checkoutId: checkout X has ended already; a checkout ends once",
                "5 checkoutId: checkout X has ended already; a checkout ends once"), refusedReasons(cycle));

        // A checkout in flight (started, not ended) is pending, never lost.
        assertEquals(1, ingest(checkout("s1", "co-9", "started")).get("accepted").asInt());
        awaitCounts(new CheckoutCounts(3, 1, 1, 1, 0, 1));

        live.stopNode();
        live.start();
        awaitCounts(new CheckoutCounts(3, 1, 1, 1, 0, 1));
        JsonNode after = ingest(checkout("r1", "co-7", "authorised"), checkout("r2", "co-8", "queued"),
                checkout("r3", "co-9", "started"), checkout("r4", "co-9", "authorised"), checkout("r5", "co-9", "queued"));
        assertEquals(1, after.get("accepted").asInt(), after.toString());
        assertEquals(List.of("0 checkoutId: checkout X has ended already; a checkout ends once",
                "1 checkoutId: checkout X has ended already; a checkout ends once",
                "2 checkoutId: checkout X has started already",
                "4 checkoutId: checkout X has ended already; a checkout ends once"), refusedReasons(after));
        awaitCounts(new CheckoutCounts(3, 2, 1, 1, 0, 0));
    }

    @Test
    void aOneClickTokenCannotEndACheckoutAnotherTokenEnded(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String admin = live.key("token");
        String ingestKey = live.key("ingest-key");
        String first = token(admin, "viewer-1");
        String second = token(admin, "viewer-2");

        HttpResponse<String> ok = live.send("POST", "/ingest/v1/checkouts", ingestKey,
                "{\"token\":\"" + first + "\",\"targetingKey\":\"viewer-1\",\"checkoutId\":\"co-1\",\"pop\":\"fra\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> again = live.send("POST", "/ingest/v1/checkouts", ingestKey,
                "{\"token\":\"" + second + "\",\"targetingKey\":\"viewer-2\",\"checkoutId\":\"co-1\",\"pop\":\"fra\"}");
        assertEquals(400, again.statusCode(), again.body());
        JsonNode problem = JSON.readTree(again.body());
        assertEquals("checkoutId", problem.get("field").asText(), again.body());
        assertTrue(problem.get("detail").asText().contains("has ended already"), again.body());
        // The token was not spent on a checkout the node refused: it buys one of its own.
        HttpResponse<String> own = live.send("POST", "/ingest/v1/checkouts", ingestKey,
                "{\"token\":\"" + second + "\",\"targetingKey\":\"viewer-2\",\"checkoutId\":\"co-2\",\"pop\":\"fra\"}");
        assertEquals(200, own.statusCode(), own.body());
        awaitCounts(new CheckoutCounts(2, 2, 0, 0, 0, 0));
    }

    private String token(String admin, String unit) throws Exception {
        HttpResponse<String> r = live.send("POST", "/api/v1/checkout-tokens", admin, "{\"targetingKey\":\"" + unit + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("token").asText();
    }

    @Test
    void anIngestLogThatCannotBeWrittenIsNamedByHealthAndByTheRefusal(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        Path log = dir.resolve("ingest.log");
        assertEquals(1, ingest(checkout("a1", "co-1", "authorised")).get("accepted").asInt());
        LiveNodeFixture.immutable(log);
        try {
            HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                    "[" + checkout("a2", "co-2", "authorised") + "]");
            assertEquals(503, r.statusCode(), r.body());
            String detail = JSON.readTree(r.body()).get("detail").asText();
            assertTrue(detail.contains("Operation not permitted"), detail);
            assertTrue(detail.contains("ingest log"), detail);
            assertFalse(detail.matches(".*[A-Z][a-z]+(Exception|Error).*"), "no Java class names: " + detail);

            HttpResponse<String> health = live.send("GET", "/healthz", "", null);
            assertEquals(200, health.statusCode(), health.body());
            JsonNode h = JSON.readTree(health.body());
            assertEquals("ingest-failing", h.get("status").asText(), health.body());
            assertEquals("failing", h.get("ingest").get("status").asText(), health.body());
            assertTrue(h.get("ingest").get("detail").asText().contains("Operation not permitted"), health.body());
        } finally {
            chattr("-i", log);
        }
        assertEquals(1, ingest(checkout("a2", "co-2", "authorised")).get("accepted").asInt());
        JsonNode healed = JSON.readTree(live.send("GET", "/healthz", "", null).body());
        assertEquals("ok", healed.get("status").asText(), healed.toString());
        assertFalse(healed.has("ingest"), healed.toString());
    }
}
