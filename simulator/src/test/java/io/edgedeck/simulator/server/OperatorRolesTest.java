package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.server.operators.OperatorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People on a real node, each with a token of their own and a role: who the node says they are, what
 * a viewer may not do, that each change is audited under the token's person whatever the body says,
 * and that a revoked token stops working at once on a node that keeps running.
 */
class OperatorRolesTest {
    private static final String FLAG = "checkout-button";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static LiveNode live;
    static String alice;
    static String carol;

    @BeforeAll
    static void start() throws Exception {
        live = LiveNode.start(dataDir, 2);
        alice = live.addOperator("alice", Role.OPERATOR);
        carol = live.addOperator("carol", Role.VIEWER);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static FlagView flag() throws Exception {
        for (JsonNode f : json(live.send("GET", "/flags", null))) {
            if (f.get("key").asText().equals(FLAG)) {
                return JSON.treeToValue(f, FlagView.class);
            }
        }
        throw new AssertionError("no flag " + FLAG);
    }

    private static List<AuditEntry> audit() throws Exception {
        return List.of(JSON.readValue(live.send("GET", "/audit", null).body(), AuditEntry[].class));
    }

    /**
     * A refusal sent before the request's body has arrived must not leave the client a connection the
     * node then closes: the client would send its next request on it and get no answer (the JDK client
     * does not resend a PATCH). Here the body comes after the head, as HTTP clients send it; the node
     * either keeps the connection and answers the next request on it, or says it closes it.
     */
    @Test
    void aRefusalBeforeTheBodyArrivedLeavesNoDeadConnectionToTheClient() throws Exception {
        java.net.URI base = live.api("/flags/" + FLAG);
        String body = "{\"reason\": \"viewer tries, slowly\"}";
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(("POST " + base.getPath() + "/kill HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + carol
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            out.write(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 403"), head);
            int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                    .findFirst().orElseThrow().substring(15).trim());
            in.readNBytes(length);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("connection: close")) {
                return;
            }
            out.write(("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String next = readHead(in);
            assertTrue(next.startsWith("HTTP/1.1 200"), "the kept connection answers the next request: " + next);
        }
    }

    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return head + "<closed>";
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void meNamesThePersonBehindEachToken() throws Exception {
        assertEquals(new Caller("alice", Role.OPERATOR), JSON.readValue(live.send("GET", "/me", null, alice).body(), Caller.class));
        assertEquals(new Caller("carol", Role.VIEWER), JSON.readValue(live.send("GET", "/me", null, carol).body(), Caller.class));
        assertEquals(new Caller("admin", Role.ADMIN), JSON.readValue(live.send("GET", "/me", null).body(), Caller.class));
        try (HttpEdgeConnection asCarol = live.connect(carol)) {
            assertEquals(Optional.of(new Caller("carol", Role.VIEWER)), asCarol.caller().join());
        }
    }

    @Test
    void aViewerReadsAndWatchesButEveryChangeIsRefused403AndNothingChanges() throws Exception {
        assertEquals(200, live.send("GET", "/flags", null, carol).statusCode());
        assertEquals(200, live.send("GET", "/audit", null, carol).statusCode());
        // The diagnostic reads share /api/v1 with the control API in a lane of their own: a viewer opens them too.
        assertEquals(200, live.send("GET", "/sources", null, carol).statusCode());
        assertEquals(200, live.send("GET", "/pops/fra/history?from=0&to=5", null, carol).statusCode());
        FlagView before = flag();
        int audited = audit().size();

        HttpResponse<String> kill = live.send("POST", "/flags/" + FLAG + "/kill", "{\"reason\": \"viewer tries\"}", carol);
        assertEquals(403, kill.statusCode(), kill.body());
        assertEquals("application/problem+json", kill.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = json(kill);
        assertEquals("urn:edgedeck:problem:forbidden", problem.get("type").asText());
        assertEquals("operator", problem.get("requiredRole").asText());
        assertEquals("role-too-low", problem.path("reason").asText(), problem.toString());
        assertTrue(problem.get("detail").asText().startsWith("carol is a viewer"), problem.toString());

        HttpResponse<String> change = live.send("PATCH", "/flags/" + FLAG, "{\"expectedVersion\": " + before.version()
                + ", \"variants\": [{\"name\": \"control\", \"weight\": 10000}, {\"name\": \"treatment\", \"weight\": 0}],"
                + " \"reason\": \"viewer tries\"}", carol);
        assertEquals(403, change.statusCode(), change.body());
        assertEquals(403, live.send("POST", "/show/pause", "{}", carol).statusCode());

        FlagView after = flag();
        assertEquals(before.version(), after.version(), "the flag did not move");
        assertEquals(before.killed(), after.killed());
        assertEquals(before.variants(), after.variants());
        assertEquals(audited, audit().size(), "nothing was audited: nothing happened");

        // Through the console's client: a refusal of kind FORBIDDEN, and the frames keep coming.
        try (HttpEdgeConnection asCarol = live.connect(carol)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> asCarol.setKilled(FLAG, true, "carol", "viewer tries").join());
            assertEquals(EdgeException.Kind.FORBIDDEN, assertInstanceOf(EdgeException.class, e.getCause()).kind());
            // Online means the stream is open; its first frame may still be on the way.
            LiveNode.await("the viewer's first frame", () -> asCarol.latestFrame().isPresent());
            long seen = asCarol.latestFrame().orElseThrow().sequence();
            LiveNode.await("the viewer's stream goes on after the 403", () -> asCarol.status().online()
                    && asCarol.latestFrame().orElseThrow().sequence() > seen);
        }
    }

    @Test
    void eachChangeIsAuditedUnderTheTokensPersonWhateverTheBodySays() throws Exception {
        String paula = live.addOperator("paula", Role.APPROVER);
        ensureKilled(false);
        HttpResponse<String> kill = live.send("POST", "/flags/" + FLAG + "/kill",
                "{\"operator\": \"mallory\", \"reason\": \"checkout errors\"}", alice);
        assertEquals(200, kill.statusCode(), kill.body());
        AuditEntry killed = audit().getLast();
        assertEquals("flag.kill", killed.action());
        assertEquals("alice", killed.actor(), "the token's person, not the body's operator");

        assertEquals(200, live.send("POST", "/flags/" + FLAG + "/unkill", "{\"reason\": \"fixed\"}", paula).statusCode());
        assertEquals("paula", audit().getLast().actor(), "an approver may change too");

        assertEquals(200, live.send("POST", "/flags/" + FLAG + "/kill", "{\"operator\": \"alice\", \"reason\": \"owner\"}")
                .statusCode());
        assertEquals("admin", audit().getLast().actor(), "the node owner's token is audited as admin");
        assertTrue(audit().stream().noneMatch(a -> a.actor().equals("mallory")));
    }

    @Test
    void aRevokedTokenIsRefused401FromItsNextCallWithoutARestartAndItsStreamEnds() throws Exception {
        String dave = live.addOperator("dave", Role.OPERATOR);
        var runner = live.node.runner();
        try (HttpEdgeConnection asDave = live.connect(dave)) {
            assertEquals(200, live.send("GET", "/me", null, dave).statusCode());
            ensureKilled(false);
            long sequence = live.node.latestFrame().sequence();

            live.revokeOperator("dave");

            HttpResponse<String> me = live.send("GET", "/me", null, dave);
            assertEquals(401, me.statusCode(), me.body());
            assertTrue(json(me).get("detail").asText().contains("revoked"), me.body());
            assertEquals("revoked", json(me).path("reason").asText(), me.body());
            HttpResponse<String> sources = live.send("GET", "/sources", null, dave);
            assertEquals(401, sources.statusCode(), "the diagnostic reads refuse a revoked token too");
            assertTrue(json(sources).get("detail").asText().contains("revoked"), sources.body());
            assertEquals("revoked", json(sources).path("reason").asText(), sources.body());
            HttpResponse<String> kill = live.send("POST", "/flags/" + FLAG + "/kill", "{\"reason\": \"after revocation\"}", dave);
            assertEquals(401, kill.statusCode(), kill.body());
            assertFalse(flag().killed(), "a revoked token changed nothing");
            LiveNode.await("the revoked person's frame stream ends and the client stops on the 401",
                    () -> asDave.status().state() == ConnectionStatus.State.OFFLINE);

            assertSame(runner, live.node.runner(), "the same node, never restarted");
            assertTrue(live.node.latestFrame().sequence() > sequence, "the show played on");
            assertEquals(200, live.send("GET", "/me", null, alice).statusCode(), "everyone else still works");
        }
        String again = live.addOperator("dave", Role.VIEWER);
        assertEquals(new Caller("dave", Role.VIEWER), JSON.readValue(live.send("GET", "/me", null, again).body(), Caller.class));
        assertEquals(401, live.send("GET", "/me", null, dave).statusCode(), "the old token stays revoked");
        HttpResponse<String> stranger = live.send("GET", "/me", null, "not-anyones-token");
        assertEquals(401, stranger.statusCode());
        assertEquals("unknown-token", json(stranger).path("reason").asText(), stranger.body());
        HttpResponse<String> none = live.send(java.net.http.HttpRequest.newBuilder(live.api("/me")).GET().build());
        assertEquals(401, none.statusCode());
        assertEquals("missing-token", json(none).path("reason").asText(), none.body());
        // The read key's lanes say why too: no key at all, or one the node does not know.
        HttpResponse<String> metrics = live.send(java.net.http.HttpRequest.newBuilder(live.base().resolve("/metrics"))
                .header("Authorization", "Bearer not-anyones-key").GET().build());
        assertEquals(401, metrics.statusCode());
        assertEquals("unknown-token", json(metrics).path("reason").asText(), metrics.body());
    }

    @Test
    void anIdempotencyKeyIsEachPersonsOwn() throws Exception {
        String bob = live.addOperator("bob", Role.OPERATOR);
        ensureKilled(false);
        String key = UUID.randomUUID().toString();
        var killByAlice = live.send(live.request("/flags/" + FLAG + "/kill", alice).header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\": \"a\"}")).build());
        assertEquals(200, killByAlice.statusCode());
        var unkillByBob = live.send(live.request("/flags/" + FLAG + "/unkill", bob).header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\": \"b\"}")).build());
        assertEquals(200, unkillByBob.statusCode(), "bob's call with the same key is his own: " + unkillByBob.body());
        assertTrue(unkillByBob.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertFalse(flag().killed());
        assertEquals("bob", audit().getLast().actor());
        var retryByAlice = live.send(live.request("/flags/" + FLAG + "/kill", alice).header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\": \"a\"}")).build());
        assertEquals("true", retryByAlice.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertFalse(flag().killed(), "alice's retry replayed her answer and applied nothing");
    }

    /**
     * A damaged operators file: every personal token is refused with a reason a program reads ({@code operators-unreadable})
     * and the node's words, the console's client says the node is to fix it rather than that it does not know the token
     * and waits for it, carrying on by itself once it is fixed, and {@code /healthz} says so to whoever runs the node, with no person's call needed; the admin token still works.
     */
    @Test
    void aDamagedOperatorsFileRefusesEveryPersonalTokenUntilFixedButNotTheAdmin() throws Exception {
        Path file = dataDir.resolve(OperatorStore.FILE);
        byte[] good = Files.readAllBytes(file);
        HttpEdgeConnection asAlice = null;
        try {
            io.edgedeck.simulator.server.OwnerOnlyFiles.replace(file, "{\"format\": 1, \"operators\": [".getBytes());
            // No person's call: the node's own look, once a second, finds it, and /healthz says what that look found.
            java.net.http.HttpRequest healthz = java.net.http.HttpRequest.newBuilder(live.base().resolve("/healthz")).GET().build();
            LiveNode.await("/healthz says the operators file cannot be read", () -> {
                try {
                    return json(live.send(healthz)).path("operators").path("status").asText().equals("unreadable");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpResponse<String> health = live.send(healthz);
            assertEquals(200, health.statusCode(), "the node serves, and its admin token works: " + health.body());
            assertEquals("ok", json(health).path("status").asText(), health.body());
            assertEquals("unreadable", json(health).path("operators").path("status").asText(), health.body());
            // Anyone may ask /healthz: it names the file as the node's, never where it is on the node's disk.
            String detail = json(health).path("operators").path("detail").asText();
            assertTrue(detail.contains("its operators.json cannot be read: ") && detail.matches(".*\\(line \\d+, column \\d+\\)$"), health.body());
            assertFalse(health.body().contains(dataDir.toString()), health.body());
            HttpResponse<String> me = live.send("GET", "/me", null, alice);
            assertEquals(401, me.statusCode());
            assertTrue(json(me).get("detail").asText().contains("(its operators.json cannot be read: "), me.body());
            assertFalse(me.body().contains(dataDir.toString()), "a refused caller is not told where the node keeps its files: " + me.body());
            assertEquals("operators-unreadable", json(me).path("reason").asText(), me.body());
            assertEquals(200, live.send("GET", "/me", null).statusCode(), "the admin token still opens the node");
            asAlice = HttpEdgeConnection.open(live.base(), alice);
            HttpEdgeConnection client = asAlice;
            LiveNode.await("alice's client waits for the operators file", client::operatorsUnreadable);
            assertEquals(ConnectionStatus.State.RECONNECTING, client.status().state(), "not given up: the token may be good");
            assertFalse(client.tokenRefused());
            String said = client.status().detail();
            assertTrue(said.contains(" cannot read its operators file, so for now it lets no person's own token in;"
                    + " it says personal tokens are refused until the node's operators file is fixed (its operators.json"
                    + " cannot be read: "), said);
            assertTrue(said.endsWith("whoever runs the node is to fix its operators file. Asking again every 5 s; the console"
                    + " carries on by itself once the node reads the file again"), said);
            assertFalse(said.contains("does not know"), said);
        } finally {
            io.edgedeck.simulator.server.OwnerOnlyFiles.replace(file, good);
        }
        try (HttpEdgeConnection client = asAlice) {
            LiveNode.await("alice's client carries on by itself once the file is fixed",
                    () -> client.status().state() == ConnectionStatus.State.ONLINE && !client.operatorsUnreadable());
        }
        assertEquals(200, live.send("GET", "/me", null, alice).statusCode(), "fixed: alice is back");
        HttpResponse<String> health = live.send(java.net.http.HttpRequest.newBuilder(live.base().resolve("/healthz")).GET().build());
        assertTrue(json(health).path("operators").isMissingNode(), "fixed, /healthz says nothing of it: " + health.body());
    }

    private static void ensureKilled(boolean killed) throws Exception {
        if (flag().killed() != killed) {
            assertEquals(200, live.send("POST", "/flags/" + FLAG + (killed ? "/kill" : "/unkill"), "{\"reason\": \"set up\"}")
                    .statusCode());
        }
    }
}
