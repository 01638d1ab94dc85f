package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Role;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.server.operators.OperatorStore;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live nodes in a fleet change their flags through the control topic: a change made on one node's
 * API is answered once it is on the topic and applied there, and reaches every other node's flags
 * and OFREP answers; a node started again on its data directory ends at the same versions without
 * applying anything twice; a change the topic took before its node stopped is applied with its
 * Idempotency-Key when the node starts again; a node that cannot reach Kafka refuses the change and
 * keeps its flags.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetControlKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-control",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "sentiment-guard", "flag": "offer-banner", "variant": "treatment", "match": "all",
                             "conditions": [{"metric": "sentimentChange", "op": "<", "value": -0.15}],
                             "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback"}],
             "playbooks": [{"id": "ramp", "actions": [{"type": "change", "flag": "offer-banner",
                            "variants": [{"name": "control", "weight": 80}, {"name": "treatment", "weight": 20}]}]}],
             "approvals": {"variantAbovePercent": 60}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static EdgeNode start(String id, String bootstrap, FleetTopics topics, Path dataDir, Duration timeout)
            throws Exception {
        var config = EdgeNode.Config.live(NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dataDir).withActionTimeout(timeout)
                .withFleet(new FleetOptions(bootstrap, null, topics, id));
        return EdgeNode.start(config);
    }

    private HttpResponse<String> send(EdgeNode node, String method, String path, String keyFile, String body) throws Exception {
        return sendAs(node, method, path, Files.readString(node.dataDir().resolve(keyFile)).trim(), body);
    }

    private HttpResponse<String> sendAs(EdgeNode node, String method, String path, String key, String body) throws Exception {
        return NodeRequests.send(http, node.baseUri(), method, path, key, body);
    }

    private JsonNode flag(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/flags", "token", null);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode f : JSON.readTree(r.body())) {
            if (f.get("key").asText().equals("offer-banner")) {
                return f;
            }
        }
        throw new AssertionError("no offer-banner in " + r.body());
    }

    private boolean guardrailArmed(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/guardrails", "token", null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get(0).get("armed").asBoolean();
    }

    private String ofrepReason(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node, "POST", "/ofrep/v1/evaluate/flags/offer-banner", "read-key",
                "{\"context\":{\"targetingKey\":\"viewer-7\"}}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("reason").asText();
    }

    private List<JsonNode> audit(EdgeNode node) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/audit", "token", null);
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> entries = new ArrayList<>();
        JsonNode body = JSON.readTree(r.body());
        body.forEach(entries::add);
        return entries;
    }

    /** A person's token on {@code node}, as {@code operators add NAME --role ROLE} gives it. */
    private String person(EdgeNode node, String name, Role role) throws Exception {
        Path file = dir.resolve(name + ".token");
        new OperatorStore(node.dataDir(), Clock.systemUTC()).add(name, role, file);
        return Files.readString(file).trim();
    }

    private static long controlRecords(EdgeNode node) {
        return node.journal().records().stream().filter(r -> r instanceof JournalRecord.ControlApplied).count();
    }

    private static void await(String what, Eventually.Check condition) throws Exception {
        Eventually.await(what, Duration.ofSeconds(60), Duration.ofMillis(50), condition);
    }

    private static BooleanSupplier caughtUp(EdgeNode node) {
        return () -> node.fleetControl().orElseThrow().status().lag() == 0;
    }

    @Test
    void aChangeOnOneNodeReachesTheOthersAndARestartedNodeAppliesNothingTwice(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "control-nodes", 1);
        Duration timeout = Duration.ofSeconds(20);
        List<EdgeNode> open = new ArrayList<>();
        EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), timeout);
        open.add(a);
        EdgeNode b = start("node-b", kafka.bootstrapServers(), topics, dir.resolve("b"), timeout);
        open.add(b);
        try {
            await("both nodes read the control topic", () -> caughtUp(a).getAsBoolean() && caughtUp(b).getAsBoolean());

            HttpResponse<String> kill = send(a, "POST", "/api/v1/flags/offer-banner/kill", "token",
                    "{\"reason\":\"checkout errors\"}");
            assertEquals(200, kill.statusCode(), kill.body());
            assertTrue(JSON.readTree(kill.body()).get("killed").asBoolean(), "answered once applied on node-a: " + kill.body());
            assertEquals(1, a.fleetControl().orElseThrow().version("flag/offer-banner"));
            await("node-b's flag is killed", () -> flag(b).get("killed").asBoolean());
            await("node-b's OFREP serves the killed flag's control", () -> ofrepReason(b).equals("DISABLED"));

            // node-b changes the weights (against its own version of the flag); node-a takes it up.
            long bVersion = flag(b).get("version").asLong();
            HttpResponse<String> weights = send(b, "PATCH", "/api/v1/flags/offer-banner", "token",
                    "{\"expectedVersion\":" + bVersion + ",\"variants\":[{\"name\":\"control\",\"weight\":9000},"
                            + "{\"name\":\"treatment\",\"weight\":1000}],\"reason\":\"ramp down\"}");
            assertEquals(200, weights.statusCode(), weights.body());
            await("node-a has node-b's weights", () -> flag(a).get("variants").get(1).get("weight").asInt() == 1000);
            assertTrue(flag(a).get("killed").asBoolean(), "a weights change leaves the kill as it was");

            // A rollback by hand on node-a is a flag change on the topic too.
            HttpResponse<String> rollback = send(a, "POST", "/api/v1/rollbacks", "token",
                    "{\"flag\":\"offer-banner\",\"variant\":\"treatment\",\"reason\":\"sentiment dropped\"}");
            assertEquals(200, rollback.statusCode(), rollback.body());
            assertEquals("manual", JSON.readTree(rollback.body()).get("rule").asText(), rollback.body());
            await("node-b has the treatment rolled back", () -> flag(b).get("variants").get(1).get("weight").asInt() == 0);
            HttpResponse<String> control = send(a, "POST", "/api/v1/rollbacks", "token",
                    "{\"flag\":\"offer-banner\",\"variant\":\"control\",\"reason\":\"oops\"}");
            assertEquals(400, control.statusCode(), control.body());
            assertTrue(control.body().contains("\"variant\""), "the field is named: " + control.body());

            // One operator entry per change, on the node that took it; the other node's entry says it came from the fleet.
            List<JsonNode> auditA = audit(a);
            List<JsonNode> auditB = audit(b);
            assertEquals(1, auditA.stream().filter(e -> e.get("action").asText().equals("flag.kill")).count(), auditA.toString());
            assertEquals(0, auditB.stream().filter(e -> e.get("action").asText().equals("flag.kill")).count(), auditB.toString());
            assertEquals(1, auditB.stream().filter(e -> e.get("action").asText().equals("flag.change")).count(), auditB.toString());
            assertEquals(0, auditA.stream().filter(e -> e.get("action").asText().equals("flag.change")).count(), auditA.toString());
            assertEquals(1, auditA.stream().filter(e -> e.get("action").asText().equals("flag.rollback")).count(), auditA.toString());
            assertEquals(2, auditB.stream().filter(e -> e.get("action").asText().equals(FleetControl.FLEET_APPLY)).count(),
                    auditB.toString());
            assertTrue(auditB.stream().anyMatch(e -> e.get("action").asText().equals(FleetControl.FLEET_APPLY)
                    && e.get("actor").asText().equals("fleet:node-a")), auditB.toString());
            assertTrue(auditA.stream().anyMatch(e -> e.get("action").asText().equals(FleetControl.FLEET_APPLY)
                    && e.get("actor").asText().equals("fleet:node-b")), auditA.toString());

            // A change the approval lanes hold waits on node-a; once approved and applied there, it reaches node-b too.
            String alice = person(a, "alice", Role.OPERATOR);
            String bob = person(a, "bob", Role.APPROVER);
            HttpResponse<String> risky = sendAs(a, "PATCH", "/api/v1/flags/offer-banner", alice,
                    "{\"expectedVersion\":" + flag(a).get("version").asLong() + ",\"variants\":[{\"name\":\"control\","
                            + "\"weight\":3000},{\"name\":\"treatment\",\"weight\":7000}],\"reason\":\"go big\"}");
            assertEquals(202, risky.statusCode(), risky.body());
            String request = "/api/v1/requests/" + JSON.readTree(risky.body()).get("id").asText();
            assertEquals(0, flag(b).get("variants").get(1).get("weight").asInt(), "a held change is not written to the fleet");
            assertEquals(200, sendAs(a, "POST", request + "/approve", bob, "{\"reason\":\"ok\",\"revision\":1}").statusCode());
            HttpResponse<String> applied = sendAs(a, "POST", request + "/apply", alice, "{}");
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals("applied", JSON.readTree(applied.body()).get("state").asText(), applied.body());
            await("node-b has the approved weights", () -> flag(b).get("variants").get(1).get("weight").asInt() == 7000);
            assertEquals(409, sendAs(a, "POST", request + "/apply", alice, "{}").statusCode(), "applied once");
            auditA = audit(a);
            assertEquals(1, auditA.stream().filter(e -> e.get("action").asText().equals("flag.change")
                    && e.get("actor").asText().equals("alice")).count(), auditA.toString());
            // Requests are numbered per node: node-b's entry names node-a's request, not a request #N of its own.
            String named = "(request node-a#" + JSON.readTree(risky.body()).get("id").asText() + " by alice, approved by bob)";
            await("node-b audits node-a's request by its node", () -> audit(b).stream().anyMatch(e -> e.get("action").asText()
                    .equals(FleetControl.FLEET_APPLY) && e.get("reason").asText().endsWith(named)));

            // An edit that leaves no risk applies as an opening without risk would: through the topic, to node-b too.
            HttpResponse<String> riskier = sendAs(a, "PATCH", "/api/v1/flags/offer-banner", alice,
                    "{\"expectedVersion\":" + flag(a).get("version").asLong() + ",\"variants\":[{\"name\":\"control\","
                            + "\"weight\":2000},{\"name\":\"treatment\",\"weight\":8000}],\"reason\":\"bigger\"}");
            assertEquals(202, riskier.statusCode(), riskier.body());
            String second = "/api/v1/requests/" + JSON.readTree(riskier.body()).get("id").asText();
            HttpResponse<String> calmer = sendAs(a, "PATCH", second, alice, "{\"expectedVersion\":" + flag(a).get("version").asLong()
                    + ",\"variants\":[{\"name\":\"control\",\"weight\":5000},{\"name\":\"treatment\",\"weight\":5000}],"
                    + "\"reason\":\"even after all\"}");
            assertEquals(200, calmer.statusCode(), calmer.body());
            assertEquals("applied", JSON.readTree(calmer.body()).get("state").asText(), calmer.body());
            assertEquals(0, JSON.readTree(calmer.body()).get("risks").size(), calmer.body());
            await("node-b has the edited weights", () -> flag(b).get("variants").get(1).get("weight").asInt() == 5000);
            assertEquals("applied", JSON.readTree(sendAs(a, "GET", second, alice, null).body()).get("state").asText());

            // A guardrail disarmed on node-b is disarmed on node-a too.
            assertTrue(guardrailArmed(a) && guardrailArmed(b));
            HttpResponse<String> disarm = NodeRequests.send(http, b.baseUri(), "POST", "/api/v1/guardrails/sentiment-guard/disarm",
                    Files.readString(b.dataDir().resolve("token")).trim(), "{\"reason\":\"noisy chat\"}", "disarm-once");
            assertEquals(200, disarm.statusCode(), disarm.body());
            assertFalse(JSON.readTree(disarm.body()).get("armed").asBoolean(), disarm.body());
            await("node-a has the guardrail disarmed", () -> !guardrailArmed(a));
            assertTrue(audit(b).stream().anyMatch(e -> e.get("action").asText().equals("guardrail.disarm")));
            assertTrue(audit(a).stream().noneMatch(e -> e.get("action").asText().equals("guardrail.disarm")));
            auditB = audit(b);

            // node-b stops and starts again on its data directory: it reads the topic again and applies nothing twice.
            JsonNode before = flag(b);
            long journaled = controlRecords(b);
            int auditBefore = auditB.size();
            open.remove(b);
            b.close();
            EdgeNode b2 = start("node-b", kafka.bootstrapServers(), topics, dir.resolve("b"), timeout);
            open.add(b2);
            await("the restarted node-b read the control topic", () -> caughtUp(b2).getAsBoolean()
                    && b2.fleetControl().orElseThrow().status().offset() >= 0);
            var status = b2.fleetControl().orElseThrow().status();
            assertEquals(0, status.applied(), "nothing applied again: " + status);
            assertEquals(6, status.skipped(), "every record skipped (the edited request's change among them): " + status);
            assertFalse(guardrailArmed(b2));
            assertEquals(5, b2.fleetControl().orElseThrow().version("flag/offer-banner"));
            assertEquals(journaled, controlRecords(b2), "no control record journaled again");
            assertEquals(before.get("version"), flag(b2).get("version"));
            assertEquals(before.get("variants"), flag(b2).get("variants"));
            assertTrue(flag(b2).get("killed").asBoolean());
            assertEquals(auditBefore, audit(b2).size());
            // The disarm, sent again with its Idempotency-Key, is answered as it was: its key was journaled with its record.
            HttpResponse<String> retried = NodeRequests.send(http, b2.baseUri(), "POST", "/api/v1/guardrails/sentiment-guard/disarm",
                    Files.readString(b2.dataDir().resolve("token")).trim(), "{\"reason\":\"noisy chat\"}", "disarm-once");
            assertEquals(disarm.statusCode(), retried.statusCode(), retried.body());
            assertEquals(disarm.body(), retried.body());
            assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElse(null));
            assertEquals(auditBefore, audit(b2).size(), "nothing made again");
            HttpResponse<String> metrics = send(b2, "GET", "/metrics", "read-key", null);
            assertTrue(metrics.body().contains("edgedeck_fleet_control_skipped_records_total 6"), metrics.body());
            assertTrue(metrics.body().contains("edgedeck_fleet_control_lag_records 0"), metrics.body());
        } finally {
            open.forEach(EdgeNode::close);
        }
    }

    /**
     * A node stops after the control topic took a keyed manual rollback and a keyed playbook run, before it
     * applied either: its disk then is what it was before them (a copy of its data directory taken then
     * stands for it). Started again, it applies both records on start, each with its key in the same write,
     * and a retry of either key is answered 409 (made, answer lost) and changes nothing, after a further
     * restart too; the same key with another request is a 422.
     */
    @Test
    void aKeyedChangeTheTopicTookBeforeItsNodeStoppedIsAppliedWithItsKeyAndNotMadeAgain(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "control-keyed", 1);
        Duration timeout = Duration.ofSeconds(20);
        Path data = dir.resolve("a");
        Path beforeTheChanges = dir.resolve("a-before");
        String rollbackBody = "{\"flag\":\"offer-banner\",\"variant\":\"treatment\",\"reason\":\"sentiment dropped\"}";
        String runBody = "{\"reason\":\"ramp it down\"}";
        EdgeNode first = start("node-a", kafka.bootstrapServers(), topics, data, timeout);
        try {
            await("node-a read the control topic", () -> caughtUp(first).getAsBoolean());
        } finally {
            first.close();
        }
        copy(data, beforeTheChanges);

        EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, data, timeout);
        String token = Files.readString(a.dataDir().resolve("token")).trim();
        try {
            await("node-a read the control topic", () -> caughtUp(a).getAsBoolean());
            HttpResponse<String> rollback = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/rollbacks", token, rollbackBody,
                    "rollback-once");
            assertEquals(200, rollback.statusCode(), rollback.body());
            HttpResponse<String> run = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/playbooks/ramp/run", token, runBody,
                    "run-once");
            assertEquals(200, run.statusCode(), run.body());
            // Applied while its request waited: the same record the restarted node applies below is a rollback here.
            assertEquals(List.of("flag.rollback"), audit(a).stream().filter(e -> e.get("reason").asText().equals("sentiment dropped"))
                    .map(e -> e.get("action").asText()).toList());
        } finally {
            a.close();
        }

        // node-a's disk as it was when the topic had taken both records and the node had applied neither.
        EdgeNode again = start("node-a", kafka.bootstrapServers(), topics, beforeTheChanges, timeout);
        try {
            await("the restarted node-a applied both records", () -> caughtUp(again).getAsBoolean()
                    && again.fleetControl().orElseThrow().status().applied() == 2);
            JsonNode flag = flag(again);
            assertEquals(2000, flag.get("variants").get(1).get("weight").asInt(), flag.toString());
            assertRetriesChangeNothing(again, token, rollbackBody, runBody, flag);
            List<JournalRecord> journal = again.journal().records();
            for (String key : List.of("rollback-once", "run-once")) {
                JournalRecord.IdempotencyKey written = journal.stream().filter(r -> r instanceof JournalRecord.IdempotencyKey k
                        && k.key().equals(key)).map(JournalRecord.IdempotencyKey.class::cast).findFirst()
                        .orElseThrow(() -> new AssertionError("no idempotency.key record of " + key + " in " + journal));
                assertEquals("admin", written.caller());
                assertTrue(journal.stream().anyMatch(r -> r instanceof JournalRecord.ControlApplied c
                        && c.seq() + 1 == written.seq()), "journaled in the same write as its control.applied: " + journal);
            }
        } finally {
            again.close();
        }

        // Its keys are in its journal now: after another restart a retry is answered the same.
        EdgeNode third = start("node-a", kafka.bootstrapServers(), topics, beforeTheChanges, timeout);
        try {
            await("node-a read the control topic again", () -> caughtUp(third).getAsBoolean()
                    && third.fleetControl().orElseThrow().status().offset() >= 0);
            assertEquals(0, third.fleetControl().orElseThrow().status().applied(), "nothing applied again");
            assertRetriesChangeNothing(third, token, rollbackBody, runBody, flag(third));
        } finally {
            third.close();
        }
    }

    /**
     * A node stops after the control topic took the change of an approved request it applied and of an
     * edit that left another request no risk, before it applied either (a copy of its data directory taken
     * then stands for its disk). Started again, it applies both records on start with each request marked
     * applied in the same journal write as its change: never a flag changed with its request still open.
     */
    @Test
    void requestsWhoseChangesTheTopicTookBeforeTheirNodeStoppedAreAppliedWithTheirChanges(EmbeddedKafka kafka)
            throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "control-requests", 1);
        Duration timeout = Duration.ofSeconds(20);
        Path data = dir.resolve("a");
        Path beforeTheChanges = dir.resolve("a-before");
        String alice;
        String bob;
        EdgeNode first = start("node-a", kafka.bootstrapServers(), topics, data, timeout);
        try {
            await("node-a read the control topic", () -> caughtUp(first).getAsBoolean());
            alice = person(first, "alice", Role.OPERATOR);
            bob = person(first, "bob", Role.APPROVER);
            long version = flag(first).get("version").asLong();
            HttpResponse<String> approved = sendAs(first, "PATCH", "/api/v1/flags/offer-banner", alice, weights(version, 7000, "go big"));
            assertEquals(202, approved.statusCode(), approved.body());
            assertEquals(200, sendAs(first, "POST", "/api/v1/requests/1/approve", bob, "{\"reason\":\"ok\",\"revision\":1}")
                    .statusCode());
            HttpResponse<String> edited = sendAs(first, "PATCH", "/api/v1/flags/offer-banner", alice, weights(version, 8000, "bigger"));
            assertEquals(202, edited.statusCode(), edited.body());
            assertEquals(2, JSON.readTree(edited.body()).get("id").asLong(), edited.body());
        } finally {
            first.close();
        }
        copy(data, beforeTheChanges);

        EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, data, timeout);
        try {
            await("node-a read the control topic", () -> caughtUp(a).getAsBoolean());
            HttpResponse<String> applied = sendAs(a, "POST", "/api/v1/requests/1/apply", alice, "{}");
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals("applied", JSON.readTree(applied.body()).get("state").asText(), applied.body());
            HttpResponse<String> calmer = sendAs(a, "PATCH", "/api/v1/requests/2", alice,
                    weights(flag(a).get("version").asLong(), 4000, "even after all"));
            assertEquals(200, calmer.statusCode(), calmer.body());
            assertEquals("applied", JSON.readTree(calmer.body()).get("state").asText(), calmer.body());
        } finally {
            a.close();
        }

        // node-a's disk as it was when the topic had taken both records and the node had applied neither.
        for (int start = 1; start <= 2; start++) {
            EdgeNode again = start("node-a", kafka.bootstrapServers(), topics, beforeTheChanges, timeout);
            try {
                int expected = start == 1 ? 2 : 0;
                await("the restarted node-a read the control topic", () -> caughtUp(again).getAsBoolean()
                        && again.fleetControl().orElseThrow().status().offset() >= 0
                        && again.fleetControl().orElseThrow().status().applied() == expected);
                assertEquals(4000, flag(again).get("variants").get(1).get("weight").asInt(), flag(again).toString());
                JsonNode one = JSON.readTree(sendAs(again, "GET", "/api/v1/requests/1", alice, null).body());
                assertEquals("applied", one.get("state").asText(), "the approved request whose change was made: " + one);
                assertEquals("alice", one.get("appliedBy").asText(), one.toString());
                JsonNode two = JSON.readTree(sendAs(again, "GET", "/api/v1/requests/2", alice, null).body());
                assertEquals("applied", two.get("state").asText(), "the edited request whose change was made: " + two);
                assertEquals(2, two.get("revision").asInt(), two.toString());
                assertEquals("even after all", two.get("reason").asText(), two.toString());
                assertEquals(4000, two.get("change").get("variants").get(1).get("weight").asInt(), two.toString());
                HttpResponse<String> twice = sendAs(again, "POST", "/api/v1/requests/1/apply", alice, "{}");
                assertEquals(409, twice.statusCode(), "applied once: " + twice.body());
                List<JournalRecord> journal = again.journal().records();
                for (long id = 1; id <= 2; id++) {
                    long request = id;
                    JournalRecord.RequestChanged marked = journal.stream().filter(r -> r instanceof JournalRecord.RequestChanged c
                                    && c.request().id() == request && c.request().state() == ChangeRequest.State.APPLIED)
                            .map(JournalRecord.RequestChanged.class::cast).findFirst()
                            .orElseThrow(() -> new AssertionError("request #" + request + " never marked applied: " + journal));
                    assertTrue(journal.stream().anyMatch(r -> r instanceof JournalRecord.ControlApplied c
                            && c.seq() + 1 == marked.seq()), "marked in the same write as its control.applied: " + journal);
                }
            } finally {
                again.close();
            }
        }
    }

    private static String weights(long version, int treatment, String reason) {
        return "{\"expectedVersion\":" + version + ",\"variants\":[{\"name\":\"control\",\"weight\":" + (10_000 - treatment)
                + "},{\"name\":\"treatment\",\"weight\":" + treatment + "}],\"reason\":\"" + reason + "\"}";
    }

    /** A retry of the rollback and of the run is a 409 that changes nothing; the rollback's key with another body is a 422. */
    private void assertRetriesChangeNothing(EdgeNode node, String token, String rollbackBody, String runBody, JsonNode flag)
            throws Exception {
        long records = controlRecords(node);
        HttpResponse<String> rollback = NodeRequests.send(http, node.baseUri(), "POST", "/api/v1/rollbacks", token, rollbackBody,
                "rollback-once");
        assertEquals(409, rollback.statusCode(), "made before the restart, not made again: " + rollback.body());
        assertTrue(rollback.body().contains("not applied again"), rollback.body());
        HttpResponse<String> run = NodeRequests.send(http, node.baseUri(), "POST", "/api/v1/playbooks/ramp/run", token, runBody,
                "run-once");
        assertEquals(409, run.statusCode(), "made before the restart, not made again: " + run.body());
        HttpResponse<String> other = NodeRequests.send(http, node.baseUri(), "POST", "/api/v1/rollbacks", token,
                rollbackBody.replace("sentiment dropped", "another reason"), "rollback-once");
        assertEquals(422, other.statusCode(), other.body());
        JsonNode now = flag(node);
        assertEquals(flag.get("version"), now.get("version"), "nothing changed: " + now);
        assertEquals(flag.get("variants"), now.get("variants"), "nothing changed: " + now);
        assertEquals(records, controlRecords(node), "nothing applied");
        List<JsonNode> audit = audit(node);
        // The rollback's one entry: applied on start with nobody waiting for it, it is audited as the record says, a
        // rollback, as the node would have audited it had it not stopped.
        List<JsonNode> rolledBack = audit.stream().filter(e -> e.get("reason").asText().equals("sentiment dropped")).toList();
        assertEquals(1, rolledBack.size(), audit.toString());
        assertEquals("flag.rollback", rolledBack.getFirst().get("action").asText(), rolledBack.toString());
        assertEquals("admin", rolledBack.getFirst().get("actor").asText(), rolledBack.toString());
        assertEquals(1, audit.stream().filter(e -> e.get("action").asText().equals("playbook.run")).count(), audit.toString());
    }

    /** A stopped node's data directory, as it is now. */
    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    @Test
    void aNodeThatCannotReachKafkaRefusesTheChangeAndKeepsItsFlags() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        FleetTopics topics = new FleetTopics("unreachable.", 1, (short) 1);
        EdgeNode c = start("node-c", "127.0.0.1:" + closed, topics, dir.resolve("c"), Duration.ofSeconds(3));
        try {
            JsonNode before = flag(c);
            int auditBefore = audit(c).size();
            HttpResponse<String> kill = send(c, "POST", "/api/v1/flags/offer-banner/kill", "token", "{\"reason\":\"errors\"}");
            assertEquals(503, kill.statusCode(), kill.body());
            assertEquals("application/problem+json", kill.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertTrue(kill.body().contains("not made"), kill.body());
            assertFalse(flag(c).get("killed").asBoolean(), "nothing changed");
            assertEquals(before.get("version"), flag(c).get("version"));
            assertEquals(auditBefore, audit(c).size(), "no audit entry for a change not made");
            assertEquals(0, controlRecords(c));
            assertEquals("SPLIT", ofrepReason(c), "it keeps serving its flags");

            HttpResponse<String> bad = send(c, "PATCH", "/api/v1/flags/offer-banner", "token",
                    "{\"expectedVersion\":" + before.get("version").asLong() + ",\"variants\":[{\"name\":\"control\",\"weight\":-5},"
                            + "{\"name\":\"treatment\",\"weight\":10005}],\"reason\":\"typo\"}");
            assertEquals(400, bad.statusCode(), "a bad change is refused by the node's own rules first: " + bad.body());
        } finally {
            c.close();
        }
    }

    /**
     * A manual rollback of a variant the fleet already rolled back changes no flag: the node that took it
     * keeps the flag's version, as every other node does, and audits no second {@code flag.rollback}. It
     * used to apply the rollback command it was asked for although the record's state was the flag's own,
     * so that node alone moved to the next version, and an {@code expectedVersion} read on one node's API
     * was stale on the other's for good.
     */
    @Test
    void aRollbackOfAVariantAlreadyRolledBackKeepsEveryNodeAtOneVersion(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "control-rollback-again", 1);
        try (EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), Duration.ofSeconds(20));
             EdgeNode b = start("node-b", kafka.bootstrapServers(), topics, dir.resolve("b"), Duration.ofSeconds(20))) {
            await("both read the control topic", () -> caughtUp(a).getAsBoolean() && caughtUp(b).getAsBoolean());
            String rollback = "{\"flag\":\"offer-banner\",\"variant\":\"treatment\",\"reason\":\"chat turned\"}";
            HttpResponse<String> first = send(a, "POST", "/api/v1/rollbacks", "token", rollback);
            assertEquals(200, first.statusCode(), first.body());
            await("node-b applied the rollback", () -> flag(b).get("variants").get(1).get("weight").asInt() == 0);
            // Recorded as a firing on the node that took it, as on a node in no fleet: the rules watching the variant
            // start their cooldown there.
            List<JournalRecord.GuardrailFired> fired = a.journal().records().stream().filter(r -> r instanceof JournalRecord.GuardrailFired)
                    .map(JournalRecord.GuardrailFired.class::cast).toList();
            assertEquals(1, fired.size(), fired.toString());
            assertEquals(List.of("manual", "admin", "treatment", "chat turned"), List.of(fired.getFirst().firing().rule(),
                    fired.getFirst().firing().actor(), fired.getFirst().firing().variant(), fired.getFirst().firing().reason()));
            assertEquals(0, b.journal().records().stream().filter(r -> r instanceof JournalRecord.GuardrailFired).count(),
                    "node-b applied another node's change, not a firing of its own");
            await("node-a's rule watching the variant is cooling down",
                    () -> JSON.readTree(send(a, "GET", "/api/v1/guardrails", "token", null).body()).get(0).hasNonNull("lastFiredAtMillis"));
            long version = flag(a).get("version").asLong();
            assertEquals(version, flag(b).get("version").asLong());

            // Again, on either node: the variant gets no traffic already, so no flag changes anywhere.
            for (EdgeNode node : List.of(a, b)) {
                HttpResponse<String> again = send(node, "POST", "/api/v1/rollbacks", "token", rollback);
                assertEquals(200, again.statusCode(), again.body());
            }
            await("both read to the end", () -> caughtUp(a).getAsBoolean() && caughtUp(b).getAsBoolean());
            assertEquals(version, flag(a).get("version").asLong(), flag(a).toString());
            assertEquals(version, flag(b).get("version").asLong(), flag(b).toString());
            assertEquals(1, audit(a).stream().filter(e -> e.get("action").asText().equals("flag.rollback")).count());
            assertEquals(0, audit(b).stream().filter(e -> e.get("action").asText().equals("flag.rollback")).count());

            // A change made with the version read on one node is taken on the other.
            HttpResponse<String> change = send(b, "PATCH", "/api/v1/flags/offer-banner", "token",
                    "{\"variants\":[{\"name\":\"control\",\"weight\":6000},{\"name\":\"treatment\",\"weight\":4000}],"
                            + "\"expectedVersion\":" + version + ",\"reason\":\"back in, gently\"}");
            assertEquals(200, change.statusCode(), change.body());
        }
    }

    /**
     * An approved request that a change through the control topic made stale (here node-a's change of the flag
     * past the request's {@code expectedVersion} on node-b) can only be refused if applied: node-b lists it as
     * stale, saying why, so neither its API nor its console offers it to apply. It used to read "approved"
     * with nothing to tell it from one that may apply, for good.
     */
    @Test
    void anApprovedRequestTheTopicMadeStaleIsListedStaleWithWhy(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "control-stale-request", 1);
        try (EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), Duration.ofSeconds(20));
             EdgeNode b = start("node-b", kafka.bootstrapServers(), topics, dir.resolve("b"), Duration.ofSeconds(20))) {
            await("both read the control topic", () -> caughtUp(a).getAsBoolean() && caughtUp(b).getAsBoolean());
            String alice = person(b, "alice", Role.OPERATOR);
            String bob = person(b, "bob", Role.APPROVER);
            long version = flag(b).get("version").asLong();
            HttpResponse<String> risky = sendAs(b, "PATCH", "/api/v1/flags/offer-banner", alice, "{\"expectedVersion\":" + version
                    + ",\"variants\":[{\"name\":\"control\",\"weight\":3000},{\"name\":\"treatment\",\"weight\":7000}],"
                    + "\"reason\":\"go big\"}");
            assertEquals(202, risky.statusCode(), risky.body());
            String request = "/api/v1/requests/" + JSON.readTree(risky.body()).get("id").asText();
            assertEquals(200, sendAs(b, "POST", request + "/approve", bob, "{\"reason\":\"ok\",\"revision\":1}").statusCode());
            assertFalse(JSON.readTree(sendAs(b, "GET", request, alice, null).body()).has("stale"), "approved, it may apply");

            HttpResponse<String> elsewhere = send(a, "PATCH", "/api/v1/flags/offer-banner", "token", "{\"expectedVersion\":"
                    + flag(a).get("version").asLong() + ",\"variants\":[{\"name\":\"control\",\"weight\":8000},"
                    + "{\"name\":\"treatment\",\"weight\":2000}],\"reason\":\"ramp down\"}");
            assertEquals(200, elsewhere.statusCode(), elsewhere.body());
            await("node-b has node-a's weights", () -> flag(b).get("variants").get(1).get("weight").asInt() == 2000);

            JsonNode listed = JSON.readTree(sendAs(b, "GET", "/api/v1/requests?state=approved", alice, null).body()).get(0);
            assertEquals("approved", listed.get("state").asText(), listed.toString());
            String why = listed.path("stale").asText("");
            assertTrue(why.contains("request #" + listed.get("id").asText() + " can no longer apply") && why.contains("version"),
                    "stale, saying why: " + listed);
            assertEquals(why, JSON.readTree(sendAs(b, "GET", request, alice, null).body()).path("stale").asText(""));
            HttpResponse<String> apply = sendAs(b, "POST", request + "/apply", alice, "{}");
            assertEquals(409, apply.statusCode(), "stale, its apply is refused as the list said: " + apply.body());
            assertEquals(2000, flag(b).get("variants").get(1).get("weight").asInt(), "nothing changed");
        }
    }
}
