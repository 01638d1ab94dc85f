package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.simulator.fleet.ControlTopicRecords;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.Eventually;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet node in a process of its own, killed with SIGKILL while a change its cue fired is being written to the
 * fleet's Kafka (stopped): started again on its data directory, with Kafka back, its schedule says what its journal
 * knows (the cue fired at that time, the change not confirmed since) rather than a plain {@code pending}, and a
 * producer's retry through the client (as the console makes it) lands the change once; a second retry is a 409 in the
 * node's words.
 */
@Tag("kafka")
class FleetScheduleRestartKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JVM = NodeHttp.JVM;
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-schedule-restart",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";

    private final NodeHttp nodes = new NodeHttp();
    private final HttpClient http = nodes.client();

    private HttpRequest request(URI base, Path data, String method, String path, String keyFile, String body) throws Exception {
        return nodes.request(base, data, method, path, keyFile, body);
    }

    private HttpResponse<String> send(URI base, Path data, String method, String path, String body) throws Exception {
        return nodes.send(base, data, method, path, body);
    }

    private long metric(URI base, Path data, String name) throws Exception {
        return nodes.metric(base, data, name);
    }

    /** The control records on the topic that set flag {@code flag}. */
    private static long recordsOf(EmbeddedKafka kafka, String flag) throws Exception {
        return ControlTopicRecords.read(kafka, new FleetTopics(FleetTopics.DEFAULT_PREFIX, 1, (short) 1)).stream()
                .filter(r -> r.getValue().get("changes").toString().contains("\"flag/" + flag + "\"")).count();
    }

    /** The wall-clock time of the journal's {@code show.cue} entry for {@code cue}, or -1 while there is none. */
    private static long cueJournaledAt(Path data, String cue) throws Exception {
        try (var lines = Files.lines(data.resolve("journal.jsonl"))) {
            for (String line : lines.toList()) {
                JsonNode r = JSON.readTree(line);
                if ("show.cue".equals(r.path("action").asText()) && cue.equals(r.path("target").asText())) {
                    return r.path("wallMillis").asLong(-1);
                }
            }
        }
        return -1;
    }

    private static void await(String what, Eventually.Check condition) throws Exception {
        NodeHttp.await(what, condition);
    }

    /** Once the node read the control topic, schedules kill offer-banner on cue drop: the change's id. */
    private long killOnDrop(NodeProcess node, Path data) throws Exception {
        await("the node read the control topic", () -> metric(node.base(), data, "edgedeck_fleet_control_lag_records") == 0);
        HttpResponse<String> made = send(node.base(), data, "POST", "/api/v1/schedule",
                "{\"cue\":\"drop\",\"action\":{\"type\":\"kill\",\"flag\":\"offer-banner\"},\"reason\":\"the drop\"}");
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body()).get("id").asLong();
    }

    private static ScheduledChange change(HttpEdgeConnection c, long id) {
        return c.scheduledChanges().join().stream().filter(x -> x.id() == id).findFirst().orElseThrow();
    }

    @Test
    void aChangeWhoseCueFiredBeforeAKillSaysSoAfterTheRestartAndIsRetriedOnce(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("schedule-restart")) {
            Path a = dir.resolve("a");
            // A minute's cue window: the node is still trying the change when it is killed.
            String[] serve = NodeHttp.fleetNode(kafka, dir, CONFIG, "node-a", "a", "--cue-window", "60");
            long id;
            try (NodeProcess node = NodeProcess.start(JVM, serve)) {
                id = killOnDrop(node, a);

                kafka.stop();
                long beforeFiring = System.currentTimeMillis();
                CompletableFuture<HttpResponse<String>> firing = http.sendAsync(
                        request(node.base(), a, "POST", "/api/v1/show/cues/drop", "token", "{\"reason\":\"the drop is live\"}"),
                        HttpResponse.BodyHandlers.ofString());
                await("the cue is journaled", () -> cueJournaledAt(a, "drop") > 0);
                long journaled = System.currentTimeMillis();
                long at = cueJournaledAt(a, "drop");
                assertTrue(at >= beforeFiring - 1_000 && at <= journaled, "the cue's time on the wall clock: " + at + " in ["
                        + beforeFiring + ", " + journaled + "]");
                assertEquals(137, node.kill(), "SIGKILL while the change is being tried");
                assertTrue(firing.handle((r, e) -> e != null).join(), "the cue's call was cut by the kill, never answered");
            }
            long firedAt = cueJournaledAt(a, "drop");

            kafka.start();
            try (NodeProcess again = NodeProcess.start(JVM, serve);
                 HttpEdgeConnection client = HttpEdgeConnection.open(again.base(), Files.readString(a.resolve("token")).trim())) {
                await("the restarted node read the control topic",
                        () -> metric(again.base(), a, "edgedeck_fleet_control_lag_records") == 0);
                ScheduledChange pending = change(client, id);
                assertEquals(ScheduledChange.State.PENDING, pending.state());
                assertNotNull(pending.unconfirmed(), "the schedule says the change is not confirmed, not plain pending: " + pending);
                assertEquals(firedAt, pending.unconfirmed().sinceEpochMillis(), "not confirmed since its cue was fired");
                assertTrue(pending.unconfirmed().last().contains("cue drop was fired, and the node was started again")
                        && pending.unconfirmed().last().contains("started again"), pending.unconfirmed().last());
                assertTrue(pending.unconfirmed().detail().contains("check the fleet's nodes"), pending.unconfirmed().detail());
                JsonNode listed = JSON.readTree(send(again.base(), a, "GET", "/api/v1/schedule/" + id, null).body());
                assertEquals(firedAt, listed.path("unconfirmed").path("sinceEpochMillis").asLong(), listed.toString());
                assertFalse(JSON.readTree(send(again.base(), a, "GET", "/api/v1/flags/offer-banner", null).body()).get("killed").asBoolean());

                CompletionException noReason = assertThrows(CompletionException.class, () -> client.retryScheduled(id, " ").join());
                EdgeException refused = assertInstanceOf(EdgeException.class, noReason.getCause());
                assertEquals(EdgeException.Kind.INVALID, refused.kind());
                assertEquals("reason", refused.field());

                ScheduledChange retried = client.retryScheduled(id, "checked the fleet: not applied").join();
                assertEquals(id, retried.id());
                await("the retried change fired", () -> change(client, id).state() == ScheduledChange.State.FIRED);
                assertEquals(null, change(client, id).unconfirmed());
                assertTrue(JSON.readTree(send(again.base(), a, "GET", "/api/v1/flags/offer-banner", null).body()).get("killed").asBoolean());
                List<JsonNode> audit = new java.util.ArrayList<>();
                JSON.readTree(send(again.base(), a, "GET", "/api/v1/audit", null).body()).forEach(e -> {
                    if ("schedule.retry".equals(e.path("action").asText())) {
                        audit.add(e);
                    }
                });
                assertEquals(1, audit.size(), audit.toString());
                assertTrue(audit.getFirst().get("before").asText().contains("not confirmed since"), audit.toString());
                assertEquals(1, recordsOf(kafka, "offer-banner"), "the retried change on the topic once");

                CompletionException twice = assertThrows(CompletionException.class,
                        () -> client.retryScheduled(id, "again").join());
                EdgeException conflict = assertInstanceOf(EdgeException.class, twice.getCause());
                assertEquals(EdgeException.Kind.CONFLICT, conflict.kind());
                assertTrue(conflict.getMessage().contains("is fired and cannot be retried"), conflict.getMessage());
            }
        }
    }

    /**
     * The change's record reached the topic and the node was killed before it applied it: the journal ends with the cue's
     * {@code show.cue} entry, which a cue whose change goes through the fleet journals in a write of its own, and the apply
     * write never came. Made here by a real firing with Kafka up, a SIGKILL, and the journal cut back to that entry (what
     * the disk holds at such a kill); the record on the topic is the one the node wrote. Started again, the node applies
     * its record as the change's firing, and marks the change fired in the same journal write: fired, never listed not
     * confirmed, one record on the topic, and a retry refused.
     */
    @Test
    void aChangeWhoseRecordLandedBeforeAKillIsFiredWhenTheNodeAppliesItOnStart(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("schedule-landed")) {
            Path a = dir.resolve("a");
            String[] serve = NodeHttp.fleetNode(kafka, dir, CONFIG, "node-a", "a", "--cue-window", "60");
            long id;
            try (NodeProcess node = NodeProcess.start(JVM, serve)) {
                id = killOnDrop(node, a);
                HttpResponse<String> fired = send(node.base(), a, "POST", "/api/v1/show/cues/drop", "{\"reason\":\"the drop is live\"}");
                assertEquals(200, fired.statusCode(), fired.body());
                assertEquals(1, recordsOf(kafka, "offer-banner"), "the change's record is on the topic");
                assertEquals(137, node.kill(), "SIGKILL");
            }
            Path journal = a.resolve("journal.jsonl");
            List<String> lines = Files.readAllLines(journal);
            int cue = -1;
            for (int i = 0; i < lines.size(); i++) {
                JsonNode r = JSON.readTree(lines.get(i));
                if ("show.cue".equals(r.path("action").asText()) && "drop".equals(r.path("target").asText())) {
                    cue = i;
                }
            }
            assertTrue(cue >= 0 && lines.subList(cue + 1, lines.size()).stream().anyMatch(l -> l.contains("\"control.applied\"")),
                    "the cue's entry, then the record's apply in a later write: " + lines);
            Files.write(journal, lines.subList(0, cue + 1));

            try (NodeProcess again = NodeProcess.start(JVM, serve);
                 HttpEdgeConnection client = HttpEdgeConnection.open(again.base(), Files.readString(a.resolve("token")).trim())) {
                await("the restarted node read the control topic",
                        () -> metric(again.base(), a, "edgedeck_fleet_control_lag_records") == 0);
                await("the node applied its record on start", () -> JSON.readTree(send(again.base(), a, "GET",
                        "/api/v1/flags/offer-banner", null).body()).get("killed").asBoolean());
                ScheduledChange c = change(client, id);
                assertEquals(ScheduledChange.State.FIRED, c.state(), "marked fired with its record: " + c);
                assertNull(c.unconfirmed(), c.toString());
                assertEquals("kill offer-banner", c.outcome());
                // In the same write: the record's apply, then the change marked fired.
                List<String> after = Files.readAllLines(journal);
                int applied = -1;
                for (int i = cue + 1; i < after.size(); i++) {
                    if (after.get(i).contains("\"control.applied\"")) {
                        applied = i;
                    }
                }
                assertTrue(applied > cue, after.toString());
                JsonNode next = JSON.readTree(after.get(applied + 1));
                assertEquals("fired", next.path("change").path("state").asText(), next.toString());
                assertEquals(1, recordsOf(kafka, "offer-banner"), "on the topic once");

                CompletionException retry = assertThrows(CompletionException.class,
                        () -> client.retryScheduled(id, "checked the fleet").join());
                EdgeException refused = assertInstanceOf(EdgeException.class, retry.getCause());
                assertEquals(EdgeException.Kind.CONFLICT, refused.kind());
                assertTrue(refused.getMessage().contains("is fired and cannot be retried"), refused.getMessage());
                assertEquals(1, recordsOf(kafka, "offer-banner"), "nothing written again");
            }
        }
    }
}
