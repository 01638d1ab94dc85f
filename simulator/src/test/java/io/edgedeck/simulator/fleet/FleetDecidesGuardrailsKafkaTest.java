package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.GuardrailState;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetDecisions;
import io.edgedeck.simulator.server.FleetServer;
import io.edgedeck.simulator.server.control.FleetControl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aggregator decides guardrails on the whole fleet's evidence: three nodes (their rules left to the fleet,
 * {@code --fleet-guardrails}) each see a third of a conversion drop, too little for any node's own test, and the
 * aggregator, judging the sum with the same code, rolls the variant back through the control topic on every
 * node, audited once on each. An A/A flag judged alongside on the same seconds does not fire.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetDecidesGuardrailsKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-decides",
             "pops": [{"id": "%s", "region": "eu"}],
             "ingest": {"maxBatchEvents": 5000, "maxBatchBytes": 67108864, "maxEventsPerSecond": 1000000},
             "flags": [{"key": "checkout-redesign", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"},
                       {"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "conversion-guard", "flag": "checkout-redesign", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "conversionLift", "op": "<", "value": -0.1}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback",
                             "armed": true},
                            {"id": "banner-guard", "flag": "offer-banner", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "conversionLift", "op": "<", "value": -0.1}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback",
                             "armed": true},
                            {"id": "latency-guard", "flag": "offer-banner", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "p95LatencyRatio", "op": ">", "value": 1.5}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback",
                             "armed": true}]}""";
    /** The same show with a playbook tied to the rule the fleet decides: it stands the A/A flag's rule down. */
    private static final String WITH_PLAYBOOK = CONFIG.substring(0, CONFIG.length() - 1) + """
            , "playbooks": [{"id": "stand-down", "onGuardrail": "conversion-guard",
                             "actions": [{"type": "disarm", "guardrail": "banner-guard"}]}]}""";
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
    private static final List<String> POPS = List.of("fra", "lhr", "iad");
    /** Each node's units per arm of each flag. */
    private static final int UNITS = 300;
    /**
     * Each node's converting units: on checkout-redesign 30 of the treatment's against 60 of control's. Over one
     * node's evidence the first period's interval on the ratio reaches 1.05 (no harm established); over the
     * fleet's 90 against 180 it ends at 0.75, and the estimate, -50%, is past -10%. offer-banner converts alike.
     */
    private static final int TREATMENT_CONVERTING = 30;
    private static final int CONTROL_CONVERTING = 60;
    private static final int BANNER_CONVERTING = 45;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static void await(String what, Eventually.Check condition) throws Exception {
        Eventually.await(what, Duration.ofSeconds(90), Duration.ofMillis(100), condition);
    }

    private HttpResponse<String> get(java.net.URI base, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(EdgeNode node) throws Exception {
        return Files.readString(node.tokenFile()).trim();
    }

    /** Units exposed to each arm of both flags, and the converting ones' checkouts. */
    private void feed(EdgeNode node, String id, String pop) throws Exception {
        StringJoiner body = new StringJoiner("\n");
        int n = 0;
        for (String flag : List.of("checkout-redesign", "offer-banner")) {
            for (String variant : List.of("treatment", "control")) {
                int converting = flag.equals("offer-banner") ? BANNER_CONVERTING
                        : variant.equals("treatment") ? TREATMENT_CONVERTING : CONTROL_CONVERTING;
                for (int i = 0; i < UNITS; i++) {
                    String unit = id + "-" + flag + "-" + variant + "-" + i;
                    body.add("{\"id\":\"" + id + "-" + n++ + "\",\"type\":\"exposure\",\"flag\":\"" + flag + "\",\"variant\":\""
                            + variant + "\",\"targetingKey\":\"" + unit + "\",\"pop\":\"" + pop + "\"}");
                    if (i < converting) {
                        body.add("{\"id\":\"" + id + "-" + n++ + "\",\"type\":\"conversion\",\"name\":\"checkout\",\"targetingKey\":\""
                                + unit + "\",\"value\":10.0}");
                    }
                }
            }
        }
        HttpResponse<String> r = NodeRequests.ingest(http, node, body.toString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(n, JSON.readTree(r.body()).get("accepted").asInt(), r.body());
    }

    /** The three nodes on {@code config} (their rules left to the fleet), each fed its third of the evidence. */
    private List<EdgeNode> fedNodes(EmbeddedKafka kafka, FleetTopics topics, String config, List<AutoCloseable> open) throws Exception {
        List<EdgeNode> nodes = new ArrayList<>();
        for (int i = 0; i < NODES.size(); i++) {
            EdgeNode node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(config.formatted(POPS.get(i))
                            .getBytes(StandardCharsets.UTF_8)), InetAddress.getLoopbackAddress(), 0, dir.resolve(NODES.get(i)))
                    .withFleet(new FleetOptions(kafka.bootstrapServers(), null, topics, NODES.get(i)).withGuardrailsByFleet(true)));
            open.add(node);
            nodes.add(node);
        }
        for (int i = 0; i < NODES.size(); i++) {
            feed(nodes.get(i), NODES.get(i), POPS.get(i));
        }
        return nodes;
    }

    private JsonNode guardrail(java.net.URI base, String key, String id) throws Exception {
        HttpResponse<String> r = get(base, "/api/v1/guardrails", key);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode g : JSON.readTree(r.body())) {
            if (g.get("id").asText().equals(id)) {
                return g;
            }
        }
        return null;
    }

    private int weight(EdgeNode node, String flag) throws Exception {
        HttpResponse<String> r = get(node.baseUri(), "/api/v1/flags", token(node));
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode f : JSON.readTree(r.body())) {
            for (JsonNode v : f.get("variants")) {
                if (f.get("key").asText().equals(flag) && v.get("name").asText().equals("treatment")) {
                    return v.get("weight").asInt();
                }
            }
        }
        throw new AssertionError("no " + flag + " treatment in " + r.body());
    }

    private List<String> audit(EdgeNode node) throws Exception {
        HttpResponse<String> r = get(node.baseUri(), "/api/v1/audit", token(node));
        assertEquals(200, r.statusCode(), r.body());
        List<String> entries = new ArrayList<>();
        JSON.readTree(r.body()).forEach(e -> entries.add(e.get("action").asText() + " by " + e.get("actor").asText()));
        return entries;
    }

    private static GuardrailStatus status(FleetServer aggregator, String rule) {
        return aggregator.guardrails().orElseThrow().statuses().stream().filter(g -> g.id().equals(rule)).findFirst().orElseThrow();
    }

    /**
     * A playbook tied to a rule the aggregator decides runs when the aggregator's rollback reaches the nodes, as the
     * rule's own firing would run it on a node: once for the fleet, one record every node applies, and each node's
     * own try finds nothing left to change.
     */
    @Test
    void aPlaybookTiedToARuleTheFleetDecidesRunsOnceForTheFleet(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-playbook", 3);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<EdgeNode> nodes = fedNodes(kafka, topics, WITH_PLAYBOOK, open);
            NodeConfig config = NodeConfigParser.parse(WITH_PLAYBOOK.formatted("fra").getBytes(StandardCharsets.UTF_8));
            open.add(FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null),
                    InetAddress.getLoopbackAddress(), 0, dir.resolve("aggregator"), 0, FleetDecisions.rules(config.show(), new ArrayList<>()), null));

            for (EdgeNode node : nodes) {
                await("the fleet's rollback and its playbook reached " + node.baseUri(), () -> weight(node, "checkout-redesign") == 0
                        && !guardrail(node.baseUri(), token(node), "banner-guard").get("armed").asBoolean());
            }
            await("the playbook's run is on the control topic", () -> ControlTopicRecords.read(kafka, topics).size() == 2);
            for (EdgeNode node : nodes) {
                await("every node settled the run it owed", () -> audit(node).contains("playbook.run by guardrail:conversion-guard"));
            }
            List<Map.Entry<String, JsonNode>> records = ControlTopicRecords.read(kafka, topics);
            assertEquals(2, records.size(), records.toString());
            JsonNode run = records.get(1).getValue();
            assertEquals("guardrail:conversion-guard", run.get("operator").asText());
            assertEquals("stand-down", run.get("run").get("target").asText());
            for (EdgeNode node : nodes) {
                List<String> audit = audit(node);
                assertEquals(1, audit.stream().filter(e -> e.equals("playbook.run by guardrail:conversion-guard")).count(), audit.toString());
                assertEquals(List.of(), node.latestFrame().firings(), "no node fired on its own evidence");
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    @Test
    void theAggregatorRollsBackOnTheFleetsEvidenceWhereNoNodesOwnSufficed(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-decides", 3);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<EdgeNode> nodes = fedNodes(kafka, topics, CONFIG, open);
            // No aggregator yet: each node judges its third alone, with enough exposures, and its own test does not
            // establish the harm. Nothing is rolled back while no aggregator runs.
            for (EdgeNode node : nodes) {
                JsonNode[] seen = new JsonNode[1];
                Eventually.await("a node judged its own third of the evidence", Duration.ofSeconds(90), Duration.ofMillis(100), () -> {
                    JsonNode g = guardrail(node.baseUri(), token(node), "conversion-guard");
                    seen[0] = g;
                    return g != null && g.get("variantExposures").asLong() == UNITS && g.get("controlExposures").asLong() == UNITS
                            && g.get("state").asText().equals("watching") && g.path("decidedBy").asText().equals("fleet");
                }, () -> seen[0]);
                assertEquals(5000, weight(node, "checkout-redesign"));
            }

            // Every node's aggregates on the topics first, so that what the aggregator decides on is the whole fleet's.
            try (FleetAggregator reader = new FleetAggregator(topics, FleetKafka.base(kafka.bootstrapServers(), null), 60, 0)) {
                reader.start();
                await("every node's aggregates are on the topics", () -> reader.snapshot(System.currentTimeMillis()).variants()
                        .stream().filter(v -> v.flag().equals("checkout-redesign")).mapToLong(FleetSnapshot.VariantView::exposures)
                        .sum() == 2L * NODES.size() * UNITS);
            }
            NodeConfig config = NodeConfigParser.parse(CONFIG.formatted("fra").getBytes(StandardCharsets.UTF_8));
            List<String> nodeLocal = new ArrayList<>();
            FleetServer aggregator = FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null),
                    InetAddress.getLoopbackAddress(), 0, dir.resolve("aggregator"), 0, FleetDecisions.rules(config.show(), nodeLocal), null);
            open.add(aggregator);
            assertEquals(List.of("conversion-guard", "banner-guard"), aggregator.guardrails().orElseThrow().ruleIds());
            assertEquals(1, nodeLocal.size(), nodeLocal.toString());
            assertTrue(nodeLocal.getFirst().startsWith("latency-guard: condition p95LatencyRatio"), nodeLocal.toString());

            for (EdgeNode node : nodes) {
                await("every node has checkout-redesign's treatment rolled back by the fleet",
                        () -> weight(node, "checkout-redesign") == 0);
            }
            List<io.edgedeck.client.model.GuardrailFiring> firings = aggregator.guardrails().orElseThrow().firings();
            assertEquals(1, firings.size(), firings.toString());
            assertTrue(firings.getFirst().reason().contains("conversion lift -50%"), firings.toString());
            await("the aggregator's rule shows when it fired", () -> status(aggregator, "conversion-guard").lastFiredAtMillis() != null);
            // The A/A flag was judged on the same seconds, on all of its evidence, and holds no harm.
            GuardrailStatus aa = status(aggregator, "banner-guard");
            assertEquals(GuardrailState.WATCHING, aa.state(), aa.toString());
            assertEquals(3L * UNITS, aa.variantExposures());
            assertEquals(3L * UNITS, aa.controlExposures());
            assertNotNull(aa.conditions().getFirst().estimate(), aa.toString());

            List<JsonNode> records = ControlTopicRecords.read(kafka, topics).stream().map(Map.Entry::getValue).toList();
            assertEquals(1, records.size(), records.toString());
            JsonNode rollback = records.getFirst();
            assertEquals(FleetGuardrails.ISSUER, rollback.get("issuer").asText());
            assertEquals("guardrail:conversion-guard@fleet", rollback.get("operator").asText());
            assertEquals("flag/checkout-redesign", rollback.get("changes").get(0).get("key").asText());

            for (EdgeNode node : nodes) {
                assertEquals(5000, weight(node, "offer-banner"), "the A/A flag is left as it was");
                List<String> audit = audit(node);
                assertEquals(1, audit.stream().filter(e -> e.equals(FleetControl.FLEET_APPLY + " by fleet:" + FleetGuardrails.ISSUER))
                        .count(), audit.toString());
                assertTrue(audit.stream().noneMatch(e -> !e.endsWith(" by config") && (e.startsWith("guardrail.") || e.startsWith("flag.rollback"))), audit.toString());
                assertEquals(List.of(), node.latestFrame().firings(), "no node fired on its own evidence");
            }

            // The aggregator shows its rules as a node shows its own, named for the fleet.
            String key = Files.readString(aggregator.tokenFile()).trim();
            await("the aggregator's guardrails list its fleet rules", () -> {
                JsonNode g = guardrail(aggregator.baseUri(), key, "conversion-guard @ fleet");
                JsonNode b = guardrail(aggregator.baseUri(), key, "banner-guard @ fleet");
                return g != null && !g.get("lastFiredAtMillis").isNull() && b != null && b.get("state").asText().equals("watching")
                        && b.get("conditions").get(0).hasNonNull("estimate");
            });

            // Started again, the aggregator rebuilds the same evidence from the topics and finds the rollback there:
            // the variant serves nobody, nothing is written twice, and the firing is its own again.
            open.remove(aggregator);
            aggregator.close();
            FleetServer again = FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null),
                    InetAddress.getLoopbackAddress(), 0, dir.resolve("aggregator"), 0, FleetDecisions.rules(config.show(), new ArrayList<>()), null);
            open.add(again);
            await("the restarted aggregator judged the whole fleet's evidence again", () -> {
                GuardrailStatus b = status(again, "banner-guard");
                return b.variantExposures() == 3L * UNITS && again.aggregator().lag() == 0;
            });
            Thread.sleep(2 * (FleetGuardrails.SETTLE_MILLIS - 1_000));
            assertEquals(1, ControlTopicRecords.read(kafka, topics).size(), "the restarted aggregator wrote nothing");
            // Its firing is read back from its rollback on the control topic: listed once, as it was, and its
            // rule's cooldown runs from it.
            List<io.edgedeck.client.model.GuardrailFiring> readBack = again.guardrails().orElseThrow().firings();
            assertEquals(1, readBack.size(), readBack.toString());
            assertEquals(firings.getFirst().atMillis(), readBack.getFirst().atMillis());
            assertEquals(firings.getFirst().reason(), readBack.getFirst().reason());
            assertEquals("guardrail:conversion-guard@fleet", readBack.getFirst().actor());
            await("the restarted aggregator's rule shows when it fired", () ->
                    Long.valueOf(firings.getFirst().atMillis()).equals(status(again, "conversion-guard").lastFiredAtMillis()));
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }
}
