package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet node started while its Kafka is down serves the flags it has, says on {@code /healthz}
 * that it has not read the control topic, and once Kafka is back reads it and applies what the
 * fleet changed meanwhile: the control topic's reader outlives an outage at start, however long,
 * and one while it runs, which {@code /healthz} names as well.
 */
@Tag("kafka")
class ControlOutageKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "control-outage",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";

    /**
     * How often the nodes' readers ask the broker for the control topic's end, and how long they wait for its answer: the
     * product's 5 s shortened, so that an outage is seen, and a check made while Kafka is up, in a few seconds; not
     * much less, as a busy machine's broker can take a second to answer while it is up, which would read as an outage.
     */
    private static final Duration CHECK = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static EdgeNode start(String id, String bootstrap, FleetTopics topics, Path dataDir) throws Exception {
        var config = EdgeNode.Config.live(NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dataDir).withActionTimeout(Duration.ofSeconds(20))
                .withFleet(new FleetOptions(bootstrap, null, topics, id).withControlCheck(CHECK));
        return EdgeNode.start(config);
    }

    private JsonNode health(EdgeNode node) throws Exception {
        HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(node.baseUri().resolve("/healthz")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode get(EdgeNode node, String path, String keyFile) throws Exception {
        HttpResponse<String> r = NodeRequests.send(http, node.baseUri(), "GET", path,
                Files.readString(node.dataDir().resolve(keyFile)).trim(), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private boolean killed(EdgeNode node) throws Exception {
        for (JsonNode f : get(node, "/api/v1/flags", "token")) {
            if (f.get("key").asText().equals("offer-banner")) {
                return f.get("killed").asBoolean();
            }
        }
        throw new AssertionError("no offer-banner");
    }

    @Test
    void aNodeStartedWhileKafkaIsDownAppliesTheFleetsChangesOnceItIsBack() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("control-outage")) {
            FleetTopics topics = SharedKafka.topics(kafka, "outage", 1);
            kafka.stop();
            EdgeNode a = start("node-a", kafka.bootstrapServers(), topics, dir.resolve("a"));
            EdgeNode b = null;
            try {
                JsonNode health = health(a);
                assertEquals("ok", health.get("status").asText(), health.toString());
                assertEquals("unknown", health.get("control").get("status").asText(), "not read yet: " + health);
                // Past a whole wait of the topic's reader for the broker, which did not answer: still not known.
                Eventually.await("node-a's reader says Kafka did not answer", Duration.ofSeconds(60), Duration.ofMillis(100),
                        () -> health(a).get("control").path("detail").asText().contains("Kafka did not answer"));
                assertEquals("unknown", health(a).get("control").get("status").asText());

                kafka.start();
                b = start("node-b", kafka.bootstrapServers(), topics, dir.resolve("b"));
                EdgeNode other = b;
                Eventually.await("node-a read the control topic", Duration.ofSeconds(60), Duration.ofMillis(100),
                        () -> health(a).get("control").get("status").asText().equals("current"));
                Eventually.await("node-b read the control topic", Duration.ofSeconds(60), Duration.ofMillis(100),
                        () -> other.fleetControl().orElseThrow().status().lag() == 0);
                HttpResponse<String> kill = NodeRequests.send(http, b.baseUri(), "POST", "/api/v1/flags/offer-banner/kill",
                        Files.readString(b.dataDir().resolve("token")).trim(), "{\"reason\":\"checkout errors\"}");
                assertEquals(200, kill.statusCode(), kill.body());
                Eventually.await("node-a applied node-b's kill", Duration.ofSeconds(60), Duration.ofMillis(100), () -> killed(a));
                JsonNode after = health(a).get("control");
                assertEquals(0, after.get("lag").asLong(), after.toString());
                assertTrue(after.get("offset").asLong() >= 0, after.toString());

                // Kafka goes away while the node runs: it says it no longer knows, and reads on once Kafka is back.
                kafka.stop();
                Eventually.await("node-a says it cannot read the control topic", Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> health(a).get("control").get("status").asText().equals("unknown"));
                JsonNode gone = health(a);
                assertEquals("ok", gone.get("status").asText(), "it still serves its flags: " + gone);
                assertTrue(gone.get("control").get("detail").asText().contains("Kafka did not answer"), gone.toString());
                assertEquals(-1, gone.get("control").get("lag").asLong(), gone.toString());
                kafka.start();
                Eventually.await("node-a reads the control topic again", Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> health(a).get("control").get("status").asText().equals("current"));
                assertTrue(health(a).get("control").get("detail") == null, "no problem once it answers");
                EdgeNode writer = b;
                Eventually.await("node-b unkills the flag once Kafka is back", Duration.ofSeconds(60), Duration.ofMillis(500),
                        () -> NodeRequests.send(http, writer.baseUri(), "POST", "/api/v1/flags/offer-banner/unkill",
                                Files.readString(writer.dataDir().resolve("token")).trim(), "{\"reason\":\"fixed\"}").statusCode() == 200);
                Eventually.await("node-a applied node-b's unkill", Duration.ofSeconds(60), Duration.ofMillis(100), () -> !killed(a));
            } finally {
                a.close();
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /**
     * A node started while Kafka is up, whose reader learnt the topic's end from its first fetch, still
     * asks the broker every few seconds: with Kafka gone, {@code /healthz} says it no longer knows, rather
     * than "current" from the lag its last fetch left behind. (Its first check was never made: the time
     * since "never" overflowed to a negative number, so the stale lag was served for good.)
     */
    @Test
    void aNodeStartedWithKafkaUpSaysSoOnceKafkaGoesAway() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("control-outage-up")) {
            FleetTopics topics = SharedKafka.topics(kafka, "outage-up", 1);
            EdgeNode writer = start("node-w", kafka.bootstrapServers(), topics, dir.resolve("w"));
            EdgeNode a = null;
            try {
                Eventually.await("node-w read the control topic", Duration.ofSeconds(60), Duration.ofMillis(100),
                        () -> writer.fleetControl().orElseThrow().status().lag() == 0);
                HttpResponse<String> kill = NodeRequests.send(http, writer.baseUri(), "POST", "/api/v1/flags/offer-banner/kill",
                        Files.readString(writer.dataDir().resolve("token")).trim(), "{\"reason\":\"checkout errors\"}");
                assertEquals(200, kill.statusCode(), kill.body());
                a = start("node-a", kafka.bootstrapServers(), topics, dir.resolve("a"));
                EdgeNode node = a;
                Eventually.await("node-a applied node-w's kill", Duration.ofSeconds(60), Duration.ofMillis(100), () -> killed(node));
                Eventually.await("node-a read the control topic", Duration.ofSeconds(60), Duration.ofMillis(100),
                        () -> health(node).get("control").get("status").asText().equals("current"));
                // Past the reader's check interval, so it has had its chance to ask the broker while Kafka is up.
                Thread.sleep(CHECK.multipliedBy(2).toMillis());
                kafka.stop();
                Eventually.await("node-a says it cannot read the control topic", Duration.ofSeconds(30), Duration.ofMillis(200),
                        () -> health(node).get("control").get("status").asText().equals("unknown"));
                JsonNode gone = health(node).get("control");
                assertEquals(-1, gone.get("lag").asLong(), gone.toString());
                kafka.start();
                Eventually.await("node-a reads the control topic again", Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> health(node).get("control").get("status").asText().equals("current"));
            } finally {
                writer.close();
                if (a != null) {
                    a.close();
                }
            }
        }
    }
    /** The aggregator, too, says it does not know how far behind it is while Kafka does not answer, and reads on after. */
    @Test
    void theAggregatorSaysItsLagIsUnknownWhileKafkaIsAwayAndReadsOnAfter() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("aggregator-outage")) {
            FleetTopics topics = SharedKafka.topics(kafka, "aggregator-outage", 1);
            try (FleetAggregator aggregator = new FleetAggregator(topics, FleetKafka.base(kafka.bootstrapServers(), null), 10, 0)) {
                aggregator.start();
                assertTrue(aggregator.awaitCaughtUp(Duration.ofSeconds(60)), "caught up: lag " + aggregator.lag());
                kafka.stop();
                Eventually.await("the aggregator says its lag is unknown", Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> aggregator.lag() == -1 && aggregator.unanswered() != null);
                assertTrue(aggregator.unanswered().contains("Kafka did not answer"), aggregator.unanswered());
                assertEquals(null, aggregator.lastError(), "it has not stopped");
                kafka.start();
                Eventually.await("the aggregator reads on", Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> aggregator.lag() == 0 && aggregator.unanswered() == null);
            }
        }
    }
}
