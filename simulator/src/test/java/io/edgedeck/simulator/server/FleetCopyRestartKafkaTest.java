package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.ControlTopicRecords;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same change scheduled on two fleet nodes, fired by one cue of the aggregator's: node-b's copy of its control record
 * lands, and node-a, which fired the cue too, is killed with SIGKILL before it applied that copy. Started again, node-a
 * applies node-b's copy as it catches up on the topic; the copy names the cue record that fired it and the change, which
 * node-a fired with that same cue record, so node-a marks its change fired in the same journal write: never listed not
 * confirmed, and a producer's retry is a 409 rather than a second change over whatever changed since.
 *
 * <p>Each node reaches the broker through a relay of its own (a listener of the broker advertised at the relay), which the
 * test makes refuse new connections once the node is connected: the node keeps reading the topic, but the control writer's
 * producer, started when the node first writes, cannot reach the broker. node-a's copy therefore never lands, and node-b's
 * lands only once node-a is dead: the race is decided by the test, not by the machine's load.
 */
@Tag("kafka")
class FleetCopyRestartKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-copy-restart",
             "pops": [{"id": "%s", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"},
                       {"key": "promo-x", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";
    private static final String KILL_BANNER = "{\"type\":\"kill\",\"flag\":\"offer-banner\"}";
    private static final String KILL_ON_DROP = "{\"cue\":\"drop\",\"action\":{\"type\":\"kill\",\"flag\":\"offer-banner\"},"
            + "\"reason\":\"the drop\"}";

    private static final FleetTopics TOPICS = new FleetTopics(FleetTopics.DEFAULT_PREFIX, 1, (short) 1);

    private final NodeHttp nodes = new NodeHttp();

    /** The control records on the topic that set flag {@code flag}. */
    private static List<JsonNode> recordsOf(EmbeddedKafka kafka, String flag) throws Exception {
        return ControlTopicRecords.read(kafka, TOPICS).stream()
                .map(Map.Entry::getValue).filter(r -> r.get("changes").toString().contains("\"flag/" + flag + "\"")).toList();
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether the node's journal holds the {@code show.cue} entry of {@code cue}. */
    private static boolean cueJournaled(Path data, String cue) throws Exception {
        return Files.readAllLines(data.resolve("journal.jsonl")).stream().map(FleetCopyRestartKafkaTest::tree)
                .anyMatch(r -> "show.cue".equals(r.path("action").asText()) && cue.equals(r.path("target").asText()));
    }

    private long killOnDrop(NodeProcess node, Path data) throws Exception {
        NodeHttp.await("the node read the control topic",
                () -> nodes.metric(node.base(), data, "edgedeck_fleet_control_lag_records") == 0);
        HttpResponse<String> made = nodes.send(node.base(), data, "POST", "/api/v1/schedule", KILL_ON_DROP);
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body()).get("id").asLong();
    }

    /** Playbook {@code launch} of {@code actions} made on the node, and scheduled on cue drop: the change's number. */
    private long launchOnDrop(NodeProcess node, Path data, String actions) throws Exception {
        NodeHttp.await("the node read the control topic",
                () -> nodes.metric(node.base(), data, "edgedeck_fleet_control_lag_records") == 0);
        HttpResponse<String> made = nodes.send(node.base(), data, "POST", "/api/v1/playbooks",
                "{\"id\":\"launch\",\"actions\":[" + actions + "],\"reason\":\"the launch\"}");
        assertEquals(201, made.statusCode(), made.body());
        made = nodes.send(node.base(), data, "POST", "/api/v1/schedule", "{\"cue\":\"drop\",\"playbook\":\"launch\",\"reason\":\"the drop\"}");
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body()).get("id").asLong();
    }

    /** The broker, with a relay to it for each node (a listener advertised at the relay), which the test can make refuse. */
    private record Relayed(DroppingProxy toA, DroppingProxy toB, EmbeddedKafka kafka) implements AutoCloseable {
        static Relayed start(String name) throws Exception {
            DroppingProxy toA = new DroppingProxy();
            DroppingProxy toB = new DroppingProxy();
            try {
                EmbeddedKafka kafka = EmbeddedKafka.start(name, Map.of("NODEA", toA.port(), "NODEB", toB.port()));
                toA.relayTo(kafka.listenerPort("NODEA"));
                toB.relayTo(kafka.listenerPort("NODEB"));
                return new Relayed(toA, toB, kafka);
            } catch (Exception | Error e) {
                toA.close();
                toB.close();
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            try (toA; toB; kafka) {
                // closed in reverse order: the broker, then the relays
            }
        }
    }

    /** How node {@code name} is served, at PoP {@code pop}, reaching the broker through {@code relay}: a minute's cue window. */
    private static String[] serve(EmbeddedKafka kafka, DroppingProxy relay, Path dir, String pop, String name, String data)
            throws Exception {
        // A minute's cue window: the node still tries its change while the test decides which copy lands.
        return NodeHttp.fleetNode(kafka, "127.0.0.1:" + relay.port(), dir, CONFIG.formatted(pop), name, data, "--cue-window", "60");
    }

    private static FleetServer aggregator(EmbeddedKafka kafka, Path dir) throws Exception {
        return FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, TOPICS, null), InetAddress.getLoopbackAddress(), 0,
                dir.resolve("aggregator"), 0);
    }

    /**
     * Once the aggregator hears both nodes: each relay refuses new connections (each node reads the topic on, but a producer
     * started from now on cannot reach the broker), and the aggregator fires cue drop, journaled by both nodes.
     */
    private void fireDropWithNoCopyLanding(FleetServer aggregator, DroppingProxy toA, DroppingProxy toB, Path a, Path b)
            throws Exception {
        NodeHttp.await("the aggregator hears both nodes",
                () -> aggregator.aggregator().snapshot(System.currentTimeMillis()).nodes().size() == 2);
        toA.refuseNew(true);
        toB.refuseNew(true);
        String token = Files.readString(aggregator.tokenFile()).trim();
        nodes.client().sendAsync(java.net.http.HttpRequest.newBuilder(aggregator.baseUri().resolve("/api/v1/show/cues/drop"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\":\"the drop is live\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        NodeHttp.await("node-a fired cue drop", () -> cueJournaled(a, "drop"));
        NodeHttp.await("node-b fired cue drop", () -> cueJournaled(b, "drop"));
    }

    private JsonNode get(NodeProcess node, Path data, String path) throws Exception {
        HttpResponse<String> r = nodes.send(node.base(), data, "GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode scheduled(NodeProcess node, Path data, long id) throws Exception {
        HttpResponse<String> r = nodes.send(node.base(), data, "GET", "/api/v1/schedule/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aChangeWhoseCopyAnotherNodeWroteLandedBeforeAKillIsFiredWhenTheNodeAppliesItOnStart(@TempDir Path dir) throws Exception {
        try (Relayed relayed = Relayed.start("copy-restart")) {
            DroppingProxy toA = relayed.toA();
            DroppingProxy toB = relayed.toB();
            EmbeddedKafka kafka = relayed.kafka();
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            String[] serveA = serve(kafka, toA, dir, "fra", "node-a", "a");
            String[] serveB = serve(kafka, toB, dir, "ams", "node-b", "b");
            long onA;
            long onB;
            try (NodeProcess nodeA = NodeProcess.start(NodeHttp.JVM, serveA);
                 NodeProcess nodeB = NodeProcess.start(NodeHttp.JVM, serveB);
                 FleetServer aggregator = aggregator(kafka, dir)) {
                onA = killOnDrop(nodeA, a);
                onB = killOnDrop(nodeB, b);
                fireDropWithNoCopyLanding(aggregator, toA, toB, a, b);
                assertEquals(0, recordsOf(kafka, "offer-banner").size(), "neither node's copy could reach the broker");
                assertEquals(137, nodeA.kill(), "node-a killed with SIGKILL before any copy of its change landed");

                toB.refuseNew(false);
                NodeHttp.await("node-b's copy landed and fired its change there",
                        () -> "fired".equals(scheduled(nodeB, b, onB).path("state").asText()));
                assertEquals(1, recordsOf(kafka, "offer-banner").size());
            }
            JsonNode copy = recordsOf(kafka, "offer-banner").getFirst();
            assertEquals("node-b", copy.get("issuer").asText(), copy.toString());
            List<String> before = Files.readAllLines(a.resolve("journal.jsonl"));
            assertTrue(before.stream().noneMatch(l -> l.contains(copy.get("id").asText())), "node-a never applied the copy: " + before);

            toA.refuseNew(false);
            try (NodeProcess again = NodeProcess.start(NodeHttp.JVM, serveA)) {
                NodeHttp.await("the restarted node read the control topic",
                        () -> nodes.metric(again.base(), a, "edgedeck_fleet_control_lag_records") == 0);
                NodeHttp.await("node-a applied node-b's copy", () -> JSON.readTree(nodes.send(again.base(), a, "GET",
                        "/api/v1/flags/offer-banner", null).body()).get("killed").asBoolean());
                JsonNode change = scheduled(again, a, onA);
                assertEquals("fired", change.path("state").asText(), "marked fired with node-b's copy: " + change);
                assertTrue(!change.has("unconfirmed"), "never listed not confirmed: " + change);
                assertTrue(change.path("outcome").asText().contains("node-b's copy"), change.toString());

                // In the same write: the copy's apply, audited fleet.apply, then the change marked fired.
                List<String> journal = Files.readAllLines(a.resolve("journal.jsonl"));
                int applied = -1;
                for (int i = 0; i < journal.size(); i++) {
                    if (journal.get(i).contains("\"control.applied\"") && journal.get(i).contains(copy.get("id").asText())) {
                        applied = i;
                    }
                }
                assertTrue(applied >= 0, journal.toString());
                assertEquals("fleet.apply", tree(journal.get(applied)).path("action").asText(), journal.get(applied));
                JsonNode next = tree(journal.get(applied + 1));
                assertEquals(onA, next.path("change").path("id").asLong(), next.toString());
                assertEquals("fired", next.path("change").path("state").asText(), next.toString());

                HttpResponse<String> noReason = nodes.send(again.base(), a, "POST", "/api/v1/schedule/" + onA + "/retry", "{}");
                assertEquals(400, noReason.statusCode(), noReason.body());
                HttpResponse<String> retry = nodes.send(again.base(), a, "POST", "/api/v1/schedule/" + onA + "/retry",
                        "{\"reason\":\"checked the fleet\"}");
                assertEquals(409, retry.statusCode(), retry.body());
                assertTrue(retry.body().contains("is fired and cannot be retried"), retry.body());
                assertEquals(1, recordsOf(kafka, "offer-banner").size(), "on the topic once: nothing written again");
            }
            // What told node-a: the copy names the cue record that fired it on both nodes, and the change.
            String cue = ControlTopicRecords.read(kafka, TOPICS).stream()
                    .filter(r -> r.getKey().equals("cue/drop")).map(r -> r.getValue().get("id").asText()).findFirst().orElseThrow();
            assertEquals(cue, copy.path("cueFiring").path("cueRecord").asText(), copy.toString());
            assertEquals("schedule|cue:drop|kill offer-banner", copy.path("cueFiring").path("change").asText(), copy.toString());
            // And what it sets: the SHA-256 of its action's description, as every node computes it.
            assertEquals(Secrets.sha256("kill offer-banner"), copy.path("cueFiring").path("sets").asText(), copy.toString());
        }
    }

    /**
     * Two nodes each schedule "playbook launch" on cue drop, but their playbooks named launch differ (node-a's also kills
     * promo-x). Both copies name the same cue record and the same change, {@code schedule|cue:drop|playbook launch}, but not
     * the same {@code sets}: node-b's copy (which kills offer-banner only) lands first and does not mark node-a's change
     * fired; node-a's own try goes on, kills promo-x, and only then is its change fired.
     */
    @Test
    void aCopyOfAnotherPlaybookOfTheSameNameDoesNotFireThisNodesChange(@TempDir Path dir) throws Exception {
        String killPromo = "{\"type\":\"kill\",\"flag\":\"promo-x\"}";
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (Relayed r = Relayed.start("playbook-copy")) {
            try (NodeProcess nodeA = NodeProcess.start(NodeHttp.JVM, serve(r.kafka(), r.toA(), dir, "fra", "node-a", "a"));
                 NodeProcess nodeB = NodeProcess.start(NodeHttp.JVM, serve(r.kafka(), r.toB(), dir, "ams", "node-b", "b"));
                 FleetServer aggregator = aggregator(r.kafka(), dir)) {
                long onA = launchOnDrop(nodeA, a, KILL_BANNER + "," + killPromo);
                long onB = launchOnDrop(nodeB, b, KILL_BANNER);
                fireDropWithNoCopyLanding(aggregator, r.toA(), r.toB(), a, b);
                r.toB().refuseNew(false);
                NodeHttp.await("node-b's change fired", () -> "fired".equals(scheduled(nodeB, b, onB).path("state").asText()));
                NodeHttp.await("node-a applied node-b's copy", () -> get(nodeA, a, "/api/v1/flags/offer-banner").get("killed").asBoolean());
                // The mark would have been in the same journal write as the copy's apply.
                JsonNode marked = scheduled(nodeA, a, onA);
                assertTrue(!"fired".equals(marked.path("state").asText()),
                        "node-b's copy of another playbook marked node-a's change fired: " + marked);
                r.toA().refuseNew(false);
                // node-a's own try writes its playbook's record: the other kill made, and the change fired by it.
                NodeHttp.await("node-a's own try killed promo-x", () -> get(nodeA, a, "/api/v1/flags/promo-x").get("killed").asBoolean());
                NodeHttp.await("node-a's change fired", () -> "fired".equals(scheduled(nodeA, a, onA).path("state").asText()));
                JsonNode change = scheduled(nodeA, a, onA);
                assertTrue(!change.path("outcome").asText().contains("copy"), "fired by its own record, not the copy: " + change);
            }
        }
    }

    /**
     * node-b's change, fired by the aggregator's cue record and left not confirmed by a SIGKILL, is fired again by cue drop
     * fired on node-b's own API alone: its copy names no cue record (no other node fired its change with that firing), so it
     * marks no other node's change "fired by the same cue".
     */
    @Test
    void aCopyFiredByACueOnOneNodeAloneNamesNoCueRecord(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (Relayed r = Relayed.start("local-cue")) {
            String[] serveB = serve(r.kafka(), r.toB(), dir, "ams", "node-b", "b");
            long onB;
            try (NodeProcess nodeA = NodeProcess.start(NodeHttp.JVM, serve(r.kafka(), r.toA(), dir, "fra", "node-a", "a"));
                 FleetServer aggregator = aggregator(r.kafka(), dir)) {
                killOnDrop(nodeA, a);
                try (NodeProcess nodeB = NodeProcess.start(NodeHttp.JVM, serveB)) {
                    onB = killOnDrop(nodeB, b);
                    fireDropWithNoCopyLanding(aggregator, r.toA(), r.toB(), a, b);
                    assertEquals(137, nodeB.kill(), "node-b killed with SIGKILL before its copy could land");
                }
                r.toB().refuseNew(false);
                try (NodeProcess again = NodeProcess.start(NodeHttp.JVM, serveB)) {
                    NodeHttp.await("node-b read the control topic",
                            () -> nodes.metric(again.base(), b, "edgedeck_fleet_control_lag_records") == 0);
                    assertTrue(scheduled(again, b, onB).has("unconfirmed"), scheduled(again, b, onB).toString());
                    HttpResponse<String> fired = nodes.send(again.base(), b, "POST", "/api/v1/show/cues/drop",
                            "{\"reason\":\"fired here alone\"}");
                    assertEquals(200, fired.statusCode(), fired.body());
                    NodeHttp.await("node-b's change fired", () -> "fired".equals(scheduled(again, b, onB).path("state").asText()));
                }
            }
            JsonNode copy = recordsOf(r.kafka(), "offer-banner").getFirst();
            assertEquals("node-b", copy.get("issuer").asText(), copy.toString());
            assertTrue(copy.path("cueFiring").isMissingNode(), "a cue fired on one node alone gives no cueFiring: " + copy);
        }
    }
}
