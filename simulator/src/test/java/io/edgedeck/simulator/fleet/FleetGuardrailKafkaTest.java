package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.cli.Main;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.control.FleetControl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guardrail on a fleet node decides on that node's evidence, and its rollback reaches every node
 * through the control topic: the firing is recorded on the node whose rule fired, the rollback is
 * one flag record every node applies. A node cut off from Kafka still rolls back on its own flags.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetGuardrailKafkaTest {

    /** A short conversion drop whose armed guard rolls checkout-redesign's treatment back within a minute of show time. */
    private static final Path SHOW = Path.of("src", "test", "resources", "io", "edgedeck", "simulator", "load",
            "load-conversion-drop.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double RATE = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static EdgeNode start(String id, String bootstrap, FleetTopics topics, Path dataDir, Duration timeout) throws Exception {
        return EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(SHOW.toString()), InetAddress.getLoopbackAddress(), 0,
                dataDir, RATE).withActionTimeout(timeout).withFleet(new FleetOptions(bootstrap, null, topics, id)));
    }

    /** Feeds the show's audience to {@code node} over HTTP, as {@code load} does, until the show ends. */
    private void load(EdgeNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"load", "--target", node.baseUri().toString(), "--scenario", SHOW.toString(), "--key-dir",
                        node.dataDir().toString(), "--speed", Double.toString(RATE), "--report", dir.resolve("load.json").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    }

    private int treatmentWeight(EdgeNode node) throws Exception {
        HttpResponse<String> r = NodeRequests.send(http, node.baseUri(), "GET", "/api/v1/flags",
                Files.readString(node.dataDir().resolve("token")).trim(), null);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode f : JSON.readTree(r.body())) {
            for (JsonNode v : f.get("variants")) {
                if (f.get("key").asText().equals("checkout-redesign") && v.get("name").asText().equals("treatment")) {
                    return v.get("weight").asInt();
                }
            }
        }
        throw new AssertionError("no checkout-redesign treatment in " + r.body());
    }

    private boolean guardArmed(EdgeNode node) throws Exception {
        HttpResponse<String> r = NodeRequests.send(http, node.baseUri(), "GET", "/api/v1/guardrails",
                Files.readString(node.dataDir().resolve("token")).trim(), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get(0).get("armed").asBoolean();
    }

    private List<String> audit(EdgeNode node) throws Exception {
        HttpResponse<String> r = NodeRequests.send(http, node.baseUri(), "GET", "/api/v1/audit",
                Files.readString(node.dataDir().resolve("token")).trim(), null);
        assertEquals(200, r.statusCode(), r.body());
        List<String> entries = new ArrayList<>();
        JSON.readTree(r.body()).forEach(e -> entries.add(e.get("action").asText() + " by " + e.get("actor").asText()));
        return entries;
    }

    /** The control topic's committed records, in order. */
    private static List<JsonNode> topic(EmbeddedKafka kafka, FleetTopics topics) throws Exception {
        return ControlTopicRecords.read(kafka, topics).stream().map(Map.Entry::getValue).toList();
    }

    @Test
    void aGuardrailFiringOnOneNodeRollsTheVariantBackOnEveryNode(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-guardrail", 1);
        Duration timeout = Duration.ofSeconds(20);
        try (EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, dir.resolve("a"), timeout);
             EdgeNode b = start("node-b", kafka.bootstrapServers(), topics, dir.resolve("b"), timeout)) {
            Eventually.await("both nodes read the control topic", Duration.ofSeconds(60), Duration.ofMillis(50),
                    () -> a.fleetControl().orElseThrow().status().lag() == 0 && b.fleetControl().orElseThrow().status().lag() == 0);
            assertTrue(treatmentWeight(b) > 0);
            // node-a's own playbook for its guard's firing: it disarms the guard, on every node.
            HttpResponse<String> playbook = NodeRequests.send(http, a.baseUri(), "POST", "/api/v1/playbooks",
                    Files.readString(a.dataDir().resolve("token")).trim(), """
                            {"id": "stand-down", "onGuardrail": "conversion-guard", "reason": "one rollback is enough",
                             "actions": [{"type": "disarm", "guardrail": "conversion-guard"}]}""");
            assertEquals(201, playbook.statusCode(), playbook.body());

            load(a);

            List<GuardrailFiring> firings = a.latestFrame().firings();
            assertEquals(1, firings.size(), "node-a's own rule fired on its evidence: " + firings);
            assertTrue(firings.getFirst().automatic());
            assertEquals(0, treatmentWeight(a));
            Eventually.await("node-b has the treatment rolled back", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> treatmentWeight(b) == 0);
            assertEquals(List.of(), b.latestFrame().firings(), "the firing is node-a's: node-b's rule did not fire");

            Eventually.await("node-b has the guard disarmed by node-a's playbook", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> !guardArmed(b));

            List<JsonNode> records = topic(kafka, topics);
            assertEquals(2, records.size(), records.toString());
            assertEquals("flag/checkout-redesign", records.getFirst().get("changes").get(0).get("key").asText());
            assertEquals("guardrail:conversion-guard", records.getFirst().get("operator").asText());
            assertEquals("node-a", records.getFirst().get("issuer").asText());
            assertEquals("guardrail/conversion-guard", records.get(1).get("changes").get(0).get("key").asText());
            assertEquals("playbook.run", records.get(1).get("run").get("action").asText());

            List<String> auditA = audit(a);
            List<String> auditB = audit(b);
            assertTrue(auditA.contains("guardrail.rollback by guardrail:conversion-guard"), auditA.toString());
            assertTrue(auditA.contains("flag.rollback by guardrail:conversion-guard"), auditA.toString());
            assertTrue(auditB.contains(FleetControl.FLEET_APPLY + " by fleet:node-a"), auditB.toString());
            assertTrue(auditA.contains("playbook.run by guardrail:conversion-guard"), auditA.toString());
            assertTrue(auditB.stream().noneMatch(e -> !e.endsWith(" by config") && (e.startsWith("guardrail.") || e.startsWith("playbook."))), auditB.toString());
            assertEquals(2, auditB.stream().filter(e -> e.equals(FleetControl.FLEET_APPLY + " by fleet:node-a")).count(), auditB.toString());
            assertEquals(2, b.journal().records().stream().filter(r -> r instanceof JournalRecord.ControlApplied).count());
        }
    }

    @Test
    void aGuardrailOnANodeCutOffFromKafkaRollsBackOnThatNode() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        FleetTopics topics = new FleetTopics("unreachable-guardrail.", 1, (short) 1);
        try (EdgeNode c = start("node-c", "127.0.0.1:" + closed, topics, dir.resolve("c"), Duration.ofSeconds(3))) {
            load(c);
            assertEquals(1, c.latestFrame().firings().size());
            Eventually.await("node-c rolled the treatment back itself", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> treatmentWeight(c) == 0);
            assertTrue(audit(c).contains("flag.rollback by guardrail:conversion-guard"), audit(c).toString());
            assertEquals(0, c.journal().records().stream().filter(r -> r instanceof JournalRecord.ControlApplied).count());
        }
    }
}
