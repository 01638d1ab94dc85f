package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.control.FleetControl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs of several actions on fleet nodes go through the control topic as one record each: a
 * playbook run on one node is one {@code batch/ID} record that every node applies in one journal
 * write, audited once as the run where it was taken and once as {@code fleet.apply} elsewhere; a
 * run with nothing to change writes nothing; a node that cannot reach Kafka refuses the run and
 * changes nothing.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetRunsKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-runs",
             "pops": [%s],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"},
                       {"key": "checkout-button", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "sentiment-guard", "flag": "offer-banner", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "sentimentChange", "op": "<", "value": -0.15}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback"}],
             "playbooks": [
               {"id": "ramp", "actions": [{"type": "change", "flag": "checkout-button",
                  "variants": [{"name": "control", "weight": 80}, {"name": "treatment", "weight": 20}]}]}]}""";
    private static final String NODE_A_POPS = "{\"id\": \"fra\", \"region\": \"eu\"}, {\"id\": \"iad\", \"region\": \"na\"}";
    private static final String NODE_B_POPS = "{\"id\": \"fra\", \"region\": \"eu\"}, {\"id\": \"ams\", \"region\": \"eu\"}";

    /** Made on node-a's API: its PoP-local rollback names node-a's PoPs, which node-b does not all serve. */
    private static final String STOP_THE_BLEED = """
            {"id": "stop-the-bleed", "reason": "prepared", "actions": [
               {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra", "iad"]},
               {"type": "kill", "flag": "offer-banner"},
               {"type": "disarm", "guardrail": "sentiment-guard"}]}""";

    /**
     * How long a cue's change is tried through the fleet, on the nodes and the aggregator: long enough that a try the
     * broker failed (a transaction's end, under load) is made again and lands, whatever the machine's load.
     */
    private static final Duration CUE_WINDOW = Duration.ofMinutes(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static EdgeNode start(String id, String pops, String bootstrap, FleetTopics topics, Path dataDir, Duration timeout)
            throws Exception {
        return startWith(CONFIG.formatted(pops), id, bootstrap, topics, dataDir, timeout);
    }

    private static EdgeNode startWith(String nodeConfig, String id, String bootstrap, FleetTopics topics, Path dataDir, Duration timeout)
            throws Exception {
        var config = EdgeNode.Config.live(NodeConfigParser.parse(nodeConfig.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dataDir).withActionTimeout(timeout)
                .withFleet(new FleetOptions(bootstrap, null, topics, id).withCueWindow(CUE_WINDOW));
        return EdgeNode.start(config);
    }

    private HttpResponse<String> send(EdgeNode node, String method, String path, String keyFile, String body) throws Exception {
        return NodeRequests.send(http, node.baseUri(), method, path, Files.readString(node.dataDir().resolve(keyFile)).trim(), body);
    }

    /** Every flag's weights and kill as the node serves them, by key. */
    private Map<String, String> flags(EdgeNode node) throws Exception {
        return NodeRequests.flags(http, node);
    }

    private boolean guardrailArmed(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/guardrails", "token", null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get(0).get("armed").asBoolean();
    }

    private List<JsonNode> audit(EdgeNode node, String action) throws Exception {
        return NodeRequests.audit(http, node, action);
    }

    private static List<JournalRecord.ControlApplied> controlRecords(EdgeNode node) {
        return node.journal().records().stream().filter(r -> r instanceof JournalRecord.ControlApplied)
                .map(r -> (JournalRecord.ControlApplied) r).toList();
    }

    private static List<Map.Entry<String, JsonNode>> topic(EmbeddedKafka kafka, FleetTopics topics) throws Exception {
        return ControlTopicRecords.read(kafka, topics);
    }

    private static void await(String what, Eventually.Check condition) throws Exception {
        Eventually.await(what, Duration.ofSeconds(60), Duration.ofMillis(50), condition);
    }

    private static boolean caughtUp(EdgeNode node) {
        return node.fleetControl().orElseThrow().status().lag() == 0;
    }

    /** Two nodes on their own control topic, node-a serving fra and iad, node-b fra and ams. */
    private record Fleet(FleetTopics topics, EdgeNode a, EdgeNode b) implements AutoCloseable {
        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    private Fleet fleet(EmbeddedKafka kafka, String name) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, name, 1);
        Duration timeout = Duration.ofSeconds(20);
        EdgeNode a = start("node-a", NODE_A_POPS, kafka.bootstrapServers(), topics, dir.resolve("a"), timeout);
        EdgeNode b = start("node-b", NODE_B_POPS, kafka.bootstrapServers(), topics, dir.resolve("b"), timeout);
        await("both nodes read the control topic", () -> caughtUp(a) && caughtUp(b));
        return new Fleet(topics, a, b);
    }

    /**
     * A guardrail's rollback at the PoPs where it breached, on node-a (fra and iad), reaches node-b too,
     * which also serves fra: one {@code rollback-at} record, each node rolling back at the PoPs it serves.
     */
    @Test
    void aGuardrailsRollbackAtItsBreachedPopsReachesEveryNodeServingThem(EmbeddedKafka kafka) throws Exception {
        try (Fleet fleet = fleet(kafka, "fleet-pop-rollback")) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            FleetControl control = a.fleetControl().orElseThrow();
            // What the engine hands the fleet when such a rule fires on node-a's evidence (Guardrails.rollbackAtThrough).
            control.rollbackAtInFleet("checkout-button", "treatment", List.of("fra", "iad"), "guardrail:pop-guard",
                    "guardrail pop-guard: conversion lift -40% at fra and iad", System.currentTimeMillis());
            await("node-a rolled back at fra and iad", () -> rolledBackAt(a).equals(List.of("fra", "iad")));
            await("node-b, which serves fra too, rolled back there", () -> rolledBackAt(b).equals(List.of("fra")));
            // What node-b's applications are served over OFREP follows: control at fra for a unit the split puts
            // in treatment, treatment still at ams.
            String unit = treatedEverywhere(b);
            JsonNode atFra = evaluate(b, unit, "fra");
            assertEquals("control", atFra.get("variant").asText(), atFra.toString());
            assertEquals("rolled-back-at-pop", atFra.get("metadata").get("override").asText());
            assertEquals("treatment", evaluate(b, unit, "ams").get("variant").asText());

            List<Map.Entry<String, JsonNode>> records = topic(kafka, fleet.topics());
            assertEquals(1, records.size(), records.toString());
            JsonNode change = records.getFirst().getValue().get("changes").get(0);
            assertEquals("rollback-at/checkout-button/treatment", change.get("key").asText());
            assertEquals("[\"fra\",\"iad\"]", change.get("state").get("pops").toString());
            assertEquals("guardrail:pop-guard", records.getFirst().getValue().get("operator").asText());

            List<JsonNode> own = audit(a, "variant.rollback-at");
            assertEquals(1, own.size(), own.toString());
            assertEquals("guardrail:pop-guard", own.getFirst().get("actor").asText());
            List<JsonNode> applied = audit(b, FleetControl.FLEET_APPLY);
            assertEquals(1, applied.size(), applied.toString());
            assertEquals("fleet:node-a", applied.getFirst().get("actor").asText());

            // Fired again on the same PoPs: nothing left to roll back, nothing written.
            control.rollbackAtInFleet("checkout-button", "treatment", List.of("fra", "iad"), "guardrail:pop-guard",
                    "again", System.currentTimeMillis());
            Thread.sleep(500);
            assertEquals(1, topic(kafka, fleet.topics()).size(), "nothing written");
        }
    }

    /**
     * node-b's flags (its API and its frames, what its console shows) name every PoP of the fleet's list, iad too,
     * which only node-a serves: the console's Serve again there names them all, and the variant is served again at
     * every one, on each node serving it.
     */
    @Test
    void aFleetNodesFlagsShowTheFleetsPopRollbacksSoServeAgainClearsThemAll(EmbeddedKafka kafka) throws Exception {
        try (Fleet fleet = fleet(kafka, "fleet-pop-shown")) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            a.fleetControl().orElseThrow().rollbackAtInFleet("checkout-button", "treatment", List.of("fra", "iad"),
                    "guardrail:pop-guard", "conversion lift -40% at fra and iad", System.currentTimeMillis());
            await("node-b rolled back at fra", () -> rolledBackAt(b).equals(List.of("fra")));
            await("node-b's frame shows fra and iad", () -> shownInFrame(b).equals(List.of("fra", "iad")));
            assertEquals(List.of("fra", "iad"), shown(b), "GET /api/v1/flags on node-b");
            assertEquals(List.of("fra"), rolledBackAt(b), "node-b still serves ams and rolls back only where it serves");

            // What the console's Serve again sends: the PoPs the node's flags show.
            HttpResponse<String> cleared = send(b, "POST", "/api/v1/flags/checkout-button/pop-rollbacks/clear", "token",
                    "{\"variant\": \"treatment\", \"pops\": " + JSON.writeValueAsString(shown(b)) + ", \"reason\": \"fixed\"}");
            assertEquals(200, cleared.statusCode(), cleared.body());
            await("both nodes serve treatment everywhere again", () -> rolledBackAt(a).isEmpty() && rolledBackAt(b).isEmpty());
            await("neither shows a rollback", () -> shown(a).isEmpty() && shown(b).isEmpty());
        }
    }

    /** The PoPs where the node's {@code GET /api/v1/flags} shows checkout-button's treatment rolled back. */
    private List<String> shown(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/flags", "token", null);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode f : JSON.readTree(r.body())) {
            if (f.get("key").asText().equals("checkout-button")) {
                List<String> pops = new ArrayList<>();
                f.path("rolledBackAt").path("treatment").forEach(p -> pops.add(p.asText()));
                return pops;
            }
        }
        throw new AssertionError("no checkout-button in " + r.body());
    }

    /** The same in the node's newest metrics frame. */
    private static List<String> shownInFrame(EdgeNode node) {
        var frame = node.latestFrame();
        return frame == null ? List.of() : frame.flags().stream().filter(f -> f.key().equals("checkout-button")).findFirst()
                .map(f -> f.rolledBackAt().getOrDefault("treatment", List.of())).orElse(List.of());
    }

    /**
     * A guardrail's pause on node-a is one {@code pause} record: every node pauses the variant, and a
     * node started again on its data directory still has it paused.
     */
    @Test
    void aGuardrailsPauseReachesEveryNodeAndOutlivesARestart(EmbeddedKafka kafka) throws Exception {
        Fleet fleet = fleet(kafka, "fleet-pause");
        try (EdgeNode a = fleet.a()) {
            FleetControl control = a.fleetControl().orElseThrow();
            control.pauseInFleet("offer-banner", "treatment", "guardrail:sentiment-guard",
                    "guardrail sentiment-guard: sentiment -40% against control", System.currentTimeMillis());
            await("both nodes paused offer-banner's treatment", () -> paused(a) && paused(fleet.b()));

            List<Map.Entry<String, JsonNode>> records = topic(kafka, fleet.topics());
            assertEquals(1, records.size(), records.toString());
            JsonNode change = records.getFirst().getValue().get("changes").get(0);
            assertEquals("pause/offer-banner/treatment", change.get("key").asText());
            assertTrue(change.get("state").get("paused").asBoolean());
            assertEquals(1, audit(a, "variant.pause").size());
            assertEquals("guardrail:sentiment-guard", audit(a, "variant.pause").getFirst().get("actor").asText());
            assertEquals(1, audit(fleet.b(), FleetControl.FLEET_APPLY).size());

            control.pauseInFleet("offer-banner", "treatment", "guardrail:sentiment-guard", "again", System.currentTimeMillis());
            Thread.sleep(500);
            assertEquals(1, topic(kafka, fleet.topics()).size(), "already paused: nothing written");

            // node-b stopped and started again on its data directory (the fleet's a is closed when the test ends).
            fleet.b().close();
            try (EdgeNode again = start("node-b", NODE_B_POPS, kafka.bootstrapServers(), fleet.topics(), dir.resolve("b"),
                    Duration.ofSeconds(20))) {
                assertTrue(paused(again), "node-b's journal keeps the pause");

                // An operator's resume on node-a is the same key at paused false: every node resumes it.
                HttpResponse<String> resumed = send(a, "POST", "/api/v1/flags/offer-banner/variants/treatment/resume", "token",
                        "{\"reason\": \"chat is calm again\"}");
                assertEquals(200, resumed.statusCode(), resumed.body());
                assertEquals("[]", JSON.readTree(resumed.body()).get("paused").toString(), resumed.body());
                await("both nodes resumed offer-banner's treatment", () -> !paused(a) && !paused(again));
                List<Map.Entry<String, JsonNode>> after = topic(kafka, fleet.topics());
                assertEquals(2, after.size(), after.toString());
                JsonNode lifted = after.getLast().getValue().get("changes").get(0);
                assertEquals("pause/offer-banner/treatment", lifted.get("key").asText());
                assertFalse(lifted.get("state").get("paused").asBoolean());
                assertEquals(1, audit(a, "variant.resume").size());
                assertEquals(2, audit(again, FleetControl.FLEET_APPLY).size(), "node-b applied the pause and the resume");
            }
        }
    }

    /**
     * A clear of a PoP-local rollback on node-a waits for a second person as on a node in no fleet (the
     * {@code unkill} lane), then goes through the control topic as the fleet's whole list of PoPs: node-b, stopped
     * meanwhile and started again on its journal over the topic as compaction leaves it (the clear itself gone,
     * a later rollback of the variant kept), serves the variant again at fra; a node new to the fleet never rolls
     * it back there, and its clear of a PoP only node-a serves is audited on it and lifts the rollback on node-a.
     */
    @Test
    void aClearOfAPopLocalRollbackGoesThroughTheLanesAndReachesNodesThatMissedIt(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-pop-clear", 1);
        Duration timeout = Duration.ofSeconds(20);
        String laned = CONFIG.formatted(NODE_A_POPS + ", {\"id\": \"ams\", \"region\": \"eu\"}")
                .replace("\"name\": \"fleet-runs\",", "\"name\": \"fleet-runs\", \"approvals\": {\"unkill\": true},");
        try (EdgeNode a = startWith(laned, "node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), timeout)) {
            try (EdgeNode b = start("node-b", NODE_B_POPS, kafka.bootstrapServers(), topics, dir.resolve("b"), timeout)) {
                await("both nodes read the control topic", () -> caughtUp(a) && caughtUp(b));
                a.fleetControl().orElseThrow().rollbackAtInFleet("checkout-button", "treatment", List.of("fra", "iad"),
                        "guardrail:pop-guard", "conversion lift -40% at fra and iad", System.currentTimeMillis());
                await("node-b rolled back at fra", () -> rolledBackAt(b).equals(List.of("fra")));
            }
            String alice = operator(a, "alice");
            String bob = operator(a, "bob");
            String clear = "/api/v1/flags/checkout-button/pop-rollbacks/clear";
            HttpResponse<String> held = NodeRequests.send(http, a.baseUri(), "POST", clear, alice,
                    "{\"variant\": \"treatment\", \"pops\": [\"fra\"], \"reason\": \"the fix is out\"}");
            assertEquals(202, held.statusCode(), held.body());
            long id = JSON.readTree(held.body()).get("id").asLong();
            assertEquals(List.of("fra", "iad"), rolledBackAt(a), "held: nothing served again");
            HttpResponse<String> approved = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + id + "/approve", bob,
                    "{\"reason\": \"checked\", \"revision\": 1}");
            assertEquals(200, approved.statusCode(), approved.body());
            HttpResponse<String> applied = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + id + "/apply", alice,
                    "{}");
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals("applied", JSON.readTree(applied.body()).get("state").asText(), applied.body());
            assertEquals(List.of("iad"), rolledBackAt(a));
            List<JsonNode> cleared = audit(a, "variant.rollback-cleared");
            assertEquals(1, cleared.size(), cleared.toString());
            assertEquals("alice", cleared.getFirst().get("actor").asText());
            // A later rollback of the variant at ams: compaction keeps it alone of the key's records.
            a.fleetControl().orElseThrow().rollbackAtInFleet("checkout-button", "treatment", List.of("ams"), "guardrail:pop-guard",
                    "conversion lift -40% at ams", System.currentTimeMillis());
            await("node-a rolled back at ams", () -> rolledBackAt(a).equals(List.of("ams", "iad")));
            List<Map.Entry<String, JsonNode>> records = topic(kafka, topics);
            assertEquals(List.of("{\"pops\":[\"fra\",\"iad\"],\"cleared\":[]}", "{\"pops\":[\"iad\"],\"cleared\":[\"fra\"]}",
                    "{\"pops\":[\"ams\",\"iad\"],\"cleared\":[]}"), records.stream()
                    .map(r -> r.getValue().get("changes").get(0).get("state").toString()).toList());

            FleetTopics compacted = SharedKafka.topics(kafka, "fleet-pop-clear-compacted", 1);
            ControlTopicRecords.compactInto(kafka, topics, compacted);
            try (EdgeNode b = start("node-b", NODE_B_POPS, kafka.bootstrapServers(), compacted, dir.resolve("b"), timeout);
                 EdgeNode c = start("node-c", NODE_B_POPS, kafka.bootstrapServers(), topics, dir.resolve("c"), timeout)) {
                await("node-b and a new node read the control topic", () -> caughtUp(b) && caughtUp(c));
                assertEquals(List.of("ams"), rolledBackAt(b), "node-b missed the clear and serves fra again all the same");
                assertEquals(List.of("ams"), rolledBackAt(c), "a new node does not roll fra back");
                // A clear on node-c of iad, which only node-a serves: node-a serves it again, node-c audits its operator's clear.
                HttpResponse<String> elsewhere = send(c, "POST", clear, "token",
                        "{\"variant\": \"treatment\", \"pops\": [\"iad\"], \"reason\": \"iad is fixed too\"}");
                assertEquals(200, elsewhere.statusCode(), elsewhere.body());
                await("node-a serves treatment at iad again", () -> rolledBackAt(a).equals(List.of("ams")));
                List<JsonNode> ownClear = audit(c, "variant.rollback-cleared");
                assertEquals(1, ownClear.size(), ownClear.toString());
                assertEquals("control at ams,iad", ownClear.getFirst().get("before").asText());
            }
        }
    }

    /**
     * A rollback a fleet node made on its own (the fleet did not take it) is in no record on the topic: a clear
     * request opened before it, approved, is refused at its apply as on a node in no fleet, not applied over it.
     */
    @Test
    void aClearRequestIsRefusedWhenTheNodeRolledBackAgainOnItsOwnSinceItWasOpened(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-pop-own-again", 1);
        try (EdgeNode a = startHoldingClears(kafka, topics)) {
            await("node-a read the control topic", () -> caughtUp(a));
            // What the node does when the fleet does not take a guardrail's rollback at fra (FleetControl.rollbackAtInFleet).
            ownRollbackAtFra(a, "guardrail:pop-guard");
            String alice = operator(a, "alice");
            String bob = operator(a, "bob");
            HttpResponse<String> held = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/flags/checkout-button/pop-rollbacks/clear",
                    alice, "{\"variant\": \"treatment\", \"pops\": [\"fra\"], \"reason\": \"the fix is out\"}");
            assertEquals(202, held.statusCode(), held.body());
            long id = JSON.readTree(held.body()).get("id").asLong();
            HttpResponse<String> approved = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + id + "/approve", bob,
                    "{\"reason\": \"checked\", \"revision\": 1}");
            assertEquals(200, approved.statusCode(), approved.body());
            // Meanwhile fra was served again and the guardrail, its fleet out of reach, rolled it back on its own again.
            a.runner().submit(s -> s.core().experiments().clearRollbackAt("checkout-button", "treatment", List.of("fra"),
                    "carol", "served again", s.core().nowMillis())).get(10, java.util.concurrent.TimeUnit.SECONDS);
            ownRollbackAtFra(a, "guardrail:pop-guard");
            HttpResponse<String> applied = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + id + "/apply", alice,
                    "{}");
            assertEquals(409, applied.statusCode(), applied.body());
            assertTrue(applied.body().contains("rolled back again at fra"), applied.body());
            assertEquals(List.of("fra"), rolledBackAt(a), "the new rollback stands");
            assertTrue(topic(kafka, topics).isEmpty(), "nothing written");
        }
    }

    /**
     * The node numbers its own rollbacks, so a clear request knows the one it was opened for from one made since
     * even in the same engine millisecond (a paused show's clock does not move, so there every one is): opened
     * right after the node's own rollback, approved and applied, it serves fra again; one approved before the
     * node rolled fra back on its own again, in that millisecond still, is refused at its apply.
     */
    @Test
    void aClearRequestKnowsTheNodesOwnRollbackFromOneMadeSinceInTheSameMillisecond(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-pop-own-same-millisecond", 1);
        try (EdgeNode a = startHoldingClears(kafka, topics)) {
            await("node-a read the control topic", () -> caughtUp(a));
            String alice = operator(a, "alice");
            String bob = operator(a, "bob");
            // The show's clock stands still from here: everything below happens in one engine millisecond.
            a.runner().pause().get(10, java.util.concurrent.TimeUnit.SECONDS);
            long rolledBackAtMillis = ownRollbackAtFra(a, "guardrail:pop-guard");
            String clear = "/api/v1/flags/checkout-button/pop-rollbacks/clear";
            String body = "{\"variant\": \"treatment\", \"pops\": [\"fra\"], \"reason\": \"the fix is out\"}";

            HttpResponse<String> first = NodeRequests.send(http, a.baseUri(), "POST", clear, alice, body);
            assertEquals(202, first.statusCode(), first.body());
            JsonNode opened = JSON.readTree(first.body());
            assertEquals(rolledBackAtMillis, opened.get("openedAtMillis").asLong(), "opened in the rollback's millisecond");
            HttpResponse<String> approved = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + opened.get("id").asLong()
                    + "/approve", bob, "{\"reason\": \"checked\", \"revision\": 1}");
            assertEquals(200, approved.statusCode(), approved.body());
            assertEquals(1, opened.path("ownLifts").asLong(), "the node's first rollback of its own: " + first.body());
            // fra served again another way and rolled back on its own again, in the same millisecond.
            a.runner().submit(s -> s.core().experiments().clearRollbackAt("checkout-button", "treatment", List.of("fra"),
                    "carol", "served again", s.core().nowMillis())).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(rolledBackAtMillis, ownRollbackAtFra(a, "guardrail:pop-guard"));
            HttpResponse<String> refused = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + opened.get("id").asLong()
                    + "/apply", alice, "{}");
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("rolled back again at fra"), refused.body());
            assertEquals(List.of("fra"), rolledBackAt(a), "the rollback made since stands");
            assertTrue(topic(kafka, topics).isEmpty(), "nothing written");

            HttpResponse<String> second = NodeRequests.send(http, a.baseUri(), "POST", clear, alice, body);
            assertEquals(202, second.statusCode(), second.body());
            long id = JSON.readTree(second.body()).get("id").asLong();
            assertEquals(rolledBackAtMillis, JSON.readTree(second.body()).get("openedAtMillis").asLong());
            HttpResponse<String> approvedAgain = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + id + "/approve",
                    bob, "{\"reason\": \"checked\", \"revision\": 1}");
            assertEquals(200, approvedAgain.statusCode(), approvedAgain.body());
            HttpResponse<String> applied = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/requests/" + id + "/apply", alice, "{}");
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals(List.of(), rolledBackAt(a), "the rollback the request was opened for is lifted");
        }
    }

    /** node-a with its clears of PoP-local rollbacks held by the {@code unkill} lane. */
    private EdgeNode startHoldingClears(EmbeddedKafka kafka, FleetTopics topics) throws Exception {
        String laned = CONFIG.formatted(NODE_A_POPS)
                .replace("\"name\": \"fleet-runs\",", "\"name\": \"fleet-runs\", \"approvals\": {\"unkill\": true},");
        return startWith(laned, "node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), Duration.ofSeconds(20));
    }

    /** Rolls checkout-button's treatment back at fra as the node does on its own; the engine time it was made at. */
    private static long ownRollbackAtFra(EdgeNode node, String actor) throws Exception {
        return node.runner().submit(s -> {
            long now = s.core().nowMillis();
            s.core().experiments().rollbackAt("checkout-button", "treatment", List.of("fra"), actor, "conversion lift -40% at fra",
                    now);
            return now;
        }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A person with the approver role on {@code node}, and their token. */
    private static String operator(EdgeNode node, String name) throws Exception {
        Path file = Files.createTempDirectory("edgedeck-tokens").resolve(name + ".token");
        new io.edgedeck.simulator.server.operators.OperatorStore(node.dataDir(), java.time.Clock.systemUTC())
                .add(name, io.edgedeck.client.model.Role.APPROVER, file);
        return Files.readString(file).trim();
    }

    private static boolean paused(EdgeNode node) throws Exception {
        return node.runner().submit(s -> s.core().experiments().paused().getOrDefault("offer-banner", java.util.Set.of())
                .contains("treatment")).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** checkout-button over the node's OFREP, for a unit at a PoP. */
    private JsonNode evaluate(EdgeNode node, String unit, String pop) throws Exception {
        HttpResponse<String> r = send(node, "POST", "/ofrep/v1/evaluate/flags/checkout-button", "read-key",
                "{\"context\":{\"targetingKey\":\"" + unit + "\",\"pop\":\"" + pop + "\"}}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** A unit checkout-button's split puts in treatment at each of the node's PoPs. */
    private static String treatedEverywhere(EdgeNode node) {
        var atPop = node.runner().show().core().experiments().snapshot().atPop().get("checkout-button");
        for (int i = 0; ; i++) {
            String unit = "viewer-" + i;
            if (atPop.entrySet().stream().allMatch(e -> e.getValue().variantName(
                    e.getValue().evaluate(unit, e.getKey(), "eu", null)).equals("treatment"))) {
                return unit;
            }
        }
    }

    /** The PoPs where the node serves checkout-button's treatment as control. */
    private static List<String> rolledBackAt(EdgeNode node) throws Exception {
        return node.runner().submit(s -> List.copyOf(new java.util.TreeSet<>(s.core().experiments().rolledBackAt()
                .getOrDefault("checkout-button/treatment", java.util.Set.of())))).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aPlaybookRunOnOneNodeIsOneRecordEveryNodeAppliesAtOnce(EmbeddedKafka kafka) throws Exception {
        try (Fleet fleet = fleet(kafka, "fleet-runs")) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            FleetTopics topics = fleet.topics();
            HttpResponse<String> made = send(a, "POST", "/api/v1/playbooks", "token", STOP_THE_BLEED);
            assertEquals(201, made.statusCode(), made.body());

            HttpResponse<String> run = send(a, "POST", "/api/v1/playbooks/stop-the-bleed/run", "token",
                    "{\"reason\":\"chat turned at fra\"}");
            assertEquals(200, run.statusCode(), run.body());
            assertEquals(3, JSON.readTree(run.body()).get("changes").size(), run.body());
            assertTrue(flags(a).get("offer-banner").endsWith("killed"), "answered once applied on node-a");
            assertFalse(guardrailArmed(a));
            await("node-b has the whole run", () -> flags(b).get("offer-banner").endsWith("killed") && !guardrailArmed(b));

            // One record for the whole run, under a batch key, holding the new state of each key it changes.
            List<Map.Entry<String, JsonNode>> records = topic(kafka, topics);
            assertEquals(1, records.size(), records.toString());
            assertTrue(records.getFirst().getKey().startsWith("batch/"), records.toString());
            JsonNode record = records.getFirst().getValue();
            assertEquals("playbook.run", record.get("run").get("action").asText(), record.toString());
            List<String> keys = new ArrayList<>();
            record.get("changes").forEach(ch -> keys.add(ch.get("key").asText()));
            assertEquals(List.of("rollback-at/checkout-button/treatment", "flag/offer-banner", "guardrail/sentiment-guard"), keys);

            // Applied in one journal write on each node; a node rolls back at the PoPs it serves (node-b: fra, not iad).
            assertEquals(1, controlRecords(a).size());
            await("node-b journaled the run once", () -> controlRecords(b).size() == 1);
            JournalRecord.ControlApplied atB = controlRecords(b).getFirst();
            assertEquals(3, atB.steps().size(), atB.toString());
            assertEquals(List.of("fra"), atB.steps().getFirst().rollbackAt().pops(), atB.toString());
            assertEquals(List.of("fra", "iad"), controlRecords(a).getFirst().steps().getFirst().rollbackAt().pops());

            // Audited once as the run where it was taken, once as fleet.apply elsewhere.
            assertEquals(1, audit(a, "playbook.run").size());
            assertEquals(0, audit(a, FleetControl.FLEET_APPLY).size());
            assertEquals(0, audit(b, "playbook.run").size());
            List<JsonNode> applied = audit(b, FleetControl.FLEET_APPLY);
            assertEquals(1, applied.size(), applied.toString());
            assertEquals("fleet:node-a", applied.getFirst().get("actor").asText());
            assertTrue(applied.getFirst().get("reason").asText().contains("playbook.run stop-the-bleed"), applied.toString());

            // Run again: every action is in effect, so nothing is written; audited as a run that changed nothing.
            HttpResponse<String> again = send(a, "POST", "/api/v1/playbooks/stop-the-bleed/run", "token",
                    "{\"reason\":\"again\"}");
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(0, JSON.readTree(again.body()).get("changes").size(), again.body());
            assertEquals(1, topic(kafka, topics).size(), "nothing written");
            assertTrue(audit(a, "playbook.run").getLast().get("after").asText().startsWith("nothing to change"));

            // A run on node-b reaches node-a; both end with the same flags.
            HttpResponse<String> ramp = send(b, "POST", "/api/v1/playbooks/ramp/run", "token", "{\"reason\":\"calm again\"}");
            assertEquals(200, ramp.statusCode(), ramp.body());
            await("node-a has node-b's run", () -> flags(a).get("checkout-button").contains("2000"));
            assertEquals(flags(a), flags(b));
            assertEquals(2, topic(kafka, topics).size());
            assertTrue(topic(kafka, topics).get(1).getKey().startsWith("batch/"), "a run of one change is kept as a run too");
        }
    }

    /**
     * node-a's node configuration lists the fleet's PoPs ({@code fleetPops}): a playbook made on node-a may roll back at
     * ams, which only node-b serves; its run is one record, node-a rolling back at iad and node-b at ams. A PoP no node
     * of the fleet serves is refused with a 400 naming the action's field and the PoP, and nothing is written.
     */
    @Test
    void aPlaybookMayRollBackAtAPopAnotherNodeServesAndEachNodeDoesItsPart(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-pops", 1);
        Duration timeout = Duration.ofSeconds(20);
        String listed = CONFIG.formatted(NODE_A_POPS)
                .replace("\"name\": \"fleet-runs\",", "\"name\": \"fleet-runs\", \"fleetPops\": [\"fra\", \"iad\", \"ams\"],");
        try (EdgeNode a = startWith(listed, "node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), timeout);
             EdgeNode b = start("node-b", NODE_B_POPS, kafka.bootstrapServers(), topics, dir.resolve("b"), timeout)) {
            await("both nodes read the control topic", () -> caughtUp(a) && caughtUp(b));
            // First at ams alone: nothing changes on node-a, yet the run is its operator's and audited there.
            HttpResponse<String> amsOnly = send(a, "POST", "/api/v1/playbooks", "token", """
                    {"id": "ams-only", "reason": "prepared", "actions": [
                       {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["ams"]}]}""");
            assertEquals(201, amsOnly.statusCode(), amsOnly.body());
            HttpResponse<String> atAms = send(a, "POST", "/api/v1/playbooks/ams-only/run", "token", "{\"reason\": \"ams drops\"}");
            assertEquals(200, atAms.statusCode(), atAms.body());
            await("node-b rolled back at ams", () -> rolledBackAt(b).equals(List.of("ams")));
            assertEquals(List.of(), rolledBackAt(a), "node-a serves no ams");
            assertEquals(1, audit(a, "playbook.run").size(), "the run is audited where it was taken");
            assertEquals(1, audit(b, FleetControl.FLEET_APPLY).size());

            String playbook = """
                    {"id": "iad-and-ams", "reason": "prepared", "actions": [
                       {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["iad", "%s"]}]}""";
            HttpResponse<String> made = send(a, "POST", "/api/v1/playbooks", "token", playbook.formatted("ams"));
            assertEquals(201, made.statusCode(), made.body());
            HttpResponse<String> run = send(a, "POST", "/api/v1/playbooks/iad-and-ams/run", "token", "{\"reason\": \"ams and iad drop\"}");
            assertEquals(200, run.statusCode(), run.body());
            assertEquals(List.of("iad"), rolledBackAt(a), "node-a rolls back where it serves");
            List<Map.Entry<String, JsonNode>> records = topic(kafka, topics);
            assertEquals(2, records.size(), records.toString());
            assertEquals("{\"pops\":[\"ams\",\"iad\"],\"cleared\":[]}",
                    records.getLast().getValue().get("changes").get(0).get("state").toString());
            assertEquals(2, audit(a, "playbook.run").size());
            assertEquals(List.of("ams"), rolledBackAt(b));

            // Run again: every PoP is in the fleet's list, nothing to change, nothing written.
            HttpResponse<String> again = send(a, "POST", "/api/v1/playbooks/iad-and-ams/run", "token", "{\"reason\": \"again\"}");
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(0, JSON.readTree(again.body()).get("changes").size(), again.body());

            // nrt: no node of the fleet serves it.
            HttpResponse<String> nowhere = send(a, "POST", "/api/v1/playbooks", "token",
                    playbook.formatted("nrt").replace("iad-and-ams", "nowhere"));
            assertEquals(400, nowhere.statusCode(), nowhere.body());
            JsonNode problem = JSON.readTree(nowhere.body());
            assertEquals("actions[0].pops[1]", problem.get("field").asText(), nowhere.body());
            assertTrue(problem.get("detail").asText().contains("unknown PoP 'nrt'"), nowhere.body());
            // node-b lists no fleetPops: ams's neighbour iad is no PoP it knows.
            HttpResponse<String> onB = send(b, "POST", "/api/v1/playbooks", "token", playbook.formatted("ams"));
            assertEquals(400, onB.statusCode(), onB.body());
            assertEquals("actions[0].pops[0]", JSON.readTree(onB.body()).get("field").asText(), onB.body());
            assertEquals(2, topic(kafka, topics).size(), "nothing more written");
        }
    }

    /** A scheduled change for {@code at}, made on the node's API; its id there. */
    private String schedule(EdgeNode node, String when, String action) throws Exception {
        HttpResponse<String> r = send(node, "POST", "/api/v1/schedule", "token",
                "{" + when + ",\"action\":" + action + ",\"reason\":\"the drop\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private String scheduledState(EdgeNode node, String id) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/schedule/" + id, "token", null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("state").asText();
    }

    @Test
    void theSameScheduledChangeOnTwoNodesIsWrittenOnceAndACueFiresThroughTheFleet(EmbeddedKafka kafka) throws Exception {
        try (Fleet fleet = fleet(kafka, "fleet-schedule")) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            FleetTopics topics = fleet.topics();
            // The same change at the same instant, scheduled on both nodes (as an operator covering for a node's loss would),
            // given in UTC on one and with an offset on the other.
            java.time.Instant when = java.time.Instant.now().plusSeconds(3);
            String kill = "{\"type\":\"kill\",\"flag\":\"offer-banner\"}";
            String onA = schedule(a, "\"at\":\"" + when + "\"", kill);
            String onB = schedule(b, "\"at\":\"" + when.atOffset(java.time.ZoneOffset.ofHours(1)) + "\"", kill);
            assertEquals(when.toString(), JSON.readTree(send(b, "GET", "/api/v1/schedule/" + onB, "token", null).body()).get("at").asText(),
                    "listed in UTC");
            await("both nodes fired it", () -> scheduledState(a, onA).equals("fired") && scheduledState(b, onB).equals("fired"));
            await("both nodes have the flag killed", () -> flags(a).get("offer-banner").endsWith("killed")
                    && flags(b).get("offer-banner").endsWith("killed"));
            List<Map.Entry<String, JsonNode>> records = topic(kafka, topics);
            assertEquals(1, records.size(), "written once for the fleet: " + records);
            JsonNode record = records.getFirst().getValue();
            assertEquals("schedule", record.get("operator").asText(), record.toString());
            assertEquals("schedule.fire", record.get("run").get("action").asText(), record.toString());
            // The node that wrote it audits the firing; the other applied it (fleet.apply) or, if it had it already,
            // found nothing to change. Either way one control.applied record each, and no flag changed twice.
            String writer = record.get("issuer").asText();
            EdgeNode wrote = writer.equals("node-a") ? a : b;
            EdgeNode other = wrote == a ? b : a;
            assertEquals(1, audit(wrote, "schedule.fire").size());
            assertEquals(1, controlRecords(a).size());
            assertEquals(1, controlRecords(b).size());
            assertEquals(1, audit(other, FleetControl.FLEET_APPLY).size());

            // A cue fired on node-b: its change goes through the fleet, answered once applied there.
            schedule(b, "\"cue\":\"drop\"", "{\"type\":\"change\",\"flag\":\"checkout-button\","
                    + "\"variants\":[{\"name\":\"control\",\"weight\":9000},{\"name\":\"treatment\",\"weight\":1000}]}");
            HttpResponse<String> cue = send(b, "POST", "/api/v1/show/cues/drop", "token", "{\"reason\":\"drop\"}");
            assertEquals(200, cue.statusCode(), cue.body());
            assertEquals("fired", JSON.readTree(cue.body()).get("fired").get(0).get("state").asText(), cue.body());
            assertTrue(flags(b).get("checkout-button").contains("1000"), "answered once applied on node-b");
            await("node-a has the cue's change", () -> flags(a).get("checkout-button").contains("1000"));
            assertEquals(flags(a), flags(b));
            assertEquals(2, topic(kafka, topics).size());
        }
    }

    /**
     * A cue fired at the aggregator is one {@code cue/NAME} record: each node fires it as if fired there (its own changes
     * pending on it, a {@code show.cue} entry by {@code fleet:aggregator}), and the answer names the nodes that took it
     * and applied its changes.
     * With node-b stopped the answer is 202 naming it; started again, node-b fires that cue from the topic, and the first
     * one not a second time.
     */
    @Test
    void aCueFiredAtTheAggregatorReachesEveryNodeOnceAndNamesThoseThatDidNotTakeIt(EmbeddedKafka kafka) throws Exception {
        Fleet fleet = fleet(kafka, "fleet-cue");
        try (EdgeNode a = fleet.a();
             io.edgedeck.simulator.server.FleetServer aggregator = io.edgedeck.simulator.server.FleetServer.start(
                     new FleetOptions(kafka.bootstrapServers(), null, fleet.topics(), null).withCueWindow(CUE_WINDOW),
                     InetAddress.getLoopbackAddress(), 0,
                     dir.resolve("aggregator"), 0)) {
            EdgeNode b = fleet.b();
            String onA = schedule(a, "\"cue\":\"drop\"", "{\"type\":\"kill\",\"flag\":\"offer-banner\"}");
            String onB = schedule(b, "\"cue\":\"drop\"", "{\"type\":\"change\",\"flag\":\"checkout-button\","
                    + "\"variants\":[{\"name\":\"control\",\"weight\":9000},{\"name\":\"treatment\",\"weight\":1000}]}");
            await("the aggregator hears both nodes", () -> aggregator.aggregator().snapshot(System.currentTimeMillis()).nodes().size() == 2);
            String admin = Files.readString(aggregator.tokenFile()).trim();
            String readKey = Files.readString(aggregator.readKeyFile()).trim();
            String fire = "/api/v1/show/cues/drop";

            HttpResponse<String> viewer = NodeRequests.send(http, aggregator.baseUri(), "POST", fire, readKey, "{\"reason\":\"go\"}");
            assertEquals(403, viewer.statusCode(), viewer.body());
            assertEquals("admin-token-required", new com.fasterxml.jackson.databind.ObjectMapper().readTree(viewer.body())
                    .path("reason").asText(), viewer.body());

            // Fired as the console fires it, through its client: the answer read as the aggregator wrote it.
            try (io.edgedeck.client.http.HttpEdgeConnection console = io.edgedeck.client.http.HttpEdgeConnection.open(
                    aggregator.baseUri(), admin)) {
                await("the console's connection is online", () -> console.status().online());
                io.edgedeck.client.model.FleetCueFired fired = console.fireFleetCue("drop", "the drop is live").join();
                assertEquals(List.of("node-a", "node-b"), fired.took(), fired.toString());
                assertTrue(fired.everyNodeTook(), fired.toString());
                assertEquals("every node took it: node-a, node-b", fired.detail());
            }
            // A node took it once it fired the cue and applied the change it fired: through the control topic, written
            // again if the broker failed a try (FleetCueRetryKafkaTest), so the answer waited for both.
            assertEquals("fired", scheduledState(a, onA));
            assertEquals("fired", scheduledState(b, onB));
            await("both nodes have both nodes' changes", () -> flags(a).get("offer-banner").endsWith("killed")
                    && flags(b).get("checkout-button").contains("1000") && flags(a).equals(flags(b)));
            for (EdgeNode node : List.of(a, b)) {
                List<JsonNode> cue = audit(node, "show.cue");
                assertEquals(1, cue.size(), cue.toString());
                assertEquals("fleet:aggregator", cue.getFirst().get("actor").asText());
                assertEquals("by admin: the drop is live", cue.getFirst().get("reason").asText());
            }

            // A node of an older version reads past a cue's record and fires nothing, or fires it without saying so: its
            // frames name no cues. It is not said to have taken the cue, and the producer is told to upgrade it.
            try (FleetPublisher older = new FleetPublisher("node-old", fleet.topics(), FleetKafka.base(kafka.bootstrapServers(), null),
                    Spool.open(dir.resolve("old"), 16L << 20, 1L << 20), FleetPublisher.Options.DEFAULT)) {
                older.start();
                older.publishFrame(older.frame(System.currentTimeMillis(), List.of(), 1_000_000, 0, null, null, null, null));
                await("the aggregator hears node-old", () -> aggregator.aggregator().snapshot(System.currentTimeMillis()).nodes().size() == 3);
                HttpResponse<String> mixed = NodeRequests.send(http, aggregator.baseUri(), "POST", "/api/v1/show/cues/interval", admin,
                        "{\"reason\":\"interval\"}");
                assertEquals(202, mixed.statusCode(), mixed.body());
                JsonNode answer = JSON.readTree(mixed.body());
                assertEquals("[\"node-a\",\"node-b\"]", answer.get("took").toString(), mixed.body());
                assertEquals(1, answer.get("notTaken").size(), mixed.body());
                assertEquals("node-old", answer.get("notTaken").get(0).get("node").asText(), mixed.body());
                assertEquals("it runs an older version that does not report the fleet cues it fires (one older still skips them):"
                        + " it may not have fired it; upgrade it", answer.get("notTaken").get(0).get("why").asText());
                assertEquals("not taken by node-old; taken by node-a, node-b", answer.get("detail").asText());
            }

            // node-b stopped: the aggregator still hears it for a few seconds, waits for it, and names it.
            b.close();
            HttpResponse<String> partial = NodeRequests.send(http, aggregator.baseUri(), "POST", "/api/v1/show/cues/encore", admin,
                    "{\"reason\":\"encore\"}");
            assertEquals(202, partial.statusCode(), partial.body());
            JsonNode named = JSON.readTree(partial.body());
            assertEquals("[\"node-a\"]", named.get("took").toString(), partial.body());
            assertEquals("node-b", named.get("notTaken").get(0).get("node").asText(), partial.body());
            assertTrue(named.get("detail").asText().contains("not taken by node-b"), partial.body());

            try (EdgeNode again = start("node-b", NODE_B_POPS, kafka.bootstrapServers(), fleet.topics(), dir.resolve("b"),
                    Duration.ofSeconds(20))) {
                await("node-b read the topic again", () -> caughtUp(again));
                List<String> cues = audit(again, "show.cue").stream().map(e -> e.get("target").asText()).toList();
                assertEquals(List.of("drop", "encore", "interval"), cues.stream().sorted().toList(), "each cue once: " + cues);
            }
        } finally {
            fleet.b().close();
        }
    }

    @Test
    void aNodeThatCannotReachKafkaRefusesARunAndChangesNothing() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        FleetTopics topics = new FleetTopics("unreachable-runs.", 1, (short) 1);
        EdgeNode c = start("node-c", NODE_A_POPS, "127.0.0.1:" + closed, topics, dir.resolve("c"), Duration.ofSeconds(3));
        try {
            assertEquals(201, send(c, "POST", "/api/v1/playbooks", "token", STOP_THE_BLEED).statusCode(), "a playbook is the node's own");
            Map<String, String> before = flags(c);
            HttpResponse<String> run = send(c, "POST", "/api/v1/playbooks/stop-the-bleed/run", "token", "{\"reason\":\"errors\"}");
            assertEquals(503, run.statusCode(), run.body());
            assertTrue(run.body().contains("not made"), run.body());
            assertEquals(before, flags(c), "nothing changed");
            assertTrue(guardrailArmed(c));
            assertEquals(0, audit(c, "playbook.run").size(), "no audit entry for a run not made");
            assertEquals(0, controlRecords(c).size());

            // A scheduled change whose time comes while Kafka is away stays pending and changes nothing.
            String id = schedule(c, "\"at\":\"" + java.time.Instant.now().plusMillis(1500) + "\"",
                    "{\"type\":\"kill\",\"flag\":\"offer-banner\"}");
            Thread.sleep(6_000);
            assertEquals("pending", scheduledState(c, id));
            assertEquals(before, flags(c), "nothing changed");
            assertEquals(0, audit(c, "schedule.fire").size());
            assertEquals(0, controlRecords(c).size());
        } finally {
            c.close();
        }
    }
}
