package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.server.ingest.IngestLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.edgedeck.simulator.server.LiveNodeFixture.chattr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node whose ingest log cannot be written, then can again while no batch comes: {@code /healthz}
 * and {@code /metrics} say the ingest lane fails while it does, and the node finds out by itself that
 * the log can be written again, within a few seconds, with nothing sent. The log holds the batches it
 * acknowledged, in order, and nothing else. And a live node whose ingest log stopped for good says so
 * as well, and refuses batches at once until it is started again.
 */
class IngestWritesRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "ingest-recovery",
             "pops": [{"id": "fra", "region": "eu"}]}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static String checkout(String id, String checkoutId) {
        return "[{\"id\":\"" + id + "\",\"type\":\"checkout\",\"checkoutId\":\"" + checkoutId
                + "\",\"pop\":\"fra\",\"state\":\"authorised\"}]";
    }

    private HttpResponse<String> ingest(String id, String checkoutId) throws Exception {
        return live.send("POST", "/ingest/v1/events", live.key("ingest-key"), checkout(id, checkoutId));
    }

    private JsonNode health() throws Exception {
        return JSON.readTree(live.send("GET", "/healthz", "", null).body());
    }

    private String ingestState() throws Exception {
        HttpResponse<String> r = live.send("GET", "/metrics", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        List<String> lines = r.body().lines().filter(l -> l.startsWith("edgedeck_ingest_state{")).toList();
        assertEquals(2, lines.size(), r.body());
        return String.join("\n", lines);
    }

    @Test
    void anIdleNodeFindsItsIngestLogWritableAgainByItself(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        Path log = dir.resolve("ingest.log");
        assertEquals(200, ingest("a1", "co-1").statusCode());
        assertEquals("edgedeck_ingest_state{state=\"ok\"} 1\nedgedeck_ingest_state{state=\"failing\"} 0", ingestState());
        long sizeBefore = Files.size(log);
        LiveNodeFixture.immutable(log);
        try {
            HttpResponse<String> refused = ingest("a2", "co-2");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("ingest-failing", health().get("status").asText());
            assertEquals("edgedeck_ingest_state{state=\"ok\"} 0\nedgedeck_ingest_state{state=\"failing\"} 1", ingestState());
            // The node's tries (every 2 s) keep failing while the file cannot be written: still failing after some.
            Thread.sleep(4_500);
            JsonNode still = health();
            assertEquals("ingest-failing", still.get("status").asText(), still.toString());
            assertTrue(still.get("ingest").get("detail").asText().contains("Operation not permitted"), still.toString());
            HttpResponse<String> again = ingest("a2", "co-2");
            assertEquals(503, again.statusCode(), again.body());
        } finally {
            chattr("-i", log);
        }
        // Nothing is sent: the node finds out by itself.
        long fixed = System.nanoTime();
        JsonNode healed = health();
        while (!"ok".equals(healed.get("status").asText()) && System.nanoTime() - fixed < 15_000_000_000L) {
            Thread.sleep(100);
            healed = health();
        }
        assertEquals("ok", healed.get("status").asText(), "an idle node still says, 15 s after the log can be written: " + healed);
        assertTrue(!healed.has("ingest"), healed.toString());
        assertEquals("edgedeck_ingest_state{state=\"ok\"} 1\nedgedeck_ingest_state{state=\"failing\"} 0", ingestState());
        // Its tries left nothing in the log.
        assertEquals(sizeBefore, Files.size(log));

        assertEquals(200, ingest("a3", "co-3").statusCode());
        live.stopNode();
        assertEquals(List.of("0:a1", "1:a3"), idsIn(log));
    }

    /**
     * While the ingest log cannot be written, a batch and a one-click checkout are each answered 503
     * problem+json with a {@code Retry-After} of the node's next try of the log, a detail saying to send
     * it again then, and a count on {@code /metrics}; once the log can be written, the same batch and
     * the same token are taken.
     */
    @Test
    void aBatchAndACheckoutNotTakenAreToldWhenToSendAgainAndCounted(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG.replace("}]}", "}], \"checkoutTokens\": {\"ttlSeconds\": 600}}"), dir);
        live.start();
        Path log = dir.resolve("ingest.log");
        HttpResponse<String> issued = live.send("POST", "/api/v1/checkout-tokens", live.key("token"), "{\"targetingKey\":\"viewer-1\"}");
        assertEquals(200, issued.statusCode(), issued.body());
        String checkout = "{\"token\":\"" + JSON.readTree(issued.body()).get("token").asText()
                + "\",\"targetingKey\":\"viewer-1\",\"pop\":\"fra\"}";
        LiveNodeFixture.immutable(log);
        try {
            HttpResponse<String> batch = ingest("a1", "co-1");
            assertEquals(503, batch.statusCode(), batch.body());
            assertTrue(batch.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    batch.headers().toString());
            assertEquals("2", batch.headers().firstValue("Retry-After").orElse(null), "the sender is told when the node tries again");
            assertTrue(batch.body().contains("the batch was not taken: the ingest log could not be written")
                    && batch.body().contains("send it again with the same ids in 2 s"), batch.body());
            HttpResponse<String> redeemed = live.send("POST", "/ingest/v1/checkouts", live.key("ingest-key"), checkout);
            assertEquals(503, redeemed.statusCode(), redeemed.body());
            assertEquals("2", redeemed.headers().firstValue("Retry-After").orElse(null));
            assertTrue(redeemed.body().contains("the checkout was not taken: the ingest log could not be written")
                    && redeemed.body().contains("send it again with the same token in 2 s"), redeemed.body());
            String metrics = live.send("GET", "/metrics", live.key("read-key"), null).body();
            assertTrue(metrics.contains("\nedgedeck_ingest_not_taken_batches_total 1\n"), metrics);
            assertTrue(metrics.contains("\nedgedeck_ingest_checkouts_not_taken_total 1\n"), metrics);
        } finally {
            chattr("-i", log);
        }
        long fixed = System.nanoTime();
        while (!"ok".equals(health().get("status").asText()) && System.nanoTime() - fixed < 15_000_000_000L) {
            Thread.sleep(100);
        }
        assertEquals(200, ingest("a1", "co-1").statusCode());
        HttpResponse<String> redeemed = live.send("POST", "/ingest/v1/checkouts", live.key("ingest-key"), checkout);
        assertEquals(200, redeemed.statusCode(), "the token was given back: " + redeemed.body());
    }

    /** Waits until the checkout row's {@code not-taken} is over, with nothing sent: still counted once, over after it came. */
    private void awaitCheckoutRowOver() throws Exception {
        io.edgedeck.simulator.fleet.Eventually.await("the row's not-taken is over", java.time.Duration.ofSeconds(30),
                java.time.Duration.ofMillis(20), () -> notTakenOn("checkout").path("overAtMillis").asLong() > 0);
        JsonNode over = notTakenOn("checkout");
        assertEquals(1, over.path("count").asLong(), "still counted: " + over);
        assertTrue(over.path("overAtMillis").asLong() >= over.path("lastAtMillis").asLong(), over.toString());
    }

    /** The {@code not-taken} error of the ingest lane's row of {@code kind}, or null. */
    private JsonNode notTakenOn(String kind) throws Exception {
        JsonNode sources = JSON.readTree(live.send("GET", "/api/v1/sources", live.key("token"), null).body());
        return SourcesRows.error(SourcesRows.row(sources, "ingest", kind), "not-taken");
    }

    /**
     * A batch answered 503 {@code not-taken} (the ingest log could not be written) leaves its kind's row failing while
     * the log cannot be written, and over once it can, found by the node's own try with nothing sent and no event of
     * that kind since: still counted, and the console's row is no longer amber for it.
     */
    @Test
    void aRowFailingForABatchNotTakenIsOverOnceTheLogCanBeWrittenAgain(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        Path log = dir.resolve("ingest.log");
        LiveNodeFixture.immutable(log);
        try {
            HttpResponse<String> refused = ingest("a1", "co-1");
            assertEquals(503, refused.statusCode(), refused.body());
            JsonNode failing = notTakenOn("checkout");
            assertTrue(failing != null && failing.path("count").asLong() == 1, String.valueOf(failing));
            assertEquals(0, failing.path("overAtMillis").asLong(), "failing while the log cannot be written: " + failing);
        } finally {
            chattr("-i", log);
        }
        awaitCheckoutRowOver();
    }

    /**
     * A batch answered 503 {@code not-taken} because the journal could not be written (the ingest log could) leaves its
     * kind's row failing while the journal cannot be written, the show's own records failing too; once the file can be
     * written again, the show's clock record (every second, smaller than the checkout) does not end it, as a small write
     * proves nothing for a larger one; a journal write as large as the refused one does.
     */
    @Test
    void aRowFailingForABatchTheJournalRefusedIsOverOnceTheJournalCanBeWrittenAgain(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        Path journal = dir.resolve("journal.jsonl");
        LiveNodeFixture.immutable(journal);
        try {
            // A queued checkout is journaled (an authorised one is not: the ingest log holds it).
            HttpResponse<String> refused = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                    checkout("a1", "co-1").replace("authorised", "queued"));
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("the journal cannot be written"), refused.body());
            JsonNode failing = notTakenOn("checkout");
            assertTrue(failing != null && failing.path("count").asLong() == 1, String.valueOf(failing));
            assertTrue(failing.path("lastMessage").asText().contains("the journal cannot be written"), failing.toString());
            // The show's clock record is tried every second and fails: a failed write is no sign the cause has passed.
            Thread.sleep(2_500);
            JsonNode still = notTakenOn("checkout");
            assertEquals(0, still.path("overAtMillis").asLong(), "failing while the journal cannot be written: " + still);
        } finally {
            chattr("-i", journal);
        }
        Thread.sleep(2_500);
        JsonNode small = notTakenOn("checkout");
        assertEquals(0, small.path("overAtMillis").asLong(), "only the show's small clock records written since: " + small);
        String three = "[" + String.join(",", List.of(
                checkout("a2", "co-2").replace("authorised", "queued"),
                checkout("a3", "co-3").replace("authorised", "queued"),
                checkout("a4", "co-4").replace("authorised", "queued")).stream()
                .map(b -> b.substring(1, b.length() - 1)).toList()) + "]";
        HttpResponse<String> taken = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), three);
        assertEquals(200, taken.statusCode(), taken.body());
        awaitCheckoutRowOver();
    }

    /**
     * The ingest log's writer thread stops on an error (here a scrub's callback runs out of memory):
     * {@code /healthz} and {@code /metrics} say the ingest lane fails, and a batch is refused at once
     * with a 503 naming why, never left to wait out its timeout. What was acknowledged is kept.
     */
    @Test
    void aNodeWhoseIngestWriterStoppedSaysSoAndRefusesBatchesAtOnce(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        assertEquals(200, ingest("a1", "co-1").statusCode());
        IngestLog log = live.node().intake().orElseThrow().log();
        var scrub = log.scrub(Long.MAX_VALUE, payload -> {
            throw new OutOfMemoryError("test");
        });
        assertThrows(ExecutionException.class, () -> scrub.get(5, TimeUnit.SECONDS));

        HttpResponse<String> healthz = live.send("GET", "/healthz", "", null);
        assertEquals(503, healthz.statusCode(), "only a new start mends it: a supervisor must see it " + healthz.body());
        JsonNode h = JSON.readTree(healthz.body());
        assertEquals("ingest-stopped", h.get("status").asText(), h.toString());
        assertEquals("stopped", h.get("ingest").get("status").asText(), h.toString());
        assertTrue(h.get("ingest").get("detail").asText().contains("until the node is started again"), h.toString());
        assertEquals("edgedeck_ingest_state{state=\"ok\"} 0\nedgedeck_ingest_state{state=\"failing\"} 1", ingestState());
        long sent = System.nanoTime();
        HttpResponse<String> refused = ingest("a2", "co-2");
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("takes no more batches"), refused.body());
        assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null), "only a new start mends it: " + refused.body());
        String detail = JSON.readTree(refused.body()).get("detail").asText();
        assertTrue(detail.endsWith("; the node must be started again, then send it again with the same ids (Retry-After: 30)"), detail);
        assertEquals(1, detail.split("started again", -1).length - 1, "said once: " + detail);
        assertTrue(tookMillis < 2_000, "refused after " + tookMillis + " ms");

        live.stopNode();
        assertEquals(List.of("0:a1"), idsIn(dir.resolve("ingest.log")));
        live.start();
        assertEquals("ok", health().get("status").asText(), "a node started again takes batches again");
        assertEquals(200, ingest("a3", "co-3").statusCode());
    }

    /** The events' ids in the ingest log, each after its record's ordinal ({@code 0:a1}); the log is sound. */
    private static List<String> idsIn(Path log) throws Exception {
        List<String> ids = new ArrayList<>();
        try (IngestLog read = IngestLog.open(log, (ordinal, at, payload, scrubbed) -> {
            for (JsonNode e : readTree(payload)) {
                ids.add(ordinal + ":" + e.get("id").asText());
            }
        })) {
            assertTrue(read.damage().isEmpty(), read.damage().toString());
        }
        return ids;
    }

    private static JsonNode readTree(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An OFREP exposure is counted as it is served; one the ingest log could not then take is counted as such, not lost unsaid. */
    @Test
    void anExposureTheLogCouldNotTakeIsNotCountedAndSaysSo(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir);
        live.start();
        Path log = dir.resolve("ingest.log");
        LiveNodeFixture.immutable(log);
        try {
            HttpResponse<String> eval = live.send("POST", "/ofrep/v1/evaluate/flags/offer-banner", live.key("read-key"),
                    "{\"context\":{\"targetingKey\":\"viewer-9\"}}");
            assertEquals(200, eval.statusCode(), eval.body());
            LiveNodeFixture.await("the exposure the log could not take is said", () -> metrics()
                    .contains("edgedeck_ingest_exposures_not_durable_total 1\n"));
            // Counted only once durable: live it counts as it will after a restart, not at all.
            assertTrue(metrics().contains("edgedeck_ingest_events_total{kind=\"exposure\",outcome=\"accepted\"} 0\n"),
                    "an exposure that is not durable is not counted");
        } finally {
            chattr("-i", log);
        }
        HttpResponse<String> again = live.send("POST", "/ofrep/v1/evaluate/flags/offer-banner", live.key("read-key"),
                "{\"context\":{\"targetingKey\":\"viewer-10\"}}");
        assertEquals(200, again.statusCode(), again.body());
        LiveNodeFixture.await("an exposure the log takes again counts", () -> metrics()
                .contains("edgedeck_ingest_events_total{kind=\"exposure\",outcome=\"accepted\"} 1\n"));
    }

    /**
     * A unit that polls the bulk evaluation with its ETag, whose exposure the ingest log could not
     * take: its next poll is answered 200, not 304, and logs the exposure again, so once the log can
     * be written it counts, once.
     */
    @Test
    void anExposureTheLogCouldNotTakeIsLoggedAgainOnTheUnitsNextPoll(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir);
        live.start();
        Path log = dir.resolve("ingest.log");
        String context = "{\"context\":{\"targetingKey\":\"viewer-9\"}}";
        String etag;
        LiveNodeFixture.immutable(log);
        try {
            HttpResponse<String> first = poll(context, null);
            assertEquals(200, first.statusCode(), first.body());
            etag = first.headers().firstValue("ETag").orElseThrow();
            LiveNodeFixture.await("the exposure the log could not take is said", () -> metrics()
                    .contains("edgedeck_ingest_exposures_not_durable_total 1\n"));
        } finally {
            chattr("-i", log);
        }
        // The unit polls as a provider does, with the ETag it holds: the answer it would get is unchanged.
        String[] newer = new String[1];
        LiveNodeFixture.await("a poll after the exposure was not made durable is answered 200", () -> {
            HttpResponse<String> again = poll(context, etag);
            newer[0] = again.headers().firstValue("ETag").orElse(null);
            return again.statusCode() == 200;
        });
        LiveNodeFixture.await("the unit's exposure counts once the log takes it", () -> metrics()
                .contains("edgedeck_ingest_events_total{kind=\"exposure\",outcome=\"accepted\"} 1\n"));
        assertEquals(304, poll(context, newer[0]).statusCode(), "nothing is left to log: the ETag matches again");
        String m = metrics();
        assertTrue(m.contains("edgedeck_ingest_events_total{kind=\"exposure\",outcome=\"accepted\"} 1\n"), m);
        assertTrue(m.contains("edgedeck_ingest_exposures_not_durable_total 1\n"), m);
    }

    private HttpResponse<String> poll(String context, String ifNoneMatch) {
        try {
            var request = live.request("POST", "/ofrep/v1/evaluate/flags", live.key("read-key"), context);
            if (ifNoneMatch != null) {
                request = java.net.http.HttpRequest.newBuilder(request, (n, v) -> true).header("If-None-Match", ifNoneMatch).build();
            }
            return live.http().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String metrics() {
        try {
            return live.send("GET", "/metrics", live.key("read-key"), null).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
