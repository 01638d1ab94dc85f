package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.Problem;
import io.edgedeck.client.model.Role;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aggregator serves the read side of the Edge Control API for the whole fleet: three live nodes (each its own
 * PoPs) publish to a real broker, and the console's own client ({@link HttpEdgeConnection}) connected to the
 * aggregator gets fleet frames holding every node's PoPs with each variant's counts summed exactly over the nodes,
 * learns it is a fleet (no node-only views, a viewer), and is refused every change with a problem that names the
 * nodes. A node stopped turns its PoPs to no data in the fleet's frame, never left looking live. OFREP at the aggregator
 * is answered by the node serving the viewer's PoP, found from the URL in its frames, and counts in the fleet's exposures.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetApiKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-api",
             "pops": [%s],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "sentiment-guard", "flag": "offer-banner", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "sentimentChange", "op": "<", "value": -0.15}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback"}]}""";

    /** One node of the test's fleet and what it is sent: units exposed to each arm, and how many treatment units convert. */
    private record Plan(String id, Map<String, String> pops, int treatment, int control, int converting) {
        String config() {
            StringJoiner pops = new StringJoiner(", ");
            this.pops.forEach((pop, region) -> pops.add("{\"id\": \"" + pop + "\", \"region\": \"" + region + "\"}"));
            return CONFIG.formatted(pops);
        }
    }

    private static final List<Plan> PLANS = List.of(
            new Plan("node-a", new LinkedHashMap<>(Map.of("fra", "eu", "ams", "eu")), 10, 5, 3),
            new Plan("node-b", Map.of("lhr", "eu"), 7, 3, 2),
            new Plan("node-c", Map.of("iad", "na"), 4, 6, 1));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static void await(String what, Eventually.Check condition) throws Exception {
        Eventually.await(what, Duration.ofSeconds(90), Duration.ofMillis(100), condition);
    }

    private HttpResponse<String> send(URI base, String method, String path, String key, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a node its plan's exposures, conversions and a few latencies at each of its PoPs, as a site would. */
    private void feed(EdgeNode node, Plan plan) throws Exception {
        StringJoiner body = new StringJoiner("\n");
        int n = 0;
        String firstPop = plan.pops().keySet().iterator().next();
        for (int i = 0; i < plan.treatment(); i++) {
            body.add("{\"id\":\"" + plan.id() + "-" + n++ + "\",\"type\":\"exposure\",\"flag\":\"offer-banner\",\"variant\":\"treatment\","
                    + "\"targetingKey\":\"" + plan.id() + "-t" + i + "\",\"pop\":\"" + firstPop + "\"}");
        }
        for (int i = 0; i < plan.control(); i++) {
            body.add("{\"id\":\"" + plan.id() + "-" + n++ + "\",\"type\":\"exposure\",\"flag\":\"offer-banner\",\"variant\":\"control\","
                    + "\"targetingKey\":\"" + plan.id() + "-c" + i + "\",\"pop\":\"" + firstPop + "\"}");
        }
        for (int i = 0; i < plan.converting(); i++) {
            body.add("{\"id\":\"" + plan.id() + "-" + n++ + "\",\"type\":\"conversion\",\"name\":\"checkout\",\"targetingKey\":\""
                    + plan.id() + "-t" + i + "\",\"value\":10.0}");
        }
        for (String pop : plan.pops().keySet()) {
            for (int i = 0; i < 5; i++) {
                body.add("{\"id\":\"" + plan.id() + "-" + n++ + "\",\"type\":\"latency\",\"pop\":\"" + pop + "\",\"ms\":" + (20 + i) + "}");
            }
        }
        HttpResponse<String> r = NodeRequests.ingest(http, node, body.toString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(n, JSON.readTree(r.body()).get("accepted").asInt(), r.body());
    }

    private JsonNode nodeFrame(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node.baseUri(), "GET", "/api/v1/frames/latest", Files.readString(node.tokenFile()).trim(), null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private static long arm(JsonNode frame, String variant, String field) {
        for (JsonNode v : frame.get("variants")) {
            if (v.get("flag").asText().equals("offer-banner") && v.get("variant").asText().equals(variant)) {
                return v.get(field).asLong();
            }
        }
        return -1;
    }

    private static VariantMetrics arm(MetricsFrame frame, String variant) {
        return frame.variants().stream().filter(v -> v.flag().equals("offer-banner") && v.variant().equals(variant)).findFirst()
                .orElse(null);
    }

    private static EdgeException failure(CompletableFuture<?> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(EdgeException.class, e.getCause());
    }

    @Test
    void theConsolesClientWatchesTheWholeFleetAtTheAggregatorAndChangesNothingThere(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-api", 3);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<EdgeNode> nodes = new ArrayList<>();
            // One read key for the fleet's nodes, the one the aggregator calls their OFREP with.
            Path nodesReadKey = dir.resolve("nodes-read-key");
            Files.writeString(nodesReadKey, "fleet-api-nodes-read-key-0123456789\n");
            for (Plan p : PLANS) {
                Files.createDirectories(dir.resolve(p.id()));
                Files.copy(nodesReadKey, dir.resolve(p.id()).resolve("read-key"));
                EdgeNode node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(p.config().getBytes(StandardCharsets.UTF_8)),
                        InetAddress.getLoopbackAddress(), 0, dir.resolve(p.id())).withFleet(
                        new FleetOptions(kafka.bootstrapServers(), null, topics, p.id())));
                open.add(node);
                nodes.add(node);
            }
            FleetServer aggregator = FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null),
                    InetAddress.getLoopbackAddress(), 0, dir.resolve("aggregator"), 0, null, nodesReadKey);
            open.add(aggregator);
            for (int i = 0; i < PLANS.size(); i++) {
                feed(nodes.get(i), PLANS.get(i));
            }
            // Each node's own frame first: what the fleet's must add up to.
            for (int i = 0; i < PLANS.size(); i++) {
                EdgeNode node = nodes.get(i);
                Plan p = PLANS.get(i);
                await(p.id() + "'s frame counts what it was sent", () -> {
                    JsonNode f = nodeFrame(node);
                    return f != null && arm(f, "treatment", "exposures") == p.treatment() && arm(f, "control", "exposures") == p.control()
                            && arm(f, "treatment", "conversions") == p.converting();
                });
            }

            String adminToken = Files.readString(aggregator.tokenFile()).trim();
            HttpEdgeConnection fleet = HttpEdgeConnection.open(aggregator.baseUri(), adminToken);
            open.add(fleet);
            assertTrue(fleet.awaitFirstAnswer(Duration.ofSeconds(10)), "the aggregator answered the stream");
            assertTrue(fleet.isFleetAggregator(), "the aggregator says it is one");
            assertFalse(fleet.hasPlaybooks() || fleet.hasApprovals() || fleet.hasSources() || fleet.hasTriggerAudit()
                    || fleet.hasAudit() || fleet.hasAuditExport() || fleet.hasFlagHistory() || fleet.hasHistory(),
                    "no view of a node's own records");

            int treatment = PLANS.stream().mapToInt(Plan::treatment).sum();
            int control = PLANS.stream().mapToInt(Plan::control).sum();
            int converting = PLANS.stream().mapToInt(Plan::converting).sum();
            await("the fleet's frame holds every node's PoPs and the summed counts", () -> fleet.latestFrame().map(f ->
                    f.pops().stream().map(PopMetrics::id).sorted().toList().equals(List.of("ams", "fra", "iad", "lhr"))
                            && arm(f, "treatment") != null && arm(f, "treatment").exposures() == treatment
                            && arm(f, "control").exposures() == control && arm(f, "treatment").conversions() == converting)
                    .orElse(false));
            MetricsFrame f = fleet.latestFrame().orElseThrow();
            long nodesTreatment = 0;
            for (EdgeNode node : nodes) {
                nodesTreatment += arm(nodeFrame(node), "treatment", "exposures");
            }
            assertEquals(nodesTreatment, arm(f, "treatment").exposures(), "exactly the nodes' counts added up");
            assertEquals((double) converting / treatment, arm(f, "treatment").conversionRate(), 1e-12);
            assertEquals(NodeCondition.OK, f.node());
            assertTrue(f.pops().stream().noneMatch(p -> p.faults().stream().anyMatch(x -> x.contains("silent"))), f.pops().toString());

            // A viewer at the aggregator, whichever key: the console offers no change.
            await("the stream is online", () -> fleet.status().online());
            Caller who = fleet.caller().get(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals(Role.VIEWER, who.role(), who.toString());
            assertEquals("offer-banner", fleet.flags().get(30, TimeUnit.SECONDS).getFirst().key());
            assertEquals(List.of("sentiment-guard @ node-a", "sentiment-guard @ node-b", "sentiment-guard @ node-c"),
                    fleet.guardrails().get(30, TimeUnit.SECONDS).stream().map(GuardrailStatus::id).toList());

            // Changes are refused, naming the nodes whose APIs take them; a node's own records are not served here.
            EdgeException change = failure(fleet.changeFlag("offer-banner", new FlagChange(1, List.of(new VariantView("control", 10_000),
                    new VariantView("treatment", 0)), null, null, "ramp down")));
            assertEquals(EdgeException.Kind.FORBIDDEN, change.kind(), change.getMessage());
            assertTrue(change.getMessage().contains("node-a (ams, fra)") && change.getMessage().contains("node-c (iad)"),
                    change.getMessage());
            assertEquals(EdgeException.Kind.FORBIDDEN, failure(fleet.setKilled("offer-banner", true, null, "errors")).kind());
            assertEquals(EdgeException.Kind.FORBIDDEN, failure(fleet.rollback("offer-banner", "treatment", null, "errors")).kind());
            assertEquals(EdgeException.Kind.FORBIDDEN, failure(fleet.setArmed("sentiment-guard", false, null, "quiet")).kind());
            assertEquals(EdgeException.Kind.NOT_FOUND, failure(fleet.audit()).kind());
            HttpResponse<String> kill = send(aggregator.baseUri(), "POST", "/api/v1/flags/offer-banner/kill", adminToken,
                    "{\"reason\":\"errors\"}");
            assertEquals(403, kill.statusCode(), kill.body());
            assertEquals("aggregator-takes-no-changes", JSON.readTree(kill.body()).path("reason").asText(), kill.body());
            assertEquals(Problem.MEDIA_TYPE, kill.headers().firstValue("Content-Type").orElse(""));
            assertEquals(HttpEdgeConnection.FLEET_AGGREGATOR, kill.headers().firstValue(HttpEdgeConnection.SERVER_HEADER).orElse(""));
            for (int i = 0; i < PLANS.size(); i++) {
                // The refused kill changed nothing on any node.
                assertFalse(JSON.readTree(send(nodes.get(i).baseUri(), "GET", "/api/v1/flags",
                        Files.readString(nodes.get(i).tokenFile()).trim(), null).body()).get(0).get("killed").asBoolean());
            }

            // A node's connection is still a node's: every view it offers.
            try (HttpEdgeConnection node = HttpEdgeConnection.open(nodes.getFirst().baseUri(),
                    Files.readString(nodes.getFirst().tokenFile()).trim())) {
                assertTrue(node.awaitFirstAnswer(Duration.ofSeconds(10)));
                assertFalse(node.isFleetAggregator());
                assertTrue(node.hasPlaybooks() && node.hasApprovals() && node.hasSources() && node.hasHistory() && node.hasAudit());
            }

            // node-c stops: its PoP goes to no data in the fleet's frame, with why; the other nodes' PoPs do not.
            open.remove(nodes.get(2));
            nodes.get(2).close();
            await("node-c's PoP shows no data", () -> fleet.latestFrame().map(fr -> fr.pop("iad").health() == PopHealth.NO_DATA)
                    .orElse(false));
            MetricsFrame after = fleet.latestFrame().orElseThrow();
            assertTrue(after.pop("iad").faults().stream().anyMatch(x -> x.startsWith("node node-c silent")), after.pop("iad").toString());
            for (String pop : List.of("ams", "fra", "lhr")) {
                assertTrue(after.pop(pop).faults().stream().noneMatch(x -> x.contains("silent")), after.pop(pop).toString());
            }
            assertEquals(NodeCondition.Status.READ_ONLY, after.node().status());
            assertTrue(after.node().detail().contains("node-c silent") && !after.node().detail().contains("node-a"),
                    after.node().detail());
            // The frame names node-c in data as well, last heard from when /api/v1/fleet says: a console counts its
            // seconds from that, by the same count as the Fleet tab's headline.
            io.edgedeck.client.model.FleetView answer = fleet.fleet().get(30, TimeUnit.SECONDS);
            io.edgedeck.client.model.FleetView.Node cNode = answer.nodes().stream().filter(n -> n.node().equals("node-c"))
                    .findFirst().orElseThrow();
            long cLastSeen = cNode.lastSeenMillis();
            // The answer says the aggregator's clock when it answered: each node's age is from it.
            assertEquals(answer.atMillis(), cLastSeen + cNode.ageMillis(), answer.toString());
            assertEquals(List.of(new NodeCondition.Silent("node-c", cLastSeen)), after.node().silent(), after.node().toString());
            // And the PoP says which node serves it, that it is silent and since when, with the clause it added.
            PopMetrics.ServedBy iadBy = after.pop("iad").servedBy().getFirst();
            assertEquals(List.of("node-c", true, cLastSeen), List.of(iadBy.node(), iadBy.silent(), iadBy.lastSeenMillis()),
                    after.pop("iad").toString());
            assertTrue(after.pop("iad").faults().contains(iadBy.fault()), after.pop("iad").toString());
            assertTrue(after.pop("fra").servedBy().stream().noneMatch(PopMetrics.ServedBy::silent), after.pop("fra").toString());
            assertEquals("", after.node().otherDetail(), after.node().toString());
            // A cue fired on every node: node-c, silent, did not take it, named in words and in data on the same clock.
            io.edgedeck.client.model.FleetCueFired fired = fleet.fireFleetCue("encore", "the encore is live").get(30, TimeUnit.SECONDS);
            assertEquals(List.of("node-a", "node-b"), fired.took(), fired.toString());
            assertEquals(1, fired.notTaken().size(), fired.toString());
            io.edgedeck.client.model.FleetCueFired.NotTaken c = fired.notTaken().getFirst();
            assertEquals("node-c", c.node());
            assertTrue(c.why().startsWith("silent for "), c.why());
            assertEquals(cLastSeen, c.lastSeenMillis(), fired.toString());
            assertEquals(treatment, arm(after, "treatment").exposures(), "what node-c counted before it stopped still counts");
            assertNotEquals(f.sequence(), after.sequence());

            // OFREP at the aggregator: the node serving the viewer's PoP answers, where each node's frames say its API is,
            // and the evaluation is an exposure there, in the fleet's counts; node-c's PoP has no node to answer now.
            String readKey = Files.readString(aggregator.readKeyFile()).trim();
            HttpResponse<String> ofrep = send(aggregator.baseUri(), "POST", "/ofrep/v1/evaluate/flags/offer-banner", readKey,
                    "{\"context\":{\"targetingKey\":\"viewer-7\",\"pop\":\"lhr\"}}");
            assertEquals(200, ofrep.statusCode(), ofrep.body());
            assertEquals("node-b", ofrep.headers().firstValue("X-EdgeDeck-Node").orElse(""));
            String variant = JSON.readTree(ofrep.body()).get("variant").asText();
            long before = arm(after, variant).exposures();
            await("the evaluation counts as an exposure in the fleet", () -> fleet.latestFrame()
                    .map(fr -> arm(fr, variant).exposures() == before + 1).orElse(false));
            HttpResponse<String> iad = send(aggregator.baseUri(), "POST", "/ofrep/v1/evaluate/flags/offer-banner", readKey,
                    "{\"context\":{\"targetingKey\":\"viewer-7\",\"pop\":\"iad\"}}");
            assertEquals(503, iad.statusCode(), iad.body());
            assertTrue(iad.body().contains("node node-c silent"), iad.body());
        } finally {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        }
    }
}
