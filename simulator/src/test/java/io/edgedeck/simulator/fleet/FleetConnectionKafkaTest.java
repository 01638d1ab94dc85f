package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.FleetView;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetServer;
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
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's connection on a real fleet: two live nodes publish to an in-process broker and a
 * {@code serve --fleet} aggregator ({@link FleetServer}) reads them. A connection to the aggregator knows
 * it is a fleet and reads every node's health and which node serves which PoP; one to a node is no fleet;
 * a node that stops ages in the fleet's view while the other stays fresh.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetConnectionKafkaTest {
    private static final ObjectMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static EdgeNode node(String id, List<String> pops, FleetTopics topics, String bootstrap, Path dataDir) throws Exception {
        StringJoiner popJson = new StringJoiner(", ");
        pops.forEach(p -> popJson.add("{\"id\": \"" + p + "\", \"region\": \"eu\"}"));
        String config = "{\"$schema\": \"https://edgedeck.io/schema/node-config-v1.json\", \"name\": \"fleet-view\","
                + " \"pops\": [" + popJson + "], \"flags\": [{\"key\": \"offer-banner\", \"owner\": \"growth\","
                + " \"variants\": [{\"name\": \"control\", \"weight\": 50}, {\"name\": \"treatment\", \"weight\": 50}],"
                + " \"control\": \"control\"}]}";
        return EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(config.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dataDir).withFleet(new FleetOptions(bootstrap, null, topics, id)));
    }

    /** Posts {@code count} request latencies at {@code pop} to the node's ingest API; returns how many it accepted. */
    private long ingest(EdgeNode node, String pop, int count) throws Exception {
        StringJoiner body = new StringJoiner("\n");
        for (int i = 0; i < count; i++) {
            body.add("{\"id\": \"" + pop + "-" + i + "\", \"type\": \"latency\", \"pop\": \"" + pop + "\", \"ms\": " + (10 + i) + "}");
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Files.readString(node.dataDir().resolve("ingest-key")).trim())
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("accepted").asLong();
    }

    private static Map<String, Long> requests(FleetView fleet) {
        Map<String, Long> out = new TreeMap<>();
        fleet.pops().forEach(p -> out.put(p.pop(), p.total().requests()));
        return out;
    }

    private static FleetView.Node node(FleetView fleet, String id) {
        return fleet.nodes().stream().filter(n -> n.node().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + fleet.nodes()));
    }

    @Test
    void theConnectionReadsEveryNodesHealthAndWhoServesEachPopFromARealAggregator(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-view", 2);
        String bootstrap = kafka.bootstrapServers();
        // fra is served by both nodes: what an operator's mistake in two node configs looks like to the fleet.
        EdgeNode a = node("node-a", List.of("fra", "ams"), topics, bootstrap, dir.resolve("a"));
        EdgeNode b = node("node-b", List.of("lhr", "fra"), topics, bootstrap, dir.resolve("b"));
        boolean bClosed = false;
        try (FleetServer aggregator = FleetServer.start(new FleetOptions(bootstrap, null, topics, null),
                InetAddress.getLoopbackAddress(), 0, dir.resolve("aggregator"), 0)) {
            Map<String, Long> sent = new TreeMap<>(Map.of("fra", ingest(a, "fra", 40) + ingest(b, "fra", 10),
                    "ams", ingest(a, "ams", 30), "lhr", ingest(b, "lhr", 20)));
            assertEquals(Map.of("ams", 30L, "fra", 50L, "lhr", 20L), sent, "every event accepted");

            String token = Files.readString(aggregator.tokenFile()).trim();
            try (HttpEdgeConnection connection = HttpEdgeConnection.open(aggregator.baseUri(), token);
                 HttpEdgeConnection toNode = HttpEdgeConnection.open(a.baseUri(), Files.readString(a.tokenFile()).trim())) {
                assertTrue(connection.hasFleet(), "the aggregator answers GET /api/v1/fleet");
                assertFalse(toNode.hasFleet(), "a node serves no fleet");
                // What is each node's own is not offered at the aggregator; a node offers it.
                assertEquals(List.of(false, false, false, false), List.of(connection.hasApprovals(), connection.hasPlaybooks(),
                        connection.hasSources(), connection.hasTriggerAudit()));
                assertEquals(List.of(true, true, true, true), List.of(toNode.hasApprovals(), toNode.hasPlaybooks(),
                        toNode.hasSources(), toNode.hasTriggerAudit()));
                EdgeException noFleet = assertInstanceOf(EdgeException.class,
                        assertThrows(CompletionException.class, () -> toNode.fleet().join()).getCause());
                assertEquals(EdgeException.Kind.NOT_FOUND, noFleet.kind());

                AtomicReference<FleetView> seen = new AtomicReference<>();
                Eventually.await("the aggregator counted every request and heard from both nodes", Duration.ofSeconds(90),
                        Duration.ofMillis(200), () -> {
                            FleetView f = connection.fleet().join();
                            seen.set(f);
                            // A node's spool and control figures come with its frames (once a second); -1 before the first.
                            return requests(f).equals(sent) && f.nodes().size() == 2 && f.lag() == 0
                                    && f.nodes().stream().allMatch(n -> n.spoolPending() >= 0 && n.controlLag() == 0);
                        });
                FleetView fleet = seen.get();
                assertEquals(List.of("ams", "fra"), node(fleet, "node-a").pops());
                assertEquals(List.of("fra", "lhr"), node(fleet, "node-b").pops());
                assertEquals(b.baseUri().toString(), node(fleet, "node-b").url(), "where the aggregator reaches the node");
                Map<String, List<String>> servedBy = fleet.pops().stream()
                        .collect(Collectors.toMap(FleetView.Pop::pop, FleetView.Pop::nodes, (x, y) -> x, TreeMap::new));
                assertEquals(Map.of("ams", List.of("node-a"), "fra", List.of("node-a", "node-b"), "lhr", List.of("node-b")), servedBy);
                // A flag's PoPs are the fleet's three, fra once although both nodes serve it: "live at all 3 PoPs".
                // The aggregator's own frame is made once a second, from the node frames it has read by then: it answers
                // 503 before its first frame and may count one node's PoPs in the first; it counts all three within seconds.
                AtomicReference<HttpResponse<String>> answered = new AtomicReference<>();
                Eventually.await("the aggregator's flags count the fleet's three PoPs, all acknowledged", Duration.ofSeconds(30),
                        Duration.ofMillis(200), () -> {
                    answered.set(http.send(HttpRequest.newBuilder(aggregator.baseUri().resolve("/api/v1/flags"))
                            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()));
                    if (answered.get().statusCode() != 200) return false;
                    JsonNode first = JSON.readTree(answered.get().body()).get(0);
                    return first.get("popsTotal").asInt() == 3 && first.get("popsAcknowledged").asInt() == 3;
                });
                HttpResponse<String> flags = answered.get();
                assertEquals(200, flags.statusCode(), flags.body());
                JsonNode flag = JSON.readTree(flags.body()).get(0);
                assertEquals(List.of(3, 3), List.of(flag.get("popsAcknowledged").asInt(), flag.get("popsTotal").asInt()), flag.toString());
                for (FleetView.Node n : fleet.nodes()) {
                    assertTrue(n.records() > 0, n.toString());
                    assertTrue(n.lastSeenMillis() > 0 && n.ageMillis() >= 0 && n.ageMillis() < 10_000, n.toString());
                    assertEquals(0, n.spoolRefused(), n.toString());
                }
                assertEquals(fleet.records(), fleet.nodes().stream().mapToLong(FleetView.Node::records).sum());
                double p50 = fleet.pops().stream().filter(p -> p.pop().equals("fra")).findFirst().orElseThrow().total().p50Ms();
                assertTrue(p50 > 23 && p50 < 26, "the median of 10..49 ms and 10..19 ms is 24 ms: " + p50);

                // The client's model reads every field the aggregator writes: none is skipped unknowingly.
                HttpResponse<String> raw = http.send(HttpRequest.newBuilder(aggregator.baseUri().resolve("/api/v1/fleet"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, raw.statusCode(), raw.body());
                assertEquals(fleet.pops(), STRICT.readValue(raw.body(), FleetView.class).pops());

                // node-b stops: the aggregator hears nothing more from it, and its age grows while node-a's does not.
                b.close();
                bClosed = true;
                Eventually.await("node-b ages past 4 s while node-a stays fresh", Duration.ofSeconds(60), Duration.ofMillis(200),
                        () -> {
                            FleetView f = connection.fleet().join();
                            seen.set(f);
                            return node(f, "node-b").ageMillis() > 4_000;
                        });
                assertTrue(node(seen.get(), "node-a").ageMillis() < 4_000, seen.get().nodes().toString());
            }
        } finally {
            a.close();
            if (!bClosed) {
                b.close();
            }
        }
    }
}
