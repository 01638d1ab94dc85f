package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node on loopback, fed over its ingest API and OFREP like a real show's apps would feed it.
 * About 350 lines: one node per test and one scenario each, sharing its start-up and feed helpers.
 */
class LiveIngestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "live-test",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "triggers": [{"id": "hot-buyer", "kinds": ["click", "click", "click"], "count": 3, "withinSeconds": 20,
                           "ordered": false, "action": "surface-checkout"}],
             "ingest": {"maxBatchEvents": 600, "maxBatchBytes": 65536, "maxEventsPerSecond": %d%s}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private EdgeNode node;
    private String admin;
    private String read;
    private String ingest;

    private void start(Path dir, long rate) throws Exception {
        start(dir, rate, "");
    }

    /** A node whose {@code ingest} has {@code more} fields (each after a comma) besides the test's limits. */
    private void start(Path dir, long rate, String more) throws Exception {
        start(dir, rate, more, Duration.ofSeconds(10));
    }

    /** As {@link #start(Path, long, String)}, a command or batch waiting at most {@code actionTimeout} for the engine. */
    private void start(Path dir, long rate, String more, Duration actionTimeout) throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.formatted(rate, more).getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir).withActionTimeout(actionTimeout));
        admin = Files.readString(node.tokenFile()).trim();
        read = Files.readString(node.readKeyFile()).trim();
        ingest = Files.readString(node.ingestKeyFile()).trim();
    }

    @AfterEach
    void stop() {
        http.close();
        if (node != null) {
            node.close();
        }
    }

    private HttpResponse<String> post(String path, String key, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ingest(String body) throws Exception {
        return post("/ingest/v1/events", ingest, body, Map.of("Content-Type", "application/json"));
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    private PopMetrics pop(String id) {
        MetricsFrame f = node.latestFrame();
        return f == null ? null : f.pops().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private VariantMetrics variant(String flag, String variant) {
        MetricsFrame f = node.latestFrame();
        return f == null ? null : f.variants().stream().filter(v -> v.flag().equals(flag) && v.variant().equals(variant))
                .findFirst().orElse(null);
    }

    private static String latencies(String prefix, int n, String pop) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            out.add("{\"id\":\"" + prefix + i + "\",\"type\":\"latency\",\"pop\":\"" + pop + "\",\"ms\":" + (20 + i % 7) + "}");
        }
        return out.toString();
    }

    @Test
    void aBatchMovesTheTilesAndADuplicateBatchCountsOnce(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        String batch = latencies("a-", 400, "iad");
        HttpResponse<String> first = ingest(batch);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(400, json(first).get("accepted").asInt());
        await("iad counts the 400 requests", () -> pop("iad") != null && pop("iad").requests() == 400);
        HttpResponse<String> again = ingest(batch);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(0, json(again).get("accepted").asInt());
        assertEquals(400, json(again).get("duplicates").asInt());
        Thread.sleep(600);
        assertEquals(400, pop("iad").requests(), "a re-sent batch counts once");
        assertEquals(0, pop("fra").requests());
        assertEquals(400, node.intake().orElseThrow().stats().kind("latency").accepted());
    }

    @Test
    void ndjsonAndGzipAreTakenAndEveryShapeCounts(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        String ndjson = IngestSamples.everyShape("offer-banner");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(ndjson.getBytes(StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                .header("Authorization", "Bearer " + ingest).header("Content-Type", "application/x-ndjson")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(6, json(r).get("accepted").asInt(), r.body());
        await("the treatment counts the exposure and the conversion", () -> {
            VariantMetrics t = variant("offer-banner", "treatment");
            return t != null && t.exposures() == 1 && t.conversions() == 1 && t.chatMessages() == 1;
        });
        assertEquals(19.99, variant("offer-banner", "treatment").conversionValue(), 1e-9);
        await("fra shows the queued checkout and both requests", () -> pop("fra").pendingCheckouts() == 1 && pop("fra").requests() >= 1);
        await("the lost request shows as loss once its second ends", () -> pop("fra").lossRatio() > 0);
    }

    @Test
    void everyKeyOpensItsOwnLaneOnly(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        String event = "[{\"id\":\"k-1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10}]";
        String eval = "{\"context\":{\"targetingKey\":\"u-1\"}}";
        // ingest: only the ingest key
        assertEquals(200, ingest(event).statusCode());
        assertEquals(403, post("/ingest/v1/events", admin, event, Map.of()).statusCode());
        assertEquals(403, post("/ingest/v1/events", read, event, Map.of()).statusCode());
        assertEquals(401, post("/ingest/v1/events", "not-a-key", event, Map.of()).statusCode());
        assertEquals(401, post("/ingest/v1/events", null, event, Map.of()).statusCode());
        // the ingest key reads nothing
        HttpResponse<String> ofrep = post("/ofrep/v1/evaluate/flags/offer-banner", ingest, eval, Map.of());
        assertEquals(403, ofrep.statusCode());
        assertEquals("wrong-lane", JSON.readTree(ofrep.body()).path("reason").asText(), ofrep.body());
        assertEquals("application/problem+json", ofrep.headers().firstValue("Content-Type").orElse(""));
        assertEquals(403, post("/ofrep/v1/evaluate/flags/offer-banner", null, eval, Map.of("X-API-Key", ingest)).statusCode());
        assertEquals(403, get("/metrics", ingest).statusCode());
        assertEquals(403, get("/api/v1/flags", ingest).statusCode());
        assertEquals(403, get("/api/v1/ingest/stats", ingest).statusCode());
        // the read key reads, and changes nothing
        assertEquals(200, post("/ofrep/v1/evaluate/flags/offer-banner", read, eval, Map.of()).statusCode());
        assertEquals(200, get("/metrics", read).statusCode());
        assertEquals(200, get("/api/v1/ingest/stats", read).statusCode());
        assertEquals(403, get("/api/v1/flags", read).statusCode());
        // the admin token
        assertEquals(200, get("/api/v1/flags", admin).statusCode());
        assertEquals(200, get("/api/v1/ingest/stats", admin).statusCode());
        assertEquals(403, post("/ofrep/v1/evaluate/flags/offer-banner", admin, eval, Map.of()).statusCode());
        // strangers
        assertEquals(401, get("/metrics", "nope").statusCode());
        assertEquals(401, get("/api/v1/flags", "nope").statusCode());
        assertEquals(401, post("/ofrep/v1/evaluate/flags/offer-banner", "nope", eval, Map.of()).statusCode());
        assertTrue(Files.readString(node.ingestKeyFile()).trim().length() >= 40);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(node.ingestKeyFile())));
        // Every file of the data directory is owner-only from its creation: the ingest log and the journal hold viewers' ids.
        java.util.Map<String, String> modes = new java.util.TreeMap<>();
        try (var files = Files.list(node.dataDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try {
                    modes.put(f.getFileName().toString(), java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
                    // a snapshot's temporary file, renamed into place by the running node after the listing
                }
            }
        }
        assertTrue(modes.keySet().containsAll(java.util.List.of("ingest.log", "journal.jsonl", "live-epoch", "node.lock")), modes.toString());
        assertTrue(modes.values().stream().allMatch("rw-------"::equals), modes.toString());
    }

    @Test
    void aNodeStartedOnAnIngestLogOfANewerFormatRefusesToStartNamingTheFile(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        assertEquals(200, ingest(latencies("format-", 1, "fra")).statusCode());
        node.close();
        node = null;
        Path log = dir.resolve("ingest.log");
        assertEquals("1\n", Files.readString(dir.resolve("ingest.log.format")));
        Files.writeString(dir.resolve("ingest.log.format"), "2\n");
        EdgeNode.StartException refused = org.junit.jupiter.api.Assertions.assertThrows(EdgeNode.StartException.class,
                () -> start(dir, 1_000_000));
        assertTrue(refused.getMessage().startsWith("the ingest log " + log + " is in format 2"), refused.getMessage());
    }

    @Test
    void tooLargeIs413AndOverTheRateIs429WithRetryAfter(@TempDir Path dir) throws Exception {
        start(dir, 500);
        HttpResponse<String> tooMany = ingest(latencies("m-", 601, "fra"));
        assertEquals(413, tooMany.statusCode(), tooMany.body());
        assertTrue(json(tooMany).get("detail").asText().contains("at most 600"), tooMany.body());
        String huge = "[" + "{\"id\":\"big\",\"type\":\"chat\",\"text\":\"" + "x".repeat(70_000) + "\"}]";
        HttpResponse<String> tooBig = ingest(huge);
        assertEquals(413, tooBig.statusCode(), tooBig.body());
        // 500 events/s with a one-second burst: batches of 500 sent back to back run into the limit.
        long started = System.nanoTime();
        long taken = 0;
        HttpResponse<String> limited = null;
        for (int b = 0; b < 20 && limited == null; b++) {
            HttpResponse<String> r = ingest(latencies("r" + b + "-", 500, "fra"));
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(200, r.statusCode(), r.body());
                taken += 500;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertNotNull(limited, "20 batches of 500 at once must pass a limit of 500 events/s");
        assertTrue(taken <= 500 + 500 * Math.ceil(seconds), taken + " events taken in " + seconds + " s");
        assertEquals("application/problem+json", limited.headers().firstValue("Content-Type").orElse(""));
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        Thread.sleep(retryAfter * 1000 + 100);
        long expected = taken + 500;
        assertEquals(200, ingest(latencies("again-", 500, "fra")).statusCode(), "after Retry-After a batch is taken");
        await("every batch taken counted", () -> pop("fra").requests() == expected);
    }

    /** The value of the unlabelled sample {@code name} on {@code /metrics}. */
    private long metric(String name) throws Exception {
        HttpResponse<String> m = get("/metrics", read);
        assertEquals(200, m.statusCode(), m.body());
        return m.body().lines().filter(l -> l.startsWith(name + " ")).map(l -> Long.parseLong(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not on /metrics"));
    }

    @Test
    void pastMaxHeldBytesABatchIs503WithRetryAfterAndNothingOfItIsLoggedOrCounted(@TempDir Path dir) throws Exception {
        // The bound is one batch of the largest size: two batches of 45 KB cannot both be held.
        start(dir, 1_000_000, ", \"maxHeldBytes\": 65536");
        String first = latencies("held-batch-number-one-", 600, "fra");
        String second = latencies("held-batch-number-two-", 600, "fra");
        assertTrue(first.length() <= 65536 && first.length() + second.length() > 65536, first.length() + " bytes each");
        assertEquals(65536, metric("edgedeck_ingest_held_max_bytes"));
        Path log = node.dataDir().resolve("ingest.log");
        // The engine thread is held (a long pause, a slow machine): the first batch waits for it.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        LiveNodeFixture.holdEngine(node.runner(), release);
        try {
            long logged = Files.size(log);
            var waiting = http.sendAsync(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ingest)
                    .POST(HttpRequest.BodyPublishers.ofString(first)).build(), HttpResponse.BodyHandlers.ofString());
            // /metrics is rendered on the engine thread: while it is held, the node is asked in-process.
            var held = node.intake().orElseThrow().held();
            await("the first batch is held", () -> held.batches() == 1);
            assertEquals(first.length(), held.bytes());
            var refusing = http.sendAsync(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ingest)
                    .POST(HttpRequest.BodyPublishers.ofString(second)).build(), HttpResponse.BodyHandlers.ofString());
            // Answered at once, while the engine is still held.
            HttpResponse<String> refused = refusing.get(5, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(json(refused).get("detail").asText().contains("ingest.maxHeldBytes (65536)"), refused.body());
            assertEquals(1, held.batches(), "the refused batch is not held");
            release.countDown();
            HttpResponse<String> taken = waiting.get(20, TimeUnit.SECONDS);
            assertEquals(200, taken.statusCode(), taken.body());
            assertEquals(600, json(taken).get("accepted").asInt(), taken.body());
            assertEquals(1, metric("edgedeck_ingest_held_refused_batches_total"));
            // Where the other 503s are: the node's ingest stats, and the lane's row of each kind the batch held.
            JsonNode stats = json(get("/api/v1/ingest/stats", read));
            assertEquals(1, stats.get("heldRefusedBatches").asLong(), stats.toString());
            SourceStatus latency = ingestSource("latency");
            assertEquals(1, latency.errorCount("held-full"), latency.toString());
            assertEquals("a batch was answered 503, not taken: the node held " + first.length() + " bytes of batches not yet"
                    + " applied, and this batch's " + second.length() + " would have passed ingest.maxHeldBytes (65536); nothing of"
                    + " it counts until it is sent again",
                    latency.errors().stream().filter(e -> e.reason().equals("held-full")).findFirst().orElseThrow().lastMessage());
            assertEquals(0, ingestSource("step").errorTotal(), "a kind the batch did not hold is not told of it");
            // A batch after the refused one: the log holds the first batch and this one, nothing of the refused one.
            String probe = latencies("after-", 1, "fra");
            assertEquals(200, ingest(probe).statusCode());
            assertEquals(logged + 16 + first.length() + 16 + probe.length(), Files.size(log), "no record of the refused batch");
            await("nothing is held once applied", () -> {
                try {
                    return metric("edgedeck_ingest_held_bytes") == 0 && metric("edgedeck_ingest_held_batches") == 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            // Sent again, the refused batch is new to the node: none of its events counted before.
            HttpResponse<String> again = ingest(second);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(600, json(again).get("accepted").asInt(), again.body());
            assertEquals(0, json(again).get("duplicates").asInt(), again.body());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBatchNoEventOfWhichCanBeReadIsRefused400AtTheBoundAndCountedAsRefusedThereNotAsUnreadable(@TempDir Path dir)
            throws Exception {
        start(dir, 1_000_000, ", \"maxHeldBytes\": 65536");
        String first = latencies("held-batch-number-one-", 600, "fra");
        StringJoiner teleports = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 600; i++) {
            teleports.add("{\"id\":\"an-event-no-node-can-read-" + i + "\",\"type\":\"teleport\"}");
        }
        String unreadable = teleports.toString();
        assertTrue(first.length() + unreadable.length() > 65536, unreadable.length() + " bytes");
        Path log = node.dataDir().resolve("ingest.log");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        LiveNodeFixture.holdEngine(node.runner(), release);
        var intake = node.intake().orElseThrow();
        try {
            var waiting = http.sendAsync(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + ingest)
                    .POST(HttpRequest.BodyPublishers.ofString(first)).build(), HttpResponse.BodyHandlers.ofString());
            await("the first batch is held", () -> intake.held().batches() == 1);
            long logged = Files.size(log);
            // Sent again it would be refused again, whatever the node holds: a 400 at once, not a 503 to wait out.
            HttpResponse<String> none = ingest(unreadable);
            assertEquals(400, none.statusCode(), none.body());
            assertEquals("[0].type", json(none).get("field").asText(), none.body());
            assertTrue(none.headers().firstValue("Retry-After").isEmpty(), none.body());
            assertEquals(1, intake.held().refused(), "counted as a batch refused at the bound, as every other one there is");
            assertEquals(logged, Files.size(log), "in no record");
            release.countDown();
            assertEquals(200, waiting.get(20, TimeUnit.SECONDS).statusCode());
        } finally {
            release.countDown();
        }
        await("nothing is held once applied", () -> intake.held().batches() == 0);
        assertEquals(1, metric("edgedeck_ingest_held_refused_batches_total"));
        assertEquals(1, json(get("/api/v1/ingest/stats", read)).get("heldRefusedBatches").asLong());
        // Its events are in no record, so they are not counted as unreadable: now, and so after a restart too.
        assertEquals(0, metric("edgedeck_ingest_unreadable_events_total"));
        node.close();
        node = null;
        start(dir, 1_000_000, ", \"maxHeldBytes\": 65536");
        assertEquals(0, metric("edgedeck_ingest_unreadable_events_total"));
        assertEquals(600, json(get("/api/v1/ingest/stats", read)).get("kinds").get(2).get("accepted").asLong());
    }

    @Test
    void aBatchNotAppliedInTimeIs503WithRetryAfterCountedOnMetricsAndCountsOnceWhenSentAgain(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000, "", Duration.ofSeconds(1));
        String clicks = """
                [{"id":"late-0","type":"step","name":"click","targetingKey":"viewer-7"},
                 {"id":"late-1","type":"step","name":"click","targetingKey":"viewer-7"},
                 {"id":"late-2","type":"step","name":"click","targetingKey":"viewer-8"}]""";
        var intake = node.intake().orElseThrow();
        late(clicks, late -> {
            assertEquals("application/problem+json", late.headers().firstValue("Content-Type").orElse(""));
            assertEquals("1", late.headers().firstValue("Retry-After").orElse(null), "a sender is told when to send it again");
            assertTrue(json(late).get("detail").asText().contains("send it again with the same ids in 1 s"), late.body());
            // /metrics is rendered on the engine thread: while it is held, the node is asked in-process.
            assertEquals(1, intake.notAppliedInTime());
            assertEquals(1, intake.held().batches(), "the batch still waits for the engine");
        });
        assertEquals(1, metric("edgedeck_ingest_not_applied_in_time_batches_total"));
        // Where the other ingest figures are: the node's ingest stats, and the lane's row of each kind the batch held.
        JsonNode stats = json(get("/api/v1/ingest/stats", read));
        assertEquals(1, stats.get("notAppliedInTimeBatches").asLong(), stats.toString());
        assertEquals(0, stats.get("notTakenBatches").asLong(), stats.toString());
        assertEquals(0, stats.get("checkoutsNotAppliedInTime").asLong(), stats.toString());
        assertEquals(0, stats.get("checkoutsNotTaken").asLong(), stats.toString());
        SourceStatus steps = ingestSource("step");
        assertEquals(1, steps.errorCount("not-applied-in-time"), steps.toString());
        assertEquals("a batch was answered 503, not applied within 1 s: it counts once the node catches up",
                steps.errors().stream().filter(e -> e.reason().equals("not-applied-in-time")).findFirst().orElseThrow().lastMessage());
        assertEquals(0, ingestSource("latency").errorTotal(), "a kind the batch did not hold is not told of it");
        // Applied since: the row is no longer failing for it, though no event of its kind came after the 503.
        java.util.function.Supplier<SourceStatus.ErrorCount> late = () -> ingestSource("step").errors().stream()
                .filter(e -> e.reason().equals("not-applied-in-time")).findFirst().orElseThrow();
        await("the row says the late batch was applied", () -> late.get().over());
        SourceStatus.ErrorCount applied = late.get();
        assertTrue(ingestSource("step").lastEventMillis() < applied.lastAtMillis(), "its newest event came before the 503");
        // Sent again as told: its events counted once, when the node caught up.
        HttpResponse<String> again = ingest(clicks);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(0, json(again).get("accepted").asInt(), again.body());
        assertEquals(3, json(again).get("duplicates").asInt(), again.body());
    }

    @Test
    void aBatchSentAgainAfterA503CountsItsRefusedEventsOnceLiveAndAfterARestart(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000, "", Duration.ofSeconds(1));
        // Taken; unreadable (a number for a text); out of range as read (1e400); out of range for the core (-5); refused
        // by the core (an unknown PoP); and one with no id, which cannot be told apart from another.
        String batch = """
                [{"id":"again-0","type":"step","name":"click","targetingKey":"viewer-7"},
                 {"id":"again-1","type":"step","name":"click","targetingKey":7},
                 {"id":"again-2","type":"latency","pop":"fra","ms":1e400},
                 {"id":"again-3","type":"latency","pop":"fra","ms":-5},
                 {"id":"again-4","type":"latency","pop":"lhr","ms":3},
                 {"type":"latency","pop":"lhr","ms":4}]""";
        late(batch, late -> { });
        String once = ingestFigures();
        assertTrue(once.contains("edgedeck_ingest_unreadable_events_total 1\n"), once);
        assertTrue(once.contains("edgedeck_ingest_events_total{kind=\"latency\",outcome=\"refused\"} 4\n"), once);
        // Sent again as the 503 said: answered as the first time would have been, and nothing counted again but the
        // refusal of the event with no id.
        HttpResponse<String> again = ingest(batch);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(1, json(again).get("duplicates").asInt(), again.body());
        assertEquals(5, json(again).get("refused").size(), again.body());
        String twice = ingestFigures();
        assertTrue(twice.contains("edgedeck_ingest_unreadable_events_total 1\n"), twice);
        assertTrue(twice.contains("edgedeck_ingest_events_total{kind=\"latency\",outcome=\"refused\"} 5\n"), twice);
        assertEquals(0, ingestSource("step").errorCount("refused"), "an unreadable event is on no kind's row");
        assertEquals(5, ingestSource("latency").errorCount("refused"), ingestSource("latency").toString());
        // A corrected event with a refused id is taken: a refusal never makes a duplicate.
        HttpResponse<String> corrected = ingest("[{\"id\":\"again-4\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":3}]");
        assertEquals(1, json(corrected).get("accepted").asInt(), corrected.body());
        String before = ingestFigures();
        // Started again on its data directory: the ingest log read back says the same.
        node.close();
        node = null;
        start(dir, 1_000_000, "", Duration.ofSeconds(1));
        assertEquals(before, ingestFigures());
        // And the same batch sent once more, within the dedupe window, still counts nothing again but the id-less refusal.
        assertEquals(200, ingest(batch).statusCode());
        assertTrue(ingestFigures().contains("edgedeck_ingest_events_total{kind=\"latency\",outcome=\"refused\"} 6\n"));
    }

    @Test
    void anIdSentAgainWithAnotherFaultIsCountedAgainAndItsRowNamesTheNewReasonLiveAndAfterARestart(@TempDir Path dir)
            throws Exception {
        start(dir, 1_000_000);
        // Refused by the core for its ms; its sender fixes ms and sends the same id, now at a PoP the node does not run.
        String negative = "[{\"id\":\"fix-1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":-5}]";
        String unknownPop = "[{\"id\":\"fix-1\",\"type\":\"latency\",\"pop\":\"lhr\",\"ms\":3}]";
        // Unreadable for its targetingKey, then, that fixed, for its name: each a fault of its own (each batch with an
        // event that is taken, as a batch none of whose events can be read is refused whole).
        String numberKey = "[{\"id\":\"fix-2\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":7},"
                + "{\"id\":\"fine-1\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"viewer-7\"}]";
        String numberName = "[{\"id\":\"fix-2\",\"type\":\"step\",\"name\":7,\"targetingKey\":\"viewer-7\"},"
                + "{\"id\":\"fine-2\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"viewer-7\"}]";
        String refusedLatency = "edgedeck_ingest_events_total{kind=\"latency\",outcome=\"refused\"}";
        for (String batch : java.util.List.of(negative, unknownPop, numberKey, numberName)) {
            HttpResponse<String> answer = ingest(batch);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(1, json(answer).get("refused").size(), answer.body());
        }
        assertEquals(2, metric(refusedLatency), "the same id refused for another fault is counted");
        assertEquals(2, metric("edgedeck_ingest_unreadable_events_total"));
        SourceStatus latency = ingestSource("latency");
        assertEquals(2, latency.errorCount("refused"), latency.toString());
        String newest = latency.errors().stream().filter(e -> e.reason().equals("refused")).findFirst().orElseThrow().lastMessage();
        assertTrue(newest.startsWith("pop "), "the row names the newest fault, not the one fixed: " + newest);
        // The same faults sent again (the batches resent) count once each.
        for (String batch : java.util.List.of(negative, unknownPop, numberKey, numberName)) {
            assertEquals(200, ingest(batch).statusCode());
        }
        assertEquals(2, metric(refusedLatency));
        assertEquals(2, metric("edgedeck_ingest_unreadable_events_total"));
        String before = ingestFigures();
        // Started again on its data directory: the ingest log read back says the same, and a resend still counts nothing.
        node.close();
        node = null;
        start(dir, 1_000_000);
        assertEquals(before, ingestFigures());
        for (String batch : java.util.List.of(unknownPop, numberName)) {
            assertEquals(200, ingest(batch).statusCode());
        }
        assertEquals(2, metric(refusedLatency));
        assertEquals(2, metric("edgedeck_ingest_unreadable_events_total"));
    }

    /** What is checked of an answer. */
    @FunctionalInterface
    private interface Answered {
        void check(HttpResponse<String> answer) throws Exception;
    }

    /**
     * Sends {@code batch} while the engine thread is held (a long pause, a slow machine) past its timeout: answered
     * 503, checked by {@code whileHeld} before the engine is let go; returns once the batch has been applied.
     */
    private void late(String batch, Answered whileHeld) throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        LiveNodeFixture.holdEngine(node.runner(), release);
        try {
            HttpResponse<String> late = ingest(batch);
            assertEquals(503, late.statusCode(), late.body());
            whileHeld.check(late);
        } finally {
            release.countDown();
        }
        var intake = node.intake().orElseThrow();
        await("the late batch is applied", () -> intake.held().batches() == 0);
    }

    /** The ingest counts of /metrics that a restart reads back: events by kind and outcome, duplicates, unreadable. */
    private String ingestFigures() throws Exception {
        HttpResponse<String> m = get("/metrics", read);
        assertEquals(200, m.statusCode(), m.body());
        StringBuilder out = new StringBuilder();
        m.body().lines().filter(l -> l.startsWith("edgedeck_ingest_events_total{") || l.startsWith("edgedeck_ingest_duplicate_events_total ")
                || l.startsWith("edgedeck_ingest_unreadable_events_total ")).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    @Test
    void aSubSecondTimeoutIsSaidInMillisecondsAndABatchNoEventOfWhichCanBeReadIsRefusedNotSentAgain(@TempDir Path dir)
            throws Exception {
        start(dir, 1_000_000, "", Duration.ofMillis(400));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        LiveNodeFixture.holdEngine(node.runner(), release);
        var intake = node.intake().orElseThrow();
        try {
            HttpResponse<String> late = ingest("[{\"id\":\"ms-0\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"v\"}]");
            assertEquals(503, late.statusCode(), late.body());
            assertTrue(json(late).get("detail").asText().startsWith("the batch was not applied within 400 ms;"), late.body());
            // No event of this batch can ever be read: sending it again cannot help, whatever holds the node up.
            HttpResponse<String> none = ingest("[{\"id\": \"u-0\", \"type\": \"teleport\"}, {\"id\": \"u-1\", \"type\": \"teleport\"}]");
            assertEquals(400, none.statusCode(), none.body());
            assertEquals("[0].type", json(none).get("field").asText(), none.body());
            assertTrue(none.headers().firstValue("Retry-After").isEmpty(), none.body());
        } finally {
            release.countDown();
        }
        await("nothing is held once applied", () -> intake.held().batches() == 0);
        // Its events are counted once, as the node's figures say after a restart (the batch is in the log).
        assertEquals(2, metric("edgedeck_ingest_unreadable_events_total"));
    }

    @Test
    void aMalformedEventIsNamedByIndexAndFieldAndTheRestCounts(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        HttpResponse<String> partial = ingest("""
                [{"id": "p-0", "type": "latency", "pop": "fra", "ms": 12},
                 {"type": "latency", "pop": "fra", "ms": "fast", "id": "p-1"},
                 {"id": "p-2", "type": "latency", "pop": "lhr", "ms": 12},
                 {"id": "p-3", "type": "teleport"},
                 {"id": "p-4", "type": "exposure", "flag": "offer-banner", "variant": "purple", "targetingKey": "u"},
                 {"id": "p-5", "type": "latency", "pop": "fra", "ms": 14}]""");
        assertEquals(200, partial.statusCode(), partial.body());
        JsonNode answer = json(partial);
        assertEquals(2, answer.get("accepted").asInt());
        JsonNode refused = answer.get("refused");
        assertEquals(4, refused.size(), partial.body());
        assertRefused(refused.get(0), 1, "p-1", "ms", "must be a number");
        assertRefused(refused.get(1), 2, "p-2", "pop", "unknown PoP 'lhr'");
        assertRefused(refused.get(2), 3, "p-3", "type", "unknown type 'teleport'");
        assertRefused(refused.get(3), 4, "p-4", "variant", "no variant 'purple'");
        // The ingest lane among the node's sources: per kind, what counted and what the core refused, naming the field.
        SourceStatus latency = ingestSource("latency");
        assertEquals(2, latency.events(), latency.toString());
        assertEquals(1, latency.errorCount("refused"), latency.toString());
        assertTrue(latency.errors().getFirst().lastMessage().startsWith("pop unknown PoP 'lhr'"), latency.toString());
        assertEquals(1, ingestSource("exposure").errorCount("refused"));
        assertEquals(0, ingestSource("chat").events());

        HttpResponse<String> none = ingest("[{\"id\": \"n-0\", \"type\": \"latency\", \"ms\": [1]}]");
        assertEquals(400, none.statusCode(), none.body());
        assertEquals("[0].ms", json(none).get("field").asText(), none.body());
        HttpResponse<String> syntax = ingest("[{\"id\": \"s-0\", \"type\": \"latency\", \"ms\": 1}, {\"id\": ");
        assertEquals(400, syntax.statusCode());
        assertEquals("[1]", json(syntax).get("field").asText(), syntax.body());
        HttpResponse<String> brokenLine = ingest("{\"id\": \"l-0\", \"type\": \"latency\", \"pop\": \"fra\", \"ms\": 3}\n{oops\n");
        assertEquals(200, brokenLine.statusCode(), brokenLine.body());
        assertRefused(json(brokenLine).get("refused").get(0), 1, null, "json", "not valid JSON");
        assertEquals(400, ingest("").statusCode());
    }

    private SourceStatus ingestSource(String kind) {
        return node.sources().stream().filter(s -> s.kind().equals("ingest") && s.name().equals(kind)).findFirst().orElseThrow();
    }

    private static void assertRefused(JsonNode r, int index, String id, String field, String reason) {
        assertEquals(index, r.get("index").asInt(), r.toString());
        if (id != null) assertEquals(id, r.get("id").asText(), r.toString());
        assertEquals(field, r.get("field").asText(), r.toString());
        assertTrue(r.get("reason").asText().contains(reason), r.toString());
    }

    @Test
    void ofrepEvaluationsAreExposuresOncePerUnitAndFlagVersion(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        int units = 200;
        for (int i = 0; i < units; i++) {
            String ctx = "{\"context\":{\"targetingKey\":\"viewer-" + i + "\",\"pop\":\"" + (i % 2 == 0 ? "fra" : "iad") + "\"}}";
            assertEquals(200, post("/ofrep/v1/evaluate/flags/offer-banner", read, ctx, Map.of()).statusCode());
            assertEquals(200, post("/ofrep/v1/evaluate/flags", read, ctx, Map.of()).statusCode(), "a bulk evaluation too");
        }
        await("every unit is exposed once", () -> {
            VariantMetrics c = variant("offer-banner", "control");
            VariantMetrics t = variant("offer-banner", "treatment");
            return c != null && t != null && c.exposures() + t.exposures() == units;
        });
        long treatment = variant("offer-banner", "treatment").exposures();
        assertTrue(treatment > 60 && treatment < 140, "a 50/50 split of 200 units, was " + treatment);
        // A conversion counts for the variant the unit was served.
        JsonNode served = json(post("/ofrep/v1/evaluate/flags/offer-banner", read, "{\"context\":{\"targetingKey\":\"viewer-7\"}}", Map.of()));
        String variant = served.get("variant").asText();
        long before = variant("offer-banner", variant).conversions();
        assertEquals(200, ingest("[{\"id\":\"c-7\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"viewer-7\"}]").statusCode());
        await("the conversion counts for " + variant, () -> variant("offer-banner", variant).conversions() == before + 1);
        assertEquals(units, node.intake().orElseThrow().stats().kind("exposure").accepted());
    }

    @Test
    void aTriggerOnRealSessionsIsAnsweredAndEvaluatesTrueWhilePending(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        String eval = "{\"context\":{\"targetingKey\":\"viewer-9\"}}";
        JsonNode before = json(post("/ofrep/v1/evaluate/flags/trigger.hot-buyer", read, eval, Map.of()));
        assertFalse(before.get("value").asBoolean(), before.toString());
        String clicks = "[{\"id\":\"t-1\",\"type\":\"conversion\",\"name\":\"click\",\"targetingKey\":\"viewer-9\"},"
                + "{\"id\":\"t-2\",\"type\":\"conversion\",\"name\":\"click\",\"targetingKey\":\"viewer-9\"}]";
        JsonNode two = json(ingest(clicks));
        assertEquals(0, two.get("actions").size(), two.toString());
        JsonNode three = json(ingest("[{\"id\":\"t-3\",\"type\":\"conversion\",\"name\":\"click\",\"targetingKey\":\"viewer-9\"}]"));
        assertEquals(1, three.get("actions").size(), three.toString());
        JsonNode action = three.get("actions").get(0);
        assertEquals("viewer-9", action.get("targetingKey").asText());
        assertEquals("hot-buyer", action.get("trigger").asText());
        assertEquals("surface-checkout", action.get("action").asText());
        JsonNode after = json(post("/ofrep/v1/evaluate/flags/trigger.hot-buyer", read, eval, Map.of()));
        assertTrue(after.get("value").asBoolean(), after.toString());
        JsonNode other = json(post("/ofrep/v1/evaluate/flags/trigger.hot-buyer", read, "{\"context\":{\"targetingKey\":\"viewer-10\"}}", Map.of()));
        assertFalse(other.get("value").asBoolean(), "another unit has nothing pending");
        JsonNode bulk = json(post("/ofrep/v1/evaluate/flags", read, eval, Map.of()));
        boolean listed = false;
        for (JsonNode f : bulk.get("flags")) {
            if (f.get("key").asText().equals("trigger.hot-buyer")) listed = f.get("value").asBoolean();
        }
        assertTrue(listed, bulk.toString());
        String metrics = get("/metrics", read).body();
        assertTrue(metrics.contains("edgedeck_trigger_latency_seconds{trigger=\"hot-buyer\",quantile=\"0.99\"}"), metrics);
        assertTrue(metrics.contains("edgedeck_trigger_firings_total{trigger=\"hot-buyer\"} 1"), metrics);
        assertTrue(metrics.contains("edgedeck_ingest_events_total{kind=\"conversion\",outcome=\"accepted\"} 3"), metrics);
        JsonNode stats = json(get("/api/v1/ingest/stats", read));
        assertEquals(3, stats.get("kinds").get(1).get("accepted").asLong(), stats.toString());
        assertNotNull(stats.get("kinds").get(1).get("lastSeenEpochMillis"));
    }

    @Test
    void aLiveNodeHasNoSimulatedTrafficAndJudgesHealthFromWhatItSees(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        Thread.sleep(1500);
        MetricsFrame f = node.latestFrame();
        assertNotNull(f);
        assertEquals(0, f.events().total(), "no audience plays on a live node");
        assertTrue(f.pops().stream().allMatch(p -> p.requests() == 0));
        HttpResponse<String> cue = post("/api/v1/show/cues", admin, "{\"type\":\"pop-outage\",\"pops\":[\"fra\"],\"magnitude\":0,"
                + "\"durationSeconds\":60,\"operator\":\"ben\"}", Map.of("Content-Type", "application/json"));
        assertEquals(400, cue.statusCode(), cue.body());
        assertTrue(cue.body().contains("live node"), cue.body());
    }

    @Test
    void aRehearsalIsNotStartedOnALiveNodesDirectory(@TempDir Path dir) throws Exception {
        start(dir, 1_000_000);
        node.close();
        node = null;
        var show = io.edgedeck.simulator.show.ShowDefinition.of(io.edgedeck.simulator.scenario.ScenarioCatalog.load("steady-show"));
        EdgeNode.StartException e = org.junit.jupiter.api.Assertions.assertThrows(EdgeNode.StartException.class,
                () -> EdgeNode.start(new EdgeNode.Config(show, 1, InetAddress.getLoopbackAddress(), 0, dir)));
        assertTrue(e.getMessage().contains("live node"), e.getMessage());
    }
}
