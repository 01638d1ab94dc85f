package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.Eventually;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetFrames;
import io.edgedeck.simulator.fleet.NodeFrame;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.HttpLimits;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeHttpServer;
import io.edgedeck.simulator.server.http.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OFREP at the fleet's aggregator, against two real live nodes on loopback: an evaluation is answered by a node
 * serving the viewer's PoP, the same node for the same unit, and counts as an exposure there; a silent node or one
 * that refuses connections is passed over, a PoP no node serves and a key the nodes refuse are clear errors in OFREP's
 * shapes. The nodes' frames, which Kafka carries in a fleet, are given by the test, so it decides which node is fresh.
 */
class FleetOfrepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-ofrep",
             "pops": [%s],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";
    private static final String KEY = "shared-read-key-0123456789abcdef";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, NodeFrame> frames = new ConcurrentHashMap<>();
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    /** The aggregator's clock that only goes forward, in ms: the test moves it with {@link #later}. */
    private final AtomicLong ticks = new AtomicLong(5_000_000L);
    private final AtomicReference<FleetAggregator.Outage> kafka = new AtomicReference<>();
    private final Map<String, EdgeNode> nodes = new LinkedHashMap<>();
    private FleetOfrep ofrep;
    private NodeHttpServer aggregator;

    private EdgeNode node(String id, Map<String, String> pops, String readKey) throws Exception {
        return node(id, pops, readKey, 0);
    }

    /** A live node serving {@code pops} on its own data directory (kept across a restart) and {@code port} (0: any). */
    private EdgeNode node(String id, Map<String, String> pops, String readKey, int port) throws Exception {
        List<String> list = new ArrayList<>();
        pops.forEach((pop, region) -> list.add("{\"id\": \"" + pop + "\", \"region\": \"" + region + "\"}"));
        Path data = dir.resolve(id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("read-key"), readKey + "\n");
        EdgeNode node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(CONFIG.formatted(String.join(", ", list))
                .getBytes(StandardCharsets.UTF_8)), InetAddress.getLoopbackAddress(), port, data));
        nodes.put(id, node);
        heard(id, node.baseUri(), List.copyOf(pops.keySet()), now.get());
        return node;
    }

    /** The node's frame as the aggregator would have it from Kafka: made at {@code atMillis}. */
    private void heard(String id, URI url, List<String> pops, long atMillis) {
        frames.put(id, new NodeFrame(1, id, atMillis, pops, 0, 0, 0, -1, 0, 0, null, url == null ? null : url.toString()));
    }

    private void aggregatorCalling(String nodesKey) throws Exception {
        ofrep = new FleetOfrep(() -> Map.copyOf(frames), kafka::get, now::get, ticks::get, nodesKey);
        HttpLimits limits = HttpLimits.defaults();
        aggregator = NodeHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, limits,
                new Router(List.of(new Lane("/ofrep/v1", Access.anyone(), ofrep.routes())), limits, Map.of()));
    }

    /** Time passes at the aggregator: its wall clock and its forward-only clock alike. */
    private void later(long millis) {
        now.addAndGet(millis);
        ticks.addAndGet(millis);
    }

    @BeforeEach
    void twoNodes() throws Exception {
        node("node-a", new LinkedHashMap<>(Map.of("fra", "eu", "ams", "eu")), KEY);
        node("node-b", new LinkedHashMap<>(Map.of("fra", "eu", "lhr", "eu")), KEY);
    }

    @AfterEach
    void close() {
        if (aggregator != null) {
            aggregator.close();
            ofrep.close();
        }
        nodes.values().forEach(EdgeNode::close);
    }

    private HttpResponse<String> evaluate(URI base, String path, String context, String ifNoneMatch) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve("/ofrep/v1" + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\": " + context + "}"));
        if (ifNoneMatch != null) {
            r.header("If-None-Match", ifNoneMatch);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> atAggregator(String unit, String pop) throws Exception {
        return evaluate(aggregator.baseUri(), "/evaluate/flags/offer-banner", context(unit, pop), null);
    }

    private static String context(String unit, String pop) {
        return "{\"targetingKey\": \"" + unit + "\"" + (pop == null ? "" : ", \"pop\": \"" + pop + "\"") + "}";
    }

    private static String answeredBy(HttpResponse<String> r) {
        return r.headers().firstValue(FleetOfrep.NODE_HEADER).orElse("");
    }

    private long exposures(EdgeNode node) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/frames/latest"))
                .header("Authorization", "Bearer " + Files.readString(node.tokenFile()).trim()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return -1;
        }
        long sum = 0;
        for (JsonNode v : JSON.readTree(r.body()).get("variants")) {
            sum += v.get("exposures").asLong();
        }
        return sum;
    }

    @Test
    void aNodeServingTheViewersPopAnswersTheSameUnitEveryTimeAndCountsItsExposure() throws Exception {
        aggregatorCalling(KEY);
        // lhr is node-b's alone: its answer, relayed as it is, names it.
        HttpResponse<String> lhr = atAggregator("viewer-1", "lhr");
        assertEquals(200, lhr.statusCode(), lhr.body());
        assertEquals("node-b", answeredBy(lhr));
        HttpResponse<String> direct = evaluate(nodes.get("node-b").baseUri(), "/evaluate/flags/offer-banner",
                context("viewer-1", "lhr"), null);
        assertEquals(JSON.readTree(direct.body()), JSON.readTree(lhr.body()), "exactly the node's answer");
        assertEquals("lhr", JSON.readTree(lhr.body()).get("metadata").get("pop").asText());

        // fra is served by both: each unit goes to one of them, the same one every time, and both take a share.
        Map<String, Integer> share = new HashMap<>();
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String unit = "unit-" + i;
            String by = answeredBy(atAggregator(unit, "fra"));
            first.put(unit, by);
            share.merge(by, 1, Integer::sum);
        }
        assertEquals(java.util.Set.of("node-a", "node-b"), share.keySet(), share.toString());
        assertTrue(share.get("node-a") >= 8 && share.get("node-b") >= 8, "both nodes serve fra's viewers: " + share);
        for (int i = 0; i < 40; i++) {
            assertEquals(first.get("unit-" + i), answeredBy(atAggregator("unit-" + i, "fra")), "the same node for the same unit");
        }
        // Each evaluation is an exposure at the node that answered: node-a had 0 of lhr's and its share of fra's.
        long toA = share.get("node-a");
        Eventually.await("each node counts the units it served", Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> exposures(nodes.get("node-a")) == toA && exposures(nodes.get("node-b")) == 1 + (40 - toA));

        // With no PoP, any fresh node answers, again the same one for the same unit.
        String any = answeredBy(atAggregator("no-pop-unit", null));
        assertTrue(any.equals("node-a") || any.equals("node-b"), any);
        assertEquals(any, answeredBy(atAggregator("no-pop-unit", null)));
    }

    /** A unit of fra's the aggregator sends to {@code node} while both nodes are heard from. */
    private String unitAt(String node) throws Exception {
        for (int i = 0; ; i++) {
            if (answeredBy(atAggregator("unit-" + i, "fra")).equals(node)) {
                return "unit-" + i;
            }
        }
    }

    /** Stops node-a: {@code unit}, which went to it, goes to node-b for fra; the answer for ams, which only node-a serves. */
    private HttpResponse<String> stopNodeA(String unit) throws Exception {
        nodes.remove("node-a").close();
        HttpResponse<String> failedOver = atAggregator(unit, "fra");
        assertEquals(200, failedOver.statusCode(), failedOver.body());
        assertEquals("node-b", answeredBy(failedOver));
        return atAggregator(unit, "ams");
    }

    @Test
    void aSilentOrUnreachableNodeIsPassedOverAndWhatNoNodeCanAnswerSaysWhy() throws Exception {
        aggregatorCalling(KEY);
        String onA = unitAt("node-a");
        // A PoP no node serves: the context is wrong, and the answer says which PoPs there are.
        HttpResponse<String> nowhere = atAggregator(onA, "xyz");
        assertEquals(400, nowhere.statusCode(), nowhere.body());
        JsonNode refusal = JSON.readTree(nowhere.body());
        assertEquals("INVALID_CONTEXT", refusal.get("errorCode").asText());
        assertEquals("offer-banner", refusal.get("key").asText());
        assertTrue(refusal.get("errorDetails").asText().contains("ams, fra, lhr"), nowhere.body());

        // node-a goes silent (its newest frame is older than the fleet's limit): fra's units go to node-b, ams has no one.
        heard("node-a", nodes.get("node-a").baseUri(), List.of("fra", "ams"), now.get() - FleetFrames.STALE_MILLIS - 1);
        HttpResponse<String> moved = atAggregator(onA, "fra");
        assertEquals(200, moved.statusCode(), moved.body());
        assertEquals("node-b", answeredBy(moved));
        HttpResponse<String> ams = atAggregator(onA, "ams");
        assertEquals(503, ams.statusCode(), ams.body());
        assertEquals("1", ams.headers().firstValue("Retry-After").orElse(""));
        assertEquals("GENERAL", JSON.readTree(ams.body()).get("errorCode").asText());
        // In the words and by the count of the fleet's frames and /api/v1/fleet.
        assertTrue(ams.body().contains("node node-a silent 5 s"), ams.body());

        // node-a is heard from but stopped: its connection is refused, so node-b answers what it would have.
        heard("node-a", nodes.get("node-a").baseUri(), List.of("fra", "ams"), now.get());
        assertEquals("node-a", answeredBy(atAggregator(onA, "fra")));
        HttpResponse<String> unreachable = stopNodeA(onA);
        assertEquals(503, unreachable.statusCode(), unreachable.body());
        // Its refusal a moment ago is remembered: ams's evaluation is answered without calling it again.
        assertTrue(unreachable.body().contains("node-a at http://") && unreachable.body().contains(
                "(refused its connection 0 s ago; called again in 5 s)"), unreachable.body());
        assertEquals("5", unreachable.headers().firstValue("Retry-After").orElse(""));

        // A node of an older version names no URL: it is not called, and the answer says so.
        heard("node-b", null, List.of("fra", "lhr"), now.get());
        HttpResponse<String> old = atAggregator(onA, "lhr");
        assertEquals(503, old.statusCode(), old.body());
        assertTrue(old.body().contains("node-b names no URL"), old.body());
    }

    @Test
    void whileTheAggregatorCannotReachKafkaNoNodeIsCalledSilentAndUnitsStillGoToTheirNodes() throws Exception {
        aggregatorCalling(KEY);
        String onA = unitAt("node-a");
        // Kafka stops answering the aggregator: no frame reaches it, so both nodes' newest are 12 s old, and they serve.
        kafka.set(new FleetAggregator.Outage(now.get() - 20_000, "Kafka did not answer within 5 s (TimeoutException)"));
        heard("node-a", nodes.get("node-a").baseUri(), List.of("fra", "ams"), now.get() - 12_000);
        heard("node-b", nodes.get("node-b").baseUri(), List.of("fra", "lhr"), now.get() - 12_000);
        HttpResponse<String> same = atAggregator(onA, "fra");
        assertEquals(200, same.statusCode(), same.body());
        assertEquals("node-a", answeredBy(same), "a unit goes to its node by the nodes' last frames");
        HttpResponse<String> ams = atAggregator(onA, "ams");
        assertEquals(200, ams.statusCode(), ams.body());
        assertEquals("node-a", answeredBy(ams));

        // A node that stopped refuses the connection and is passed over; where no other node can answer, the 503
        // says the aggregator cannot reach Kafka, as the frames do, and calls no node silent.
        HttpResponse<String> refused = stopNodeA(onA);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""));
        String said = JSON.readTree(refused.body()).get("errorDetails").asText();
        assertTrue(said.contains("node-a at http://") && said.contains("refused its connection 0 s ago"), said);
        assertTrue(said.contains("the aggregator cannot reach Kafka since"), said);
        assertFalse(said.contains("silent"), said);

        // A node naming no URL cannot be called: said so, with the outage, and with no count of silence.
        heard("node-b", null, List.of("fra", "lhr"), now.get() - 12_000);
        HttpResponse<String> old = atAggregator(onA, "lhr");
        assertEquals(503, old.statusCode(), old.body());
        said = JSON.readTree(old.body()).get("errorDetails").asText();
        assertTrue(said.contains("node-b names no URL") && said.contains("the aggregator cannot reach Kafka since"), said);
        assertFalse(said.contains("silent") || said.contains("has been heard from in the last"), said);

        // Kafka answers again and still nothing is heard from node-b: now it is silent, by the one rule.
        kafka.set(null);
        heard("node-b", nodes.get("node-b").baseUri(), List.of("fra", "lhr"), now.get() - 12_000);
        HttpResponse<String> silent = atAggregator(onA, "lhr");
        assertEquals(503, silent.statusCode(), silent.body());
        assertTrue(silent.body().contains("node node-b silent 12 s"), silent.body());
    }

    /**
     * The aggregator's OFREP samples for {@code node} in its {@code /metrics}: each failed connection's reason
     * ("refused", "unreachable", "unresolved", "timeout"), "passed" and "now".
     */
    private Map<String, Long> routing(String node) {
        Map<String, Long> out = new HashMap<>();
        String failed = "edgedeck_fleet_ofrep_node_connections_failed_total{node=\"" + node + "\",reason=\"";
        for (String line : ofrep.metrics().split("\n")) {
            String labels = "node=\"" + node + "\"";
            String value = line.substring(line.lastIndexOf(' ') + 1);
            if (line.startsWith(failed)) {
                out.put(line.substring(failed.length(), line.indexOf('"', failed.length())), Long.parseLong(value));
            } else if (line.startsWith("edgedeck_fleet_ofrep_node_passed_over_total{" + labels + "}")) {
                out.put("passed", Long.parseLong(value));
            } else if (line.startsWith("edgedeck_fleet_ofrep_node_passing_over{" + labels + "}")) {
                out.put("now", Long.parseLong(value));
            }
        }
        return out;
    }

    /** The samples {@link #routing} reads for a node whose connections were refused or not taken, none other failing. */
    private static Map<String, Long> routed(long refused, long timeout, long passed, long passingOver) {
        return Map.of("refused", refused, "unreachable", 0L, "unresolved", 0L, "timeout", timeout, "passed", passed,
                "now", passingOver);
    }

    @Test
    void whileTheAggregatorCannotReachKafkaAStoppedNodeIsCalledOnceThenPassedOverUntilItIsCalledAgain() throws Exception {
        aggregatorCalling(KEY);
        String onA = unitAt("node-a");
        assertEquals(Map.of(), routing("node-a"), "no failure yet: no sample");
        kafka.set(new FleetAggregator.Outage(now.get() - 20_000, "Kafka did not answer within 5 s (TimeoutException)"));
        heard("node-b", nodes.get("node-b").baseUri(), List.of("fra", "lhr"), now.get() - 12_000);
        EdgeNode a = nodes.remove("node-a");
        URI aUrl = a.baseUri();
        heard("node-a", aUrl, List.of("fra", "ams"), now.get() - 12_000);
        a.close();

        // The first evaluation of node-a's unit calls it, is refused, and node-b answers; the next ones do not call it.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = atAggregator(onA, "fra");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("node-b", answeredBy(r));
        }
        assertEquals(routed(1, 0, 2, 1), routing("node-a"));

        // ams is node-a's alone: answered at once, in the frames' words, with when it is called again.
        later(2_000);
        HttpResponse<String> ams = atAggregator(onA, "ams");
        assertEquals(503, ams.statusCode(), ams.body());
        assertEquals("3", ams.headers().firstValue("Retry-After").orElse(""));
        String said = JSON.readTree(ams.body()).get("errorDetails").asText();
        assertEquals("no node serving ams could be reached: node-a at " + aUrl
                + " (refused its connection 2 s ago; called again in 3 s); the aggregator cannot reach Kafka since", said.substring(0,
                said.indexOf(" since") + 6));
        assertFalse(said.contains("silent"), said);
        assertEquals(routed(1, 0, 3, 1), routing("node-a"));

        // Once that time is up the next evaluation calls it again: still refused, remembered afresh.
        later(3_000);
        assertEquals(0L, routing("node-a").get("now"), "due to be called again");
        HttpResponse<String> again = atAggregator(onA, "ams");
        assertEquals(503, again.statusCode(), again.body());
        assertTrue(again.body().contains("(connection refused)"), again.body());
        assertEquals("5", again.headers().firstValue("Retry-After").orElse(""));
        assertEquals(routed(2, 0, 3, 1), routing("node-a"));

        // node-a starts again where it was: the first evaluation after the time is up reaches it, and its units go back.
        node("node-a", new LinkedHashMap<>(Map.of("fra", "eu", "ams", "eu")), KEY, aUrl.getPort());
        heard("node-a", nodes.get("node-a").baseUri(), List.of("fra", "ams"), now.get() - 12_000);
        later(5_000);
        HttpResponse<String> back = atAggregator(onA, "ams");
        assertEquals(200, back.statusCode(), back.body());
        assertEquals("node-a", answeredBy(back));
        assertEquals("node-a", answeredBy(atAggregator(onA, "fra")));
        assertEquals(routed(2, 0, 3, 0), routing("node-a"));
    }

    @Test
    void aNodeThatTakesNoConnectionIsWaitedForOnceAndItsPopsUnitsGoToAnotherNode() throws Exception {
        aggregatorCalling(KEY);
        String onA = unitAt("node-a");
        // node-a's address takes no connection: a listener whose backlog is full, as a host that drops them.
        try (java.net.ServerSocket hung = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> queued = fill(hung);
            try {
                URI at = URI.create("http://127.0.0.1:" + hung.getLocalPort());
                heard("node-a", at, List.of("fra", "ams"), now.get());
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = atAggregator(onA, "fra");
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals("node-b", answeredBy(r));
                }
                assertEquals(routed(0, 1, 2, 1), routing("node-a"));
                HttpResponse<String> ams = atAggregator(onA, "ams");
                assertEquals(503, ams.statusCode(), ams.body());
                assertTrue(ams.body().contains("node-a at " + at + " (did not take its connection 0 s ago (none within 1000 ms);"
                        + " called again in 5 s)"), ams.body());
                // Its frames name a new address (the node started elsewhere): that one is called at once.
                heard("node-a", nodes.get("node-a").baseUri(), List.of("fra", "ams"), now.get());
                HttpResponse<String> moved = atAggregator(onA, "ams");
                assertEquals(200, moved.statusCode(), moved.body());
                assertEquals("node-a", answeredBy(moved));
                assertEquals(0L, routing("node-a").get("now"));
            } finally {
                for (java.net.Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    /** Connections to {@code hung} until its backlog is full and it takes no more, as a host that drops them. */
    private static List<java.net.Socket> fill(java.net.ServerSocket hung) throws Exception {
        List<java.net.Socket> queued = new ArrayList<>();
        while (true) {
            java.net.Socket s = new java.net.Socket();
            try {
                s.connect(hung.getLocalSocketAddress(), 200);
            } catch (java.net.SocketTimeoutException full) {
                s.close();
                return queued;
            }
            queued.add(s);
        }
    }

    @Test
    void aNodeBackUpAndSendingFramesIsCalledAtTheFirstFrameAfterItsConnectionFailed() throws Exception {
        aggregatorCalling(KEY);
        EdgeNode a = nodes.remove("node-a");
        URI aUrl = a.baseUri();
        a.close();
        // Kafka answers; node-a, ams's only node, stopped: its connection is refused, and it is remembered.
        HttpResponse<String> refused = atAggregator("viewer-1", "ams");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("(connection refused)"), refused.body());
        // A frame reaches the aggregator after that while the node still refuses: one evaluation calls it again...
        heard("node-a", aUrl, List.of("fra", "ams"), now.get());
        HttpResponse<String> still = atAggregator("viewer-1", "ams");
        assertTrue(still.body().contains("(connection refused)"), still.body());
        // ...and the next ones pass it over until the next frame.
        HttpResponse<String> passed = atAggregator("viewer-1", "ams");
        assertTrue(passed.body().contains("(refused its connection 0 s ago; called again in 5 s)"), passed.body());
        assertEquals(routed(2, 0, 1, 1), routing("node-a"));

        // A supervisor starts it again where it was, and its frames reach the aggregator 1.5 s later: called at once.
        node("node-a", new LinkedHashMap<>(Map.of("fra", "eu", "ams", "eu")), KEY, aUrl.getPort());
        later(1_500);
        heard("node-a", aUrl, List.of("fra", "ams"), now.get());
        assertEquals(0L, routing("node-a").get("now"), "a frame came after the failure: called by the next evaluation");
        HttpResponse<String> back = atAggregator("viewer-1", "ams");
        assertEquals(200, back.statusCode(), back.body());
        assertEquals("node-a", answeredBy(back));
        assertEquals(routed(2, 0, 1, 0), routing("node-a"));
    }

    @Test
    void theAggregatorsWallClockSetBackDoesNotKeepANodePassedOver() throws Exception {
        aggregatorCalling(KEY);
        EdgeNode a = nodes.remove("node-a");
        URI aUrl = a.baseUri();
        NodeFrame last = frames.get("node-a");
        a.close();
        HttpResponse<String> refused = atAggregator("viewer-1", "ams");
        assertTrue(refused.body().contains("(connection refused)"), refused.body());
        // The aggregator's clock is set back 2 minutes (NTP, a resumed VM): node-a is still called again in 5 s.
        now.addAndGet(-120_000);
        HttpResponse<String> passed = atAggregator("viewer-1", "ams");
        assertEquals(503, passed.statusCode(), passed.body());
        assertTrue(passed.body().contains("(refused its connection 0 s ago; called again in 5 s)"), passed.body());
        assertEquals("5", passed.headers().firstValue("Retry-After").orElse(""));
        // node-a starts again and no frame of it has come yet (the aggregator has its last one): after the 5 s, called.
        node("node-a", new LinkedHashMap<>(Map.of("fra", "eu", "ams", "eu")), KEY, aUrl.getPort());
        frames.put("node-a", last);
        later(5_000);
        HttpResponse<String> back = atAggregator("viewer-1", "ams");
        assertEquals(200, back.statusCode(), back.body());
        assertEquals("node-a", answeredBy(back));
    }

    @Test
    void aNodeWhoseHostNameDoesNotResolveIsSaidSoAndCountedSo() throws Exception {
        aggregatorCalling(KEY);
        // .invalid never resolves (RFC 2606).
        heard("node-a", URI.create("http://node-a.invalid:8787"), List.of("fra", "ams"), now.get());
        HttpResponse<String> r = atAggregator("viewer-1", "ams");
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("node-a at http://node-a.invalid:8787 (its URL's host name does not resolve)"), r.body());
        HttpResponse<String> passed = atAggregator("viewer-1", "ams");
        assertTrue(passed.body().contains("(its URL's host name did not resolve 0 s ago; called again in 5 s)"), passed.body());
        assertEquals(Map.of("refused", 0L, "unreachable", 0L, "unresolved", 1L, "timeout", 0L, "passed", 1L, "now", 1L),
                routing("node-a"));
    }

    @Test
    void aConnectionThatFailedIsNamedByItsCauseAsTheHttpClientWrapsIt() {
        // The client wraps each failure to connect in a ConnectException around the one that has the cause.
        assertEquals(FleetOfrep.Failure.UNREACHABLE, FleetOfrep.Failure.of(connectFailed(new java.net.NoRouteToHostException(
                "No route to host"))));
        assertEquals(FleetOfrep.Failure.UNREACHABLE, FleetOfrep.Failure.of(connectFailed(new java.net.SocketException(
                "Network is unreachable"))));
        assertEquals(FleetOfrep.Failure.UNRESOLVED, FleetOfrep.Failure.of(connectFailed(
                new java.nio.channels.UnresolvedAddressException())));
        assertEquals(FleetOfrep.Failure.REFUSED, FleetOfrep.Failure.of(connectFailed(new java.net.ConnectException(
                "Connection refused"))));
        assertEquals(FleetOfrep.Failure.TIMEOUT, FleetOfrep.Failure.of(new java.net.http.HttpConnectTimeoutException(
                "HTTP connect timed out")));
    }

    private static java.net.ConnectException connectFailed(Throwable cause) {
        java.net.ConnectException inner = new java.net.ConnectException(cause.getMessage());
        inner.initCause(cause);
        java.net.ConnectException outer = new java.net.ConnectException(cause.getMessage());
        outer.initCause(inner);
        return outer;
    }

    @Test
    void whileOneEvaluationCallsANodeAgainTheOthersPassItOverAndTheGaugeFollowsTheRouting() throws Exception {
        aggregatorCalling(KEY);
        try (java.net.ServerSocket hung = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> queued = fill(hung);
            try {
                URI at = URI.create("http://127.0.0.1:" + hung.getLocalPort());
                heard("node-a", at, List.of("fra", "ams"), now.get());
                // node-a takes no connection: the first evaluation waits out the connect timeout, and it is remembered.
                HttpResponse<String> first = atAggregator("viewer-1", "ams");
                assertEquals(503, first.statusCode(), first.body());
                assertEquals(routed(0, 1, 0, 1), routing("node-a"));
                // Its listener takes connections again, but answers none: the call that follows holds on.
                hung.setSoTimeout(200);
                while (true) {
                    try {
                        hung.accept().close();
                    } catch (java.net.SocketTimeoutException drained) {
                        break;
                    }
                }
                later(5_000);
                java.util.concurrent.CompletableFuture<HttpResponse<String>> calling =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return atAggregator("viewer-1", "ams");
                            } catch (Exception e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        });
                hung.setSoTimeout(30_000);
                try (java.net.Socket taken = hung.accept()) {
                    // That evaluation is calling node-a: another is answered without a call.
                    HttpResponse<String> other = atAggregator("viewer-1", "ams");
                    assertEquals(503, other.statusCode(), other.body());
                    assertTrue(other.body().contains("node-a at " + at + " (did not take its connection 5 s ago"
                            + " (none within 1000 ms); being called again now)"), other.body());
                    assertEquals("1", other.headers().firstValue("Retry-After").orElse(""));
                    assertEquals(routed(0, 1, 1, 1), routing("node-a"));
                    // Past the call's bound the next evaluation would call node-a: the gauge says it is not passed over.
                    later(FleetOfrep.CONNECT_TIMEOUT.plus(FleetOfrep.ANSWER_TIMEOUT).toMillis());
                    assertEquals(routed(0, 1, 1, 0), routing("node-a"));
                }
                // The node closed the connection without an answer: it took it, so it is not passed over.
                HttpResponse<String> ended = calling.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(502, ended.statusCode(), ended.body());
                assertEquals("node-a", answeredBy(ended));
                assertEquals(routed(0, 1, 1, 0), routing("node-a"));
            } finally {
                for (java.net.Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aKeyTheNodesRefuseIsAGatewayErrorThatSaysWhichKeyToGive() throws Exception {
        aggregatorCalling("not-the-nodes-key");
        HttpResponse<String> r = atAggregator("viewer-1", "lhr");
        assertEquals(502, r.statusCode(), r.body());
        assertEquals("node-b", answeredBy(r));
        assertTrue(r.body().contains("--nodes-read-key"), r.body());
        assertTrue(!r.body().contains(KEY) && !r.body().contains("not-the-nodes-key"), "no key in the answer: " + r.body());
    }

    @Test
    void bulkEvaluationKeepsTheNodesETagAndTheConfigurationIsTheNodes() throws Exception {
        aggregatorCalling(KEY);
        HttpResponse<String> all = evaluate(aggregator.baseUri(), "/evaluate/flags", context("viewer-9", "fra"), null);
        assertEquals(200, all.statusCode(), all.body());
        String etag = all.headers().firstValue("ETag").orElseThrow();
        assertEquals("offer-banner", JSON.readTree(all.body()).get("flags").get(0).get("key").asText());
        HttpResponse<String> same = evaluate(aggregator.baseUri(), "/evaluate/flags", context("viewer-9", "fra"), etag);
        assertEquals(304, same.statusCode(), same.body());
        assertEquals(answeredBy(all), answeredBy(same));
        assertNotEquals("", answeredBy(all));

        HttpResponse<String> config = http.send(HttpRequest.newBuilder(aggregator.baseUri().resolve("/ofrep/v1/configuration"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> nodeConfig = http.send(HttpRequest.newBuilder(nodes.get("node-a").baseUri()
                .resolve("/ofrep/v1/configuration")).header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, config.statusCode());
        assertEquals(nodeConfig.body(), config.body());
    }

    @Test
    void eachNodeIsFirstForItsShareOfUnitsAndANodeLeavingMovesOnlyItsOwn() {
        List<String> three = List.of("node-a", "node-b", "node-c");
        Map<String, Integer> share = new HashMap<>();
        int moved = 0;
        int units = 30_000;
        for (int i = 0; i < units; i++) {
            String unit = "u" + i;
            String first = rankedFirst(unit, three);
            share.merge(first, 1, Integer::sum);
            String after = rankedFirst(unit, List.of("node-a", "node-b"));
            if (!first.equals("node-c")) {
                assertEquals(first, after, unit + " moved although its node stayed");
            } else {
                moved++;
            }
        }
        for (String n : three) {
            assertEquals(1.0 / 3, share.get(n) / (double) units, 0.015, share.toString());
        }
        assertEquals(share.get("node-c"), moved);
    }

    private static String rankedFirst(String unit, List<String> ids) {
        Map<String, NodeFrame> frames = new HashMap<>();
        for (String id : ids) {
            frames.put(id, new NodeFrame(1, id, 1_000, List.of("fra"), 0, 0, 0, -1, 0, 0, null, "http://127.0.0.1:1"));
        }
        return FleetOfrep.ranked(frames, new FleetOfrep.Placement(unit, "fra"), null, 1_000).getFirst().node();
    }
    @Test
    void whileTheAggregatorCannotReachKafkaANodeAlreadySilentWhenItLastCouldIsNotCalled() {
        // node-old was retired long before Kafka stopped answering: its host may be gone, and a call to it would wait
        // out the connect timeout. node-fresh was heard from just before, and may be serving.
        Map<String, NodeFrame> known = new java.util.LinkedHashMap<>();
        long since = 1_000_000;
        known.put("node-old", new NodeFrame(1, "node-old", since - FleetFrames.STALE_MILLIS - 60_000, List.of("fra"), 0, 0, 0,
                -1, 0, 0, null, "http://127.0.0.1:1"));
        known.put("node-fresh", new NodeFrame(1, "node-fresh", since - 1_000, List.of("fra"), 0, 0, 0, -1, 0, 0, null,
                "http://127.0.0.1:2"));
        FleetAggregator.Outage outage = new FleetAggregator.Outage(since, "Kafka did not answer within 5 s (TimeoutException)");
        for (int u = 0; u < 50; u++) {
            List<NodeFrame> ranked = FleetOfrep.ranked(known, new FleetOfrep.Placement("unit-" + u, "fra"), outage,
                    since + 120_000);
            assertEquals(List.of("node-fresh"), ranked.stream().map(NodeFrame::node).toList(), "unit-" + u);
        }
    }
}
