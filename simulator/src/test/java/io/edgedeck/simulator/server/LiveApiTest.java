package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Edge Control API on a real node on loopback, through the real client where a console would use it. */
class LiveApiTest {
    private static final String FLAG = "checkout-button";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static LiveNode live;
    static HttpEdgeConnection client;

    @BeforeAll
    static void startNode() throws Exception {
        live = LiveNode.start(dataDir, 2);
        client = live.connect();
    }

    @AfterAll
    static void stopNode() {
        client.close();
        live.close();
    }

    private static FlagView flag(List<FlagView> flags, String key) {
        return flags.stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow();
    }

    private static EdgeException failure(java.util.concurrent.CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(EdgeException.class, e.getCause());
    }

    @Test
    void aToggleShowsInTheFlagsAndInTheNextFrames() throws Exception {
        FlagView before = flag(client.flags().join(), FLAG);
        FlagView after = client.changeFlag(FLAG, new FlagChange(before.version(),
                List.of(new VariantView("control", 7000), new VariantView("treatment", 3000)), null, "maya", "cool down the test")).join();
        assertEquals(before.version() + 1, after.version());
        FlagView listed = flag(client.flags().join(), FLAG);
        assertEquals(after.version(), listed.version());
        assertEquals(List.of(new VariantView("control", 7000), new VariantView("treatment", 3000)), listed.variants());
        LiveNode.await("a frame shows the new version at every PoP", () -> client.latestFrame()
                .map(f -> flag(f.flags(), FLAG)).filter(v -> v.version() >= after.version())
                .map(v -> v.popsAcknowledged() == v.popsTotal()).orElse(false));
    }

    @Test
    void anEditBasedOnAnOldVersionIsAConflict() throws Exception {
        FlagView current = flag(client.flags().join(), FLAG);
        EdgeException e = failure(client.changeFlag(FLAG, new FlagChange(current.version() - 1, null, "global", "maya", "stale")));
        assertEquals(EdgeException.Kind.CONFLICT, e.kind());
        HttpResponse<String> raw = live.send("PATCH", "/flags/" + FLAG,
                "{\"expectedVersion\": " + (current.version() - 1) + ", \"scope\": \"global\", \"operator\": \"maya\", \"reason\": \"stale\"}");
        assertEquals(409, raw.statusCode());
        assertEquals("application/problem+json", raw.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = JSON.readTree(raw.body());
        assertEquals(409, problem.get("status").asInt());
        assertEquals("expectedVersion", problem.get("field").asText());
    }

    @Test
    void aRollbackSendsTheVariantBackToControlEverywhereAndIsAuditedUnderTheTokensPerson() throws Exception {
        FlagView current = flag(client.flags().join(), FLAG);
        if (current.variants().stream().noneMatch(v -> v.name().equals("treatment") && v.weight() > 0)) {
            current = client.changeFlag(FLAG, new FlagChange(current.version(),
                    List.of(new VariantView("control", 5000), new VariantView("treatment", 5000)), null, "maya", "re-enable")).join();
        }
        // The body's operator is ignored: the admin token's person is "admin".
        GuardrailFiring firing = client.rollback(FLAG, "treatment", "ben", "chat turned sour").join();
        assertEquals("admin", firing.actor());
        assertFalse(firing.automatic());
        LiveNode.await("a frame shows treatment at 0 at every PoP", () -> client.latestFrame().map(f -> flag(f.flags(), FLAG))
                .map(v -> v.popsAcknowledged() == v.popsTotal()
                        && v.variants().stream().anyMatch(x -> x.name().equals("treatment") && x.weight() == 0))
                .orElse(false));
        List<AuditEntry> audit = client.audit().join();
        assertTrue(audit.stream().anyMatch(a -> a.action().equals("flag.rollback") && a.actor().equals("admin")
                && a.reason().contains("chat turned sour")), audit.toString());
        assertTrue(audit.stream().noneMatch(a -> a.actor().equals("ben")), "nobody called ben made a change: " + audit);
    }

    @Test
    void aWrongTokenIsRefusedWith401AndTheClientStopsTrying() throws Exception {
        HttpResponse<String> none = live.raw.send(HttpRequest.newBuilder(live.api("/flags")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        HttpResponse<String> wrong = live.send(HttpRequest.newBuilder(live.api("/flags"))
                .header("Authorization", "Bearer " + live.token.substring(1) + "x").build());
        assertEquals(401, wrong.statusCode());
        assertEquals("urn:edgedeck:problem:unauthorised", JSON.readTree(wrong.body()).get("type").asText());
        assertFalse(wrong.body().contains(live.token));
        try (HttpEdgeConnection bad = HttpEdgeConnection.open(live.base(), "not-the-token")) {
            LiveNode.await("the client is offline", () -> bad.status().state() == ConnectionStatus.State.OFFLINE);
            assertTrue(bad.status().detail().contains("401"), bad.status().detail());
            assertEquals(EdgeException.Kind.UNREACHABLE, failure(bad.flags()).kind());
        }
    }

    @Test
    void aBodyOver64KbIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String huge = "{\"operator\": \"maya\", \"reason\": \"" + "x".repeat(70 * 1024) + "\"}";
        assertEquals(413, live.send("POST", "/flags/" + FLAG + "/kill", huge).statusCode());
        byte[] bytes = huge.getBytes();
        HttpResponse<String> chunked = live.send(live.request("/flags/" + FLAG + "/kill")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
        assertEquals(413, chunked.statusCode());
        assertFalse(flag(client.flags().join(), FLAG).killed(), "nothing was applied");
    }

    @Test
    void malformedJsonIs400WithTheReasonAndAWrongTypeNamesTheField() throws Exception {
        HttpResponse<String> malformed = live.send("POST", "/flags/" + FLAG + "/kill", "{\"operator\": \"maya\", \"reason\": ");
        assertEquals(400, malformed.statusCode());
        JsonNode p = JSON.readTree(malformed.body());
        assertEquals("body", p.get("field").asText());
        assertTrue(p.get("detail").asText().startsWith("malformed JSON at line 1"), p.get("detail").asText());

        HttpResponse<String> wrongType = live.send("PATCH", "/flags/" + FLAG,
                "{\"expectedVersion\": \"three\", \"operator\": \"maya\", \"reason\": \"x\"}");
        assertEquals(400, wrongType.statusCode());
        assertEquals("expectedVersion", JSON.readTree(wrongType.body()).get("field").asText());

        HttpResponse<String> nested = live.send("PATCH", "/flags/" + FLAG,
                "{\"expectedVersion\": 1, \"variants\": [{\"name\": \"control\", \"weight\": 1}, {\"name\": \"treatment\", \"weight\": []}],"
                        + " \"operator\": \"maya\", \"reason\": \"x\"}");
        assertEquals(400, nested.statusCode());
        assertEquals("variants[1].weight", JSON.readTree(nested.body()).get("field").asText());

        EdgeException missing = failure(client.setKilled(FLAG, true, "maya", " "));
        assertEquals(EdgeException.Kind.INVALID, missing.kind());
        assertEquals("reason", missing.field());
    }

    @Test
    void aRetriedMutationWithTheSameIdempotencyKeyAppliesOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String reason = "drill " + key;
        HttpRequest kill = live.request("/guardrails/sentiment-guard/disarm").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"operator\": \"maya\", \"reason\": \"" + reason + "\"}")).build();
        HttpResponse<String> first = live.send(kill);
        HttpResponse<String> again = live.send(kill);
        assertEquals(200, first.statusCode());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        // the second disarm would be a no-op anyway; re-arming with the same key proves the answer was replayed, not re-run
        HttpRequest arm = live.request("/guardrails/sentiment-guard/arm").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"operator\": \"maya\", \"reason\": \"" + reason + "\"}")).build();
        assertEquals(200, live.send(arm).statusCode());
        HttpResponse<String> replayAfterArm = live.send(kill);
        assertEquals(first.body(), replayAfterArm.body());
        assertTrue(client.guardrails().join().getFirst().armed(), "the replayed disarm did not run again");
        long disarms = client.audit().join().stream().filter(a -> a.reason().equals(reason) && a.action().equals("guardrail.disarm")).count();
        assertEquals(1, disarms, "one audit entry for one change, however often it was sent");

        HttpRequest different = live.request("/guardrails/sentiment-guard/disarm").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"operator\": \"maya\", \"reason\": \"another\"}")).build();
        HttpResponse<String> reused = live.send(different);
        assertEquals(422, reused.statusCode());
        assertEquals("Idempotency-Key", JSON.readTree(reused.body()).get("field").asText());
    }

    @Test
    void unknownThingsAre404WrongMethodsAre405AndHealthNeedsNoToken() throws Exception {
        EdgeException e = failure(client.setKilled("no-such-flag", true, "maya", "x"));
        assertEquals(EdgeException.Kind.NOT_FOUND, e.kind());
        assertEquals(404, live.send("POST", "/guardrails/no-such-rule/arm", "{\"operator\": \"m\", \"reason\": \"r\"}").statusCode());
        assertEquals(404, live.send("GET", "/nothing-here", null).statusCode());
        HttpResponse<String> wrongMethod = live.send("DELETE", "/flags", null);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("GET, HEAD", wrongMethod.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> health = live.raw.send(HttpRequest.newBuilder(URI.create(live.base() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
    }

    @Test
    void theStreamResumesAfterADroppedConnectionWithoutLosingAFrame() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(live.node.port());
             HttpEdgeConnection viaProxy = HttpEdgeConnection.open(URI.create("http://127.0.0.1:" + proxy.port()), live.token)) {
            List<Long> sequences = new CopyOnWriteArrayList<>();
            List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
            viaProxy.subscribeFrames(f -> sequences.add(f.sequence()));
            viaProxy.subscribeStatus(statuses::add);
            LiveNode.await("five frames", () -> sequences.size() >= 5);
            proxy.dropAll();
            LiveNode.await("the client noticed the drop", () -> statuses.stream().anyMatch(s -> s.state() == ConnectionStatus.State.RECONNECTING));
            int atDrop = sequences.size();
            LiveNode.await("five more frames after reconnecting", () -> sequences.size() >= atDrop + 5 && viaProxy.status().online());
            List<Long> seen = new ArrayList<>(sequences);
            for (int i = 1; i < seen.size(); i++) {
                assertEquals(seen.get(i - 1) + 1, seen.get(i), "frames in order, none lost or repeated: " + seen);
            }
            assertTrue(statuses.stream().anyMatch(s -> s.detail().startsWith("reconnecting in ")), statuses.toString());
        }
    }

    @Test
    void popsAndTheLatestFrameComeFromTheNewestFrame() throws Exception {
        MetricsFrame latest = JSON.readValue(live.send("GET", "/frames/latest", null).body(), MetricsFrame.class);
        JsonNode pops = JSON.readTree(live.send("GET", "/pops", null).body());
        assertEquals(latest.pops().size(), pops.size());
        assertNotEquals(0, pops.size());
        assertEquals("steady-show", latest.scenario());
    }
}
