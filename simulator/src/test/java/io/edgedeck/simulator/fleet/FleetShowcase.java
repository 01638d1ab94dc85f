package io.edgedeck.simulator.fleet;

import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetServer;
import org.apache.kafka.clients.admin.Admin;

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
import java.util.Random;
import java.util.StringJoiner;

/**
 * A fleet on this machine, running until killed: an in-process Kafka broker, three live nodes publishing
 * to it and a {@code serve --fleet} aggregator reading them, fed by senders posting request latencies to
 * every node's ingest API. node-a serves fra and ams, node-b lhr and cdg and (an operator's slip in its
 * node config) fra too, node-c iad and gru; node-c is stopped after the given seconds, so the fleet shows
 * a silent node. What the console's Fleet tab is photographed on.
 *
 * <p>Arguments: the aggregator's port, a data directory, and the seconds after which node-c stops (0:
 * never). Prints the console's {@code --connect} line.
 */
public final class FleetShowcase {
    private FleetShowcase() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        long stopAfterSeconds = Long.parseLong(args[2]);
        EmbeddedKafka kafka = EmbeddedKafka.start("showcase");
        FleetTopics topics = new FleetTopics("edgedeck.", 6, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            topics.ensure(admin, Duration.ofSeconds(30));
        }
        Map<String, List<String>> served = Map.of("node-a", List.of("fra", "ams"), "node-b", List.of("lhr", "cdg", "fra"),
                "node-c", List.of("iad", "gru"));
        List<EdgeNode> nodes = new ArrayList<>();
        // One read key for the nodes, so the aggregator's OFREP can call them with it.
        Path nodesReadKey = dir.resolve("nodes-read-key");
        if (!Files.exists(nodesReadKey)) {
            Files.createDirectories(dir);
            Files.writeString(nodesReadKey, "showcase-" + Long.toHexString(new java.security.SecureRandom().nextLong()) + "\n");
        }
        for (String id : List.of("node-a", "node-b", "node-c")) {
            Files.createDirectories(dir.resolve(id));
            if (!Files.exists(dir.resolve(id).resolve("read-key"))) {
                Files.copy(nodesReadKey, dir.resolve(id).resolve("read-key"));
            }
            StringJoiner pops = new StringJoiner(", ");
            served.get(id).forEach(p -> pops.add("{\"id\": \"" + p + "\", \"region\": \"eu\"}"));
            String config = "{\"$schema\": \"https://edgedeck.io/schema/node-config-v1.json\", \"name\": \"fleet-showcase\","
                    + " \"pops\": [" + pops + "], \"flags\": []}";
            nodes.add(EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(config.getBytes(StandardCharsets.UTF_8)),
                    InetAddress.getLoopbackAddress(), 0, dir.resolve(id)).withFleet(new FleetOptions(kafka.bootstrapServers(), null,
                    topics, id))));
        }
        FleetServer aggregator = FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null),
                InetAddress.getLoopbackAddress(), port, dir.resolve("aggregator"), 0, null, nodesReadKey);
        for (int i = 0; i < nodes.size(); i++) {
            EdgeNode node = nodes.get(i);
            List<String> pops = served.get("node-" + (char) ('a' + i));
            Thread.ofPlatform().daemon().name("showcase-sender-" + i).start(() -> send(node, pops, new Random(26 + pops.size())));
        }
        System.out.println("--connect " + aggregator.baseUri() + " --token-file " + aggregator.tokenFile());
        // Where another node joins this fleet (serve --live --kafka ... --node-id ...), e.g. one of another version.
        System.out.println("kafka " + kafka.bootstrapServers() + " topics " + topics.prefix());
        if (stopAfterSeconds > 0) {
            Thread.sleep(stopAfterSeconds * 1000);
            nodes.get(2).close();
            System.out.println("stopped node-c");
        }
        Thread.currentThread().join();
    }

    /** Posts a batch of request latencies at each of the node's PoPs five times a second until the node is gone. */
    private static void send(EdgeNode node, List<String> pops, Random rnd) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long batch = 0;
        try {
            String key = Files.readString(node.dataDir().resolve("ingest-key")).trim();
            while (true) {
                StringJoiner body = new StringJoiner("\n");
                for (String pop : pops) {
                    for (int i = 0; i < 40; i++) {
                        double ms = Math.exp(3.4 + 0.35 * rnd.nextGaussian());
                        body.add(String.format(java.util.Locale.ROOT, "{\"id\": \"%s-%d-%d\", \"type\": \"latency\", \"pop\": \"%s\", %s}",
                                pop, batch, i, pop, rnd.nextDouble() < 0.01 ? "\"lost\": true" : "\"ms\": " + Math.round(ms * 10) / 10.0));
                    }
                }
                http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events")).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.discarding());
                batch++;
                Thread.sleep(200);
            }
        } catch (java.io.IOException e) {
            System.out.println("sender to " + node.baseUri() + " stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
