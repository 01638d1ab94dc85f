package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet as an operator runs it: three live nodes and the aggregator, each {@code serve} in a
 * process of its own, against a real broker in this JVM. While senders post latency batches to
 * every node, one node is killed with SIGKILL and started again on its data directory, the broker
 * is stopped and started, and the aggregator is killed and started again (it rebuilds from the
 * topics). A sender whose batch got no answer sends it again with the same ids, as a client
 * should. In the end the aggregator counts, per PoP, exactly the events the nodes acknowledged:
 * none lost, none twice.
 */
@Tag("kafka")
class FleetProcessesKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final List<String> JVM = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A running {@code serve}, with the key the test uses on it. */
    private record Running(NodeProcess process, String key) {
    }

    /** One node: its id, PoPs and data directory, the process serving it now, and what it acknowledged. */
    private final class Node {
        final String id;
        final List<String> pops;
        final Path dir;
        final AtomicReference<Running> now = new AtomicReference<>();
        final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong retries = new AtomicLong();

        Node(String id, List<String> pops, Path dir) {
            this.id = id;
            this.pops = pops;
            this.dir = dir;
            pops.forEach(p -> acknowledged.put(p, new AtomicLong()));
        }
    }

    /** Starts {@code serve --live} for the node, with a config naming the PoPs it serves. */
    private Running startNode(Node n, String kafka) throws Exception {
        Path config = n.dir.resolveSibling(n.id + ".json");
        if (!Files.exists(config)) {
            StringJoiner pops = new StringJoiner(", ");
            n.pops.forEach(p -> pops.add("{\"id\": \"" + p + "\", \"region\": \"eu\"}"));
            Files.writeString(config, "{\"$schema\": \"https://edgedeck.io/schema/node-config-v1.json\","
                    + " \"name\": \"fleet-show\", \"pops\": [" + pops + "]}");
        }
        NodeProcess p = NodeProcess.start(JVM, "--live", "--node-config", config.toString(), "--port", "0", "--data-dir",
                n.dir.toString(), "--kafka", kafka, "--node-id", n.id);
        return new Running(p, Files.readString(n.dir.resolve("ingest-key")).trim());
    }

    private static Running startAggregator(Path dir, String kafka) throws Exception {
        NodeProcess p = NodeProcess.start(JVM, "--fleet", "--kafka", kafka, "--port", "0", "--data-dir", dir.toString());
        return new Running(p, Files.readString(dir.resolve("read-key")).trim());
    }

    /** Sends batches to {@code n} until told to stop; a batch without an answer is sent again, same ids, until it has one. */
    private void send(Node n, AtomicBoolean sending) {
        int b = 0;
        while (sending.get()) {
            String pop = n.pops.get(b % n.pops.size());
            StringJoiner body = new StringJoiner("\n");
            for (int i = 0; i < BATCH; i++) {
                body.add("{\"id\":\"" + n.id + "-" + b + "-" + i + "\",\"type\":\"latency\",\"pop\":\"" + pop + "\",\"ms\":"
                        + (5 + (b * 7 + i * 13) % 300) + "}");
            }
            boolean first = true;
            while (true) {
                if (!first) {
                    n.retries.incrementAndGet();
                }
                first = false;
                Running r = n.now.get();
                try {
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(r.process().base().resolve("/ingest/v1/events"))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + r.key())
                            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (resp.statusCode() == 200) {
                        JsonNode a = JSON.readTree(resp.body());
                        assertEquals(0, a.get("refused").size(), resp.body());
                        // An event of a batch sent again may have counted the first time: it is a duplicate now.
                        n.acknowledged.get(pop).addAndGet(a.get("accepted").asLong() + a.get("duplicates").asLong());
                        break;
                    }
                } catch (java.io.IOException e) {
                    // The node is down or restarting: send the same batch again.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            n.batches.incrementAndGet();
            b++;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private JsonNode fleet(Running aggregator) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(aggregator.process().base().resolve("/api/v1/fleet"))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + aggregator.key()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static Map<String, Long> requestsPerPop(JsonNode fleet) {
        Map<String, Long> out = new TreeMap<>();
        fleet.get("pops").forEach(p -> out.put(p.get("pop").asText(), p.get("total").get("requests").asLong()));
        return out;
    }

    private static void waitUntil(Duration d, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (!ok.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private static <T> CompletableFuture<T> async(Callable<T> start) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(start.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static void phase(String what, long startedNanos) {
        System.out.printf("fleet processes test: %s at %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    @Test
    void killsOfANodeTheBrokerAndTheAggregatorLoseNoAcknowledgedObservationAndCountNoneTwice(@TempDir Path dir)
            throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start("fleet-processes")) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                new FleetTopics(FleetTopics.DEFAULT_PREFIX, 3, (short) 1).ensure(admin, Duration.ofSeconds(30));
            }
            List<Node> nodes = List.of(new Node("node-a", List.of("fra", "ams"), dir.resolve("a")),
                    new Node("node-b", List.of("lhr", "iad"), dir.resolve("b")),
                    new Node("node-c", List.of("nrt", "sin"), dir.resolve("c")));
            Path aggregatorDir = dir.resolve("aggregator");
            // The four processes start at once, as they would on four machines.
            CompletableFuture<Running> firstAggregator = async(() -> startAggregator(aggregatorDir, bootstrap));
            List<CompletableFuture<Running>> firstNodes = nodes.stream().map(n -> async(() -> startNode(n, bootstrap))).toList();
            AtomicReference<Running> aggregator = new AtomicReference<>();
            try {
                aggregator.set(firstAggregator.get());
                for (int i = 0; i < nodes.size(); i++) {
                    nodes.get(i).now.set(firstNodes.get(i).get());
                }
                run(kafka, nodes, aggregator, aggregatorDir, started);
            } finally {
                // Whatever failed, no process outlives the test.
                for (CompletableFuture<Running> f : firstNodes) {
                    f.thenAccept(r -> r.process().process.destroyForcibly());
                }
                firstAggregator.thenAccept(r -> r.process().process.destroyForcibly());
                for (Node n : nodes) {
                    if (n.now.get() != null) {
                        n.now.get().process().close();
                    }
                }
                if (aggregator.get() != null) {
                    aggregator.get().process().close();
                }
            }
        }
    }

    private void run(EmbeddedKafka kafka, List<Node> nodes, AtomicReference<Running> aggregator, Path aggregatorDir,
                     long started) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> senders = new ArrayList<>();
        for (Node n : nodes) {
            senders.add(Thread.ofPlatform().name("sender-" + n.id).start(() -> send(n, sending)));
        }
        try {
            Node b = nodes.get(1);
            waitUntil(Duration.ofSeconds(30), () -> b.batches.get() >= 20);
            phase("started, sending", started);

            // A node killed mid-stream and started again on its data directory.
            b.now.get().process().kill();
            b.now.set(startNode(b, bootstrap));
            long afterRestart = b.batches.get();
            waitUntil(Duration.ofSeconds(30), () -> b.batches.get() >= afterRestart + 20);
            phase("node-b killed and started again", started);

            // The broker away while every node keeps acknowledging: they spool.
            kafka.stop();
            long whileDown = nodes.get(0).batches.get();
            waitUntil(Duration.ofSeconds(30), () -> nodes.get(0).batches.get() >= whileDown + 20);
            kafka.start();
            phase("broker stopped and started", started);

            // The aggregator killed and started again: it rebuilds from the topics.
            aggregator.get().process().kill();
            aggregator.set(startAggregator(aggregatorDir, bootstrap));
            long end = nodes.get(2).batches.get();
            waitUntil(Duration.ofSeconds(30), () -> nodes.get(2).batches.get() >= end + 20);
            phase("aggregator killed and started again", started);
        } finally {
            sending.set(false);
            for (Thread t : senders) {
                t.join(Duration.ofSeconds(30));
            }
        }

        Map<String, Long> acknowledged = new TreeMap<>();
        for (Node n : nodes) {
            n.acknowledged.forEach((pop, count) -> acknowledged.put(pop, count.get()));
            assertTrue(n.batches.get() > 0, n.id + " took batches");
        }
        AtomicReference<JsonNode> last = new AtomicReference<>();
        waitUntil(Duration.ofSeconds(60), () -> {
            try {
                last.set(fleet(aggregator.get()));
                return requestsPerPop(last.get()).equals(acknowledged);
            } catch (Exception e) {
                return false;
            }
        });
        phase("aggregator caught up", started);
        assertEquals(acknowledged, requestsPerPop(last.get()),
                "every acknowledged event counted once at its PoP; retries " + nodes.stream().map(n -> n.id + "=" + n.retries)
                        .toList());
        Map<String, String> served = new TreeMap<>();
        last.get().get("nodes").forEach(n -> n.get("pops").forEach(p -> served.put(p.asText(), n.get("node").asText())));
        assertEquals(Map.of("fra", "node-a", "ams", "node-a", "lhr", "node-b", "iad", "node-b", "nrt", "node-c",
                "sin", "node-c"), served, "which node serves which PoP, from their frames and aggregates");
        assertTrue(nodes.get(1).retries.get() > 0, "node-b's kill left a batch without an answer, sent again");
        System.out.printf("fleet processes test: %d events acknowledged by 3 nodes, %.1f s in all%n",
                acknowledged.values().stream().mapToLong(Long::longValue).sum(), (System.nanoTime() - started) / 1e9);
    }
}
