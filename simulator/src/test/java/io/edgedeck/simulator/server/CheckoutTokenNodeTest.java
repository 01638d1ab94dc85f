package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.operators.OperatorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-click checkout tokens on a live node: issued to an operator's back end, presented on the
 * ingest lane, refused when expired, forged or replayed (each counted by reason in the frame and on
 * /metrics), the signing key rotated by hand and on the node's schedule (journaled, audited), and
 * the keys and used tokens kept across a real restart of the node's process.
 */
class CheckoutTokenNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "token-test",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "checkoutTokens": {"ttlSeconds": %d, "keyRotationSeconds": %d}}""";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private EdgeNode node;

    @AfterEach
    void stop() {
        http.close();
        if (node != null) {
            node.close();
        }
    }

    private void start(Path dir, int ttl, int rotation) throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.formatted(ttl, rotation).getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir));
    }

    private static String key(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve(file)).trim();
    }

    private HttpResponse<String> send(URI base, String method, String path, String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String issue(URI base, String bearer, String unit) throws Exception {
        HttpResponse<String> r = send(base, "POST", "/api/v1/checkout-tokens", bearer, "{\"targetingKey\":\"" + unit + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("token").asText();
    }

    private HttpResponse<String> redeem(URI base, String ingestKey, String token, String unit) throws Exception {
        return redeem(base, ingestKey, token, unit, null);
    }

    /** Presents {@code token} for {@code unit}, naming {@code checkoutId} as its checkout's id (none when null). */
    private HttpResponse<String> redeem(URI base, String ingestKey, String token, String unit, String checkoutId) throws Exception {
        return send(base, "POST", "/ingest/v1/checkouts", ingestKey, "{\"token\":\"" + token + "\",\"targetingKey\":\"" + unit
                + "\",\"pop\":\"fra\"" + (checkoutId == null ? "" : ",\"checkoutId\":\"" + checkoutId + "\"") + "}");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    private static void assertRefused(HttpResponse<String> r, int status, String reason) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode p = JSON.readTree(r.body());
        assertEquals("token", p.get("field").asText(), r.body());
        assertTrue(p.get("detail").asText().startsWith(reason + ": "), r.body());
        // A 403 says why for a program too; a replay is a 409, which needs no code beside its status.
        assertEquals(status == 403 ? "checkout-token-" + reason : "", p.path("reason").asText(), r.body());
    }

    @Test
    void aTokenBuysOneCheckoutAndEveryRefusalIsCountedByReason(@TempDir Path dir) throws Exception {
        start(dir, 1, 3600);
        URI base = node.baseUri();
        String admin = key(dir, "token");
        String ingest = key(dir, "ingest-key");
        String read = key(dir, "read-key");

        String token = issue(base, admin, "viewer-1");
        HttpResponse<String> ok = redeem(base, ingest, token, "viewer-1");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("authorised", JSON.readTree(ok.body()).get("state").asText());
        assertRefused(redeem(base, ingest, token, "viewer-1"), 409, "replayed");
        assertRefused(redeem(base, ingest, issue(base, admin, "viewer-1"), "viewer-2"), 403, "forged");
        assertRefused(redeem(base, ingest, token.substring(0, token.length() - 2) + "AA", "viewer-1"), 403, "forged");
        assertRefused(redeem(base, ingest, "not-a-token", "viewer-1"), 403, "forged");
        String stale = issue(base, admin, "viewer-3");
        Thread.sleep(1_100);
        assertRefused(redeem(base, ingest, stale, "viewer-3"), 403, "expired");

        HttpResponse<String> noToken = send(base, "POST", "/ingest/v1/checkouts", ingest, "{\"targetingKey\":\"viewer-1\"}");
        assertEquals(400, noToken.statusCode(), noToken.body());
        assertEquals("token", JSON.readTree(noToken.body()).get("field").asText());
        // An empty token is no token: the same malformed request, neither judged nor counted as forged.
        for (String empty : new String[] {"", "   "}) {
            HttpResponse<String> emptyToken = redeem(base, ingest, empty, "viewer-1");
            assertEquals(400, emptyToken.statusCode(), emptyToken.body());
            JsonNode p = JSON.readTree(emptyToken.body());
            assertEquals("token", p.get("field").asText(), emptyToken.body());
            assertEquals(JSON.readTree(noToken.body()).get("detail"), p.get("detail"), "the same answer as a missing token");
        }
        HttpResponse<String> noUnit = send(base, "POST", "/api/v1/checkout-tokens", admin, "{}");
        assertEquals(400, noUnit.statusCode(), noUnit.body());
        assertEquals("targetingKey", JSON.readTree(noUnit.body()).get("field").asText());

        // Each key opens its own lane; a viewer may not ask for a token, which allows a purchase.
        assertEquals(403, redeem(base, read, issue(base, admin, "viewer-4"), "viewer-4").statusCode());
        assertEquals(403, send(base, "POST", "/api/v1/checkout-tokens", ingest, "{\"targetingKey\":\"viewer-1\"}").statusCode());
        Path viewerFile = Files.createTempDirectory("tokens").resolve("v.token");
        new OperatorStore(dir, Clock.systemUTC()).add("vic", Role.VIEWER, viewerFile);
        HttpResponse<String> viewer = send(base, "POST", "/api/v1/checkout-tokens", Files.readString(viewerFile).trim(),
                "{\"targetingKey\":\"viewer-1\"}");
        assertEquals(403, viewer.statusCode(), viewer.body());
        assertEquals(200, send(base, "GET", "/api/v1/checkout-tokens/keys", Files.readString(viewerFile).trim(), null).statusCode());

        await("the frame counts every presentation", () -> {
            MetricsFrame f = node.latestFrame();
            return f != null && f.checkouts().tokens() != null && f.checkouts().tokens().equals(new CheckoutCounts.TokenOutcomes(1, 1, 3, 1));
        });
        assertEquals(1, node.latestFrame().checkouts().completed(), "the accepted token's checkout counts");
        String metrics = send(base, "GET", "/metrics", read, null).body();
        for (String line : new String[] {"edgedeck_checkout_tokens_total{outcome=\"accepted\"} 1",
                "edgedeck_checkout_tokens_total{outcome=\"expired\"} 1", "edgedeck_checkout_tokens_total{outcome=\"forged\"} 3",
                "edgedeck_checkout_tokens_total{outcome=\"replayed\"} 1", "edgedeck_checkout_tokens_issued_total 4"}) {
            assertTrue(metrics.contains(line), line + "\n" + metrics);
        }
    }

    @Test
    void anOperatorRotatesTheKeyAndTokensOfThePreviousKeyStayGoodForTheirTtl(@TempDir Path dir) throws Exception {
        start(dir, 60, 3600);
        URI base = node.baseUri();
        String admin = key(dir, "token");
        String before = issue(base, admin, "viewer-1");
        HttpResponse<String> noReason = send(base, "POST", "/api/v1/checkout-tokens/keys/rotate", admin, "{}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        HttpResponse<String> rotated = send(base, "POST", "/api/v1/checkout-tokens/keys/rotate", admin, "{\"reason\":\"drill\"}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals(2, JSON.readTree(rotated.body()).get("toKeyId").asLong());
        JsonNode keys = JSON.readTree(send(base, "GET", "/api/v1/checkout-tokens/keys", admin, null).body());
        assertEquals(2, keys.get("keys").get("currentKeyId").asLong(), keys.toString());
        assertEquals(1, keys.get("keys").get("previousKeyId").asLong(), keys.toString());
        assertTrue(!keys.toString().contains("secret"), "no secret in the answer");
        assertEquals(200, redeem(base, key(dir, "ingest-key"), before, "viewer-1").statusCode(), "the previous key is still good");
        JsonNode audit = JSON.readTree(send(base, "GET", "/api/v1/audit", admin, null).body());
        JsonNode last = audit.get(audit.size() - 1);
        assertEquals("checkout-tokens.key.rotate", last.get("action").asText());
        assertEquals("key 1", last.get("before").asText());
        assertEquals("key 2", last.get("after").asText());
        assertEquals("drill", last.get("reason").asText());
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("checkout-tokens.key.rotate"), "journaled");
        String second = issue(base, admin, "viewer-2");
        HttpResponse<String> rotatedAgain = send(base, "POST", "/api/v1/checkout-tokens/keys/rotate", admin, "{\"reason\":\"again\"}");
        assertEquals(200, rotatedAgain.statusCode(), rotatedAgain.body());
        assertEquals(200, redeem(base, key(dir, "ingest-key"), second, "viewer-2").statusCode(),
                "a second rotation within one TTL keeps the key before it");
        String third = issue(base, admin, "viewer-3");
        HttpResponse<String> revoked = send(base, "POST", "/api/v1/checkout-tokens/keys/rotate", admin,
                "{\"reason\":\"a key leaked\",\"revoke\":true}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("[1,2,3]", JSON.readTree(revoked.body()).get("revokedKeyIds").toString(), revoked.body());
        HttpResponse<String> refused = redeem(base, key(dir, "ingest-key"), third, "viewer-3");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("forged"), refused.body());
        JsonNode revokedEntry = JSON.readTree(send(base, "GET", "/api/v1/audit", admin, null).body());
        assertEquals("signing key; revoked keys 1, 2, 3", revokedEntry.get(revokedEntry.size() - 1).get("target").asText());
        byte[] file = Files.readAllBytes(dir.resolve("checkout-keys.json"));
        for (String secretBearing : new String[] {journal, send(base, "GET", "/api/v1/audit", admin, null).body()}) {
            String secret = JSON.readTree(file).get("current").get("secret").asText();
            assertTrue(!secretBearing.contains(secret), "the key never leaves its file");
        }
    }

    /** A real process: stopped and started again on its data directory, it checks what it signed and remembers what was used. */
    @Test
    void aRestartedNodeKeepsItsKeysAndItsUsedTokensAndRotatesOnSchedule(@TempDir Path dir, @TempDir Path work) throws Exception {
        Path config = work.resolve("node.json");
        Files.writeString(config, CONFIG.formatted(60, 3600));
        String used;
        String unused;
        long keyBefore;
        try (NodeProcess first = NodeProcess.start("--live", "--node-config", config.toString(), "--port", "0", "--data-dir", dir.toString())) {
            URI base = first.base();
            used = issue(base, key(dir, "token"), "viewer-1");
            unused = issue(base, key(dir, "token"), "viewer-2");
            assertEquals(200, redeem(base, key(dir, "ingest-key"), used, "viewer-1").statusCode());
            keyBefore = JSON.readTree(send(base, "GET", "/api/v1/checkout-tokens/keys", key(dir, "token"), null).body())
                    .get("keys").get("currentKeyId").asLong();
            first.process.destroy();
            first.exitStatus(20);
        }
        try (NodeProcess second = NodeProcess.start("--live", "--node-config", config.toString(), "--port", "0", "--data-dir", dir.toString())) {
            URI base = second.base();
            String ingest = key(dir, "ingest-key");
            assertEquals(200, redeem(base, ingest, unused, "viewer-2").statusCode(), "signed before the restart, good after it");
            assertRefused(redeem(base, ingest, used, "viewer-1"), 409, "replayed");
            long keyNow = JSON.readTree(send(base, "GET", "/api/v1/checkout-tokens/keys", key(dir, "token"), null).body())
                    .get("keys").get("currentKeyId").asLong();
            assertEquals(keyBefore, keyNow, "the restart kept the signing key");
        }
    }

    /**
     * A token good for longer than the core's dedupe window (10 min of engine time, here a second of
     * the wall clock's at 600x): once the window has forgotten its checkout's event id, only the
     * token's remembered use refuses it, before a restart and after one, whatever checkout id a second
     * presentation names.
     */
    @Test
    void aTokenUsedOnceIsRefusedAfterTheDedupeWindowAndARestartWhateverCheckoutItNames(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture fixture = new LiveNodeFixture(CONFIG.formatted(3600, 7200), dir, 600)) {
            fixture.start();
            String token = issue(fixture.node().baseUri(), fixture.key("token"), "viewer-1");
            HttpResponse<String> first = redeem(fixture.node().baseUri(), fixture.key("ingest-key"), token, "viewer-1", "basket-1");
            assertEquals(200, first.statusCode(), first.body());
            Thread.sleep(1_500);
            assertRefused(redeem(fixture.node().baseUri(), fixture.key("ingest-key"), token, "viewer-1", "basket-2"), 409, "replayed");

            fixture.stopNode();
            fixture.start();
            Thread.sleep(1_500);
            assertRefused(redeem(fixture.node().baseUri(), fixture.key("ingest-key"), token, "viewer-1", "basket-3"), 409, "replayed");
            assertRefused(redeem(fixture.node().baseUri(), fixture.key("ingest-key"), token, "viewer-1"), 409, "replayed");
        }
    }

    /**
     * A node started again with a shorter token TTL still takes the tokens it issued before for their
     * own, longer TTL: their uses are remembered as long, so none buys a second checkout.
     */
    @Test
    void aShorterTtlAfterARestartLetsNoEarlierTokenBeUsedTwice(@TempDir Path dir) throws Exception {
        String token;
        try (LiveNodeFixture fixture = new LiveNodeFixture(CONFIG.formatted(3600, 7200), dir, 600)) {
            fixture.start();
            token = issue(fixture.node().baseUri(), fixture.key("token"), "viewer-1");
            HttpResponse<String> first = redeem(fixture.node().baseUri(), fixture.key("ingest-key"), token, "viewer-1", "basket-1");
            assertEquals(200, first.statusCode(), first.body());
        }
        try (LiveNodeFixture shorter = new LiveNodeFixture(CONFIG.formatted(1, 7200), dir, 600)) {
            shorter.start();
            // Past the dedupe window (600x), and past arrival + the new TTL of 1 s.
            Thread.sleep(1_500);
            assertRefused(redeem(shorter.node().baseUri(), shorter.key("ingest-key"), token, "viewer-1", "basket-2"), 409, "replayed");
        }
        assertEquals("3600", Files.readString(dir.resolve(LivePrivacy.TOKEN_TTL_FILE)).trim());
    }

    /**
     * A token whose checkout the node refused (its checkout id had ended already) bought nothing: it
     * may be presented again, after a restart too.
     */
    @Test
    void aTokenWhoseCheckoutWasRefusedIsNotSpentAfterARestart(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture fixture = new LiveNodeFixture(CONFIG.formatted(3600, 7200), dir)) {
            fixture.start();
            URI base = fixture.node().baseUri();
            String ingest = fixture.key("ingest-key");
            assertEquals(200, redeem(base, ingest, issue(base, fixture.key("token"), "viewer-1"), "viewer-1", "basket-1").statusCode());
            String token = issue(base, fixture.key("token"), "viewer-2");
            HttpResponse<String> ended = redeem(base, ingest, token, "viewer-2", "basket-1");
            assertEquals(400, ended.statusCode(), ended.body());

            fixture.stopNode();
            fixture.start();
            HttpResponse<String> again = redeem(fixture.node().baseUri(), ingest, token, "viewer-2", "basket-2");
            assertEquals(200, again.statusCode(), again.body());
        }
    }

    /**
     * A checkout answered 503 because the engine did not apply it in time is still made durable and
     * counted when the engine catches up: its token has bought it, and is refused after the dedupe
     * window (a second at 600x) whatever checkout id it names.
     */
    @Test
    void aTokenWhoseCheckoutCountsAfterItsAnswerTimedOutIsSpent(@TempDir Path dir) throws Exception {
        NodeConfig config = NodeConfigParser.parse(CONFIG.formatted(3600, 7200).getBytes(StandardCharsets.UTF_8));
        node = EdgeNode.start(EdgeNode.Config.live(config, InetAddress.getLoopbackAddress(), 0, dir, 600)
                .withActionTimeout(Duration.ofMillis(500)));
        URI base = node.baseUri();
        String ingest = key(dir, "ingest-key");
        String token = issue(base, key(dir, "token"), "viewer-1");
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        node.runner().submit(show -> {
            try {
                return busy.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> late = redeem(base, ingest, token, "viewer-1", "basket-1");
        assertEquals(503, late.statusCode(), late.body());
        assertTrue(late.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), late.headers().toString());
        assertEquals("1", late.headers().firstValue("Retry-After").orElse(null), "the back end is told when to send it again");
        assertTrue(late.body().contains("send it again with the same token in 1 s (409 then means it counted)"), late.body());
        // Sent again at once, while the first is still being applied: not yet known to count, so not "replayed".
        HttpResponse<String> again = redeem(base, ingest, token, "viewer-1", "basket-1");
        assertEquals(503, again.statusCode(), again.body());
        assertTrue(again.body().contains("still being applied"), again.body());
        assertEquals("1", again.headers().firstValue("Retry-After").orElse(null));
        busy.countDown();
        await("the checkout answered 503 counts", () -> node.latestFrame() != null && node.latestFrame().checkouts().completed() == 1);
        HttpResponse<String> metrics = send(base, "GET", "/metrics", key(dir, "read-key"), null);
        assertTrue(metrics.body().contains("\nedgedeck_ingest_checkouts_not_applied_in_time_total 1\n"), metrics.body());
        assertTrue(metrics.body().contains("\nedgedeck_ingest_checkouts_not_taken_total 0\n"), metrics.body());
        // Where the other ingest figures are: the node's ingest stats, and the lane's checkout row.
        com.fasterxml.jackson.databind.JsonNode stats = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                send(base, "GET", "/api/v1/ingest/stats", key(dir, "read-key"), null).body());
        assertEquals(1, stats.get("checkoutsNotAppliedInTime").asLong(), stats.toString());
        assertEquals(0, stats.get("notAppliedInTimeBatches").asLong(), stats.toString());
        assertEquals(1, node.sources().stream().filter(s -> s.kind().equals("ingest") && s.name().equals("checkout")).findFirst()
                .orElseThrow().errorCount("not-applied-in-time"));
        Thread.sleep(1_500);
        assertRefused(redeem(base, ingest, token, "viewer-1", "basket-2"), 409, "replayed");
    }

    @Test
    void theScheduleRotatesTheKeyJournaledAndAuditedAsTheSchedule(@TempDir Path dir) throws Exception {
        start(dir, 1, 2);
        URI base = node.baseUri();
        String admin = key(dir, "token");
        await("the schedule rotates the key twice", () -> {
            try {
                return JSON.readTree(send(base, "GET", "/api/v1/checkout-tokens/keys", admin, null).body())
                        .get("keys").get("currentKeyId").asLong() >= 3;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JsonNode audit = JSON.readTree(send(base, "GET", "/api/v1/audit", admin, null).body());
        long scheduled = 0;
        for (JsonNode e : audit) {
            if (e.get("action").asText().equals("checkout-tokens.key.rotate") && e.get("actor").asText().equals("schedule")) {
                scheduled++;
            }
        }
        assertTrue(scheduled >= 2, audit.toString());
        long journaled = Files.readAllLines(dir.resolve("journal.jsonl")).stream().filter(l -> l.contains("checkout-tokens.key.rotate")).count();
        assertTrue(journaled >= 2, "each rotation is journaled");
    }
}
