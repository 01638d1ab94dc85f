package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Through the same kills an operator changes flags on the nodes' APIs (weights with
 * {@code expectedVersion}, kill and unkill), each change with a reason of its own: before anything
 * is killed, on node-b as it is killed (its answer may be lost), on the other two nodes while
 * node-b is down, on node-a as the broker stops, on all three while the broker is down, and as the
 * broker comes back. A change answered 2xx is on the control topic once, in the order it was
 * answered, and in effect on every node; a change answered 503 (Kafka unreachable) or 409 is on the
 * topic nowhere and changed nothing on the node that answered; in the end every node has each flag
 * in the state of its last record on the topic, and all three nodes agree on every flag.
 */
@Tag("kafka")
class FleetProcessesKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final List<String> JVM = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** The flags every node has, changed through the control topic by {@link Operator}. */
    private static final List<String> FLAGS = List.of("offer-banner", "checkout-v2", "search-v3");
    private static final String REASON = "fleet processes test change ";
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
            StringJoiner flags = new StringJoiner(", ");
            FLAGS.forEach(f -> flags.add("{\"key\": \"" + f + "\", \"owner\": \"growth\", \"variants\": [{\"name\": \"control\","
                    + " \"weight\": 50}, {\"name\": \"treatment\", \"weight\": 50}], \"control\": \"control\"}"));
            Files.writeString(config, "{\"$schema\": \"https://edgedeck.io/schema/node-config-v1.json\","
                    + " \"name\": \"fleet-show\", \"pops\": [" + pops + "], \"flags\": [" + flags + "]}");
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

    // ------------------------------------------------------------------ control changes on the nodes' APIs

    private HttpResponse<String> api(Node n, String method, String path, String keyFile, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(n.now.get().process().base().resolve(path)).timeout(Duration.ofSeconds(40))
                .header("Authorization", "Bearer " + Files.readString(n.dir.resolve(keyFile)).trim())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The node's flags as its API shows them, by key. */
    private Map<String, JsonNode> flags(Node n) throws Exception {
        HttpResponse<String> r = api(n, "GET", "/api/v1/flags", "token", null);
        assertEquals(200, r.statusCode(), n.id + ": " + r.body());
        Map<String, JsonNode> out = new TreeMap<>();
        JSON.readTree(r.body()).forEach(f -> out.put(f.get("key").asText(), f));
        return out;
    }

    /** What the control topic carries of a flag, in words: its weights in bucket order and whether it is killed. */
    private static String state(JsonNode flag) {
        StringJoiner s = new StringJoiner(", ", "", "; killed=" + flag.get("killed").asBoolean());
        flag.get("variants").forEach(v -> s.add(v.get("name").asText() + " " + v.get("weight").asInt()));
        return s.toString();
    }

    /** The node's flags among {@code keys}, in words, by key. */
    private Map<String, String> states(Node n, Set<String> keys) throws Exception {
        Map<String, String> out = new TreeMap<>();
        flags(n).forEach((k, f) -> {
            if (keys.contains(k)) {
                out.put(k, state(f));
            }
        });
        return out;
    }

    /** Every flag of every node in words, by node: what all nodes must agree on. */
    private Map<String, Map<String, String>> states(List<Node> nodes) throws Exception {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Node n : nodes) {
            Map<String, String> mine = new TreeMap<>();
            flags(n).forEach((k, f) -> mine.put(k, state(f) + "; scope=" + f.get("scope")));
            out.put(n.id, mine);
        }
        return out;
    }

    private long controlLag(Node n) throws Exception {
        HttpResponse<String> r = api(n, "GET", "/metrics", "read-key", null);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^edgedeck_fleet_control_lag_records (-?\\d+)")
                .matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    /** How a change was answered, and so what it may have done. */
    private enum Outcome {
        /** 2xx: on the topic and applied by the node that answered. */
        ACKNOWLEDGED,
        /** 409, or 503 saying Kafka was not reached: nothing changed anywhere. */
        REFUSED,
        /** No answer, 500, or 503 saying the commit was not confirmed: it may or may not be on the topic. */
        UNKNOWN
    }

    /** One change an operator made: on which node, to which flag, to what state, and how it was answered. */
    private record Change(String reason, String node, String flag, String want, int status, String answer, Outcome outcome) {
        @Override
        public String toString() {
            return reason.substring(REASON.length()) + " " + node + " " + flag + " -> [" + want + "]: " + status + " " + outcome;
        }
    }

    /** An operator making one change at a time (or one per node at once), each with a reason of its own. */
    private final class Operator {
        final List<Change> made = new CopyOnWriteArrayList<>();
        final AtomicLong next = new AtomicLong();

        /** Sets the flag's treatment to {@code treatment} basis points on {@code n}, against the version {@code n} shows. */
        Change weights(Node n, String flag, int treatment) throws Exception {
            JsonNode now = flags(n).get(flag);
            String reason = REASON + next.incrementAndGet();
            String body = "{\"expectedVersion\":" + now.get("version").asLong() + ",\"variants\":[{\"name\":\"control\",\"weight\":"
                    + (10_000 - treatment) + "},{\"name\":\"treatment\",\"weight\":" + treatment + "}],\"reason\":\"" + reason + "\"}";
            String want = "control " + (10_000 - treatment) + ", treatment " + treatment + "; killed=" + now.get("killed").asBoolean();
            return send(n, "PATCH", "/api/v1/flags/" + flag, body, reason, flag, want);
        }

        /** Kills the flag on {@code n} if it is not killed there, else unkills it: always a change. */
        Change toggle(Node n, String flag) throws Exception {
            JsonNode now = flags(n).get(flag);
            boolean killed = now.get("killed").asBoolean();
            String reason = REASON + next.incrementAndGet();
            String want = state(now).replace("killed=" + killed, "killed=" + !killed);
            return send(n, "POST", "/api/v1/flags/" + flag + (killed ? "/unkill" : "/kill"), "{\"reason\":\"" + reason + "\"}",
                    reason, flag, want);
        }

        private Change send(Node n, String method, String path, String body, String reason, String flag, String want)
                throws Exception {
            int status;
            String answer;
            try {
                HttpResponse<String> r = api(n, method, path, "token", body);
                status = r.statusCode();
                answer = r.body();
            } catch (java.io.IOException e) {
                status = -1;
                answer = "no answer: " + e;
            }
            Outcome outcome = switch (status) {
                case 200 -> Outcome.ACKNOWLEDGED;
                case 409 -> Outcome.REFUSED;
                case 503 -> answer.contains("may yet apply") ? Outcome.UNKNOWN : Outcome.REFUSED;
                case -1, 500 -> Outcome.UNKNOWN;
                default -> throw new AssertionError(n.id + " answered " + path + " with " + status + ": " + answer);
            };
            Change c = new Change(reason, n.id, flag, want, status, answer, outcome);
            made.add(c);
            if (outcome == Outcome.ACKNOWLEDGED) {
                assertEquals(want, state(JSON.readTree(answer)), "the answer to " + c + " is the flag as changed");
            }
            return c;
        }

        /** The state each flag's last acknowledged change set. */
        Map<String, String> acknowledged() {
            Map<String, String> out = new TreeMap<>();
            made.stream().filter(c -> c.outcome() == Outcome.ACKNOWLEDGED).forEach(c -> out.put(c.flag(), c.want()));
            return out;
        }
    }

    /**
     * Makes a change that must be acknowledged, the broker being up and every node that is up caught up. A 503
     * saying Kafka was not reached in the node's action timeout (a broker slow on a loaded machine) changed
     * nothing, so the operator makes it again, at most three times in all; any other answer is final.
     */
    private static Change acknowledged(Callable<Change> make) throws Exception {
        Change c = make.call();
        for (int attempt = 1; attempt < 3 && c.status() == 503 && c.outcome() == Outcome.REFUSED; attempt++) {
            c = make.call();
        }
        assertEquals(Outcome.ACKNOWLEDGED, c.outcome(), "with the broker up, " + c + " is acknowledged: " + c.answer());
        return c;
    }

    /** Waits until every node in {@code nodes} read the control topic to its end and has each flag as the operator last set it. */
    private void awaitFlags(String what, List<Node> nodes, Operator operator) throws Exception {
        Map<String, String> want = operator.acknowledged();
        AtomicReference<String> seen = new AtomicReference<>("nothing read");
        waitUntil(Duration.ofSeconds(60), () -> {
            try {
                Map<String, Map<String, String>> have = new TreeMap<>();
                for (Node n : nodes) {
                    if (controlLag(n) != 0) {
                        seen.set(n.id + " has not read the control topic to its end");
                        return false;
                    }
                    have.put(n.id, states(n, want.keySet()));
                }
                seen.set(have.toString());
                return have.values().stream().allMatch(want::equals);
            } catch (Exception e) {
                seen.set(e.toString());
                return false;
            }
        });
        for (Node n : nodes) {
            assertEquals(want, states(n, want.keySet()), what + ": " + n.id + " has every flag as the last acknowledged change set it (last seen "
                    + seen.get() + "); changes " + operator.made);
        }
    }

    /** The records on the control topic that the operator's changes wrote, in topic order: reason to the flag's state, in words. */
    private static List<Map.Entry<String, String>> controlTopic(String bootstrap) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        TopicPartition control = new TopicPartition(new FleetTopics(FleetTopics.DEFAULT_PREFIX, 3, (short) 1).control(), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(control));
            consumer.seekToBeginning(List.of(control));
            long end = consumer.endOffsets(List.of(control), Duration.ofSeconds(30)).get(control);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(control) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode record = JSON.readTree(r.value());
                    if (record.path("reason").asText().startsWith(REASON)) {
                        JsonNode change = record.get("changes").get(0);
                        out.add(Map.entry(record.get("reason").asText(), change.get("key").asText().substring("flag/".length())
                                + " -> " + state(change.get("state"))));
                    }
                }
            }
            assertEquals(end, consumer.position(control), "the control topic read to its end");
        } catch (java.io.IOException e) {
            throw new AssertionError("a control record that is not JSON", e);
        }
        return out;
    }

    /**
     * The control topic holds every acknowledged change once, in the order they were answered, and no refused
     * one; each flag on every node is in the state of its last record there, and all nodes agree on every flag.
     */
    private void checkControl(String bootstrap, List<Node> nodes, Operator operator) throws Exception {
        List<Map.Entry<String, String>> topic = controlTopic(bootstrap);
        Map<String, Change> byReason = new TreeMap<>();
        operator.made.forEach(c -> byReason.put(c.reason(), c));
        List<String> written = topic.stream().map(Map.Entry::getKey).toList();
        System.out.println("fleet processes test: on the control topic, in order: " + written.stream()
                .map(r -> r.substring(REASON.length())).toList());
        assertEquals(Set.copyOf(written).size(), written.size(), "no change written twice: " + written);
        for (Map.Entry<String, String> r : topic) {
            Change c = byReason.get(r.getKey());
            assertTrue(c != null, "the topic's record " + r + " is one the operator made");
            assertTrue(c.outcome() != Outcome.REFUSED, "a refused change is on the topic nowhere: " + c + " " + c.answer());
            assertEquals(c.flag() + " -> " + c.want(), r.getValue(), "the record of " + c + " holds the state asked for");
        }
        List<String> acknowledged = operator.made.stream().filter(c -> c.outcome() == Outcome.ACKNOWLEDGED).map(Change::reason)
                .toList();
        assertEquals(acknowledged, written.stream().filter(acknowledged::contains).toList(),
                "every acknowledged change on the topic, in the order answered; changes " + operator.made);
        // The state each flag's last record on the topic set: the last acknowledged change's, or a later change
        // whose answer was lost but which was written.
        Map<String, String> last = new TreeMap<>();
        topic.forEach(r -> {
            String[] flagAndState = r.getValue().split(" -> ", 2);
            last.put(flagAndState[0], flagAndState[1]);
        });
        for (String flag : operator.acknowledged().keySet()) {
            Change lastWritten = byReason.get(topic.stream().filter(r -> r.getValue().startsWith(flag + " -> ")).toList()
                    .getLast().getKey());
            Change lastAcknowledged = operator.made.stream().filter(c -> c.flag().equals(flag) && c.outcome() == Outcome.ACKNOWLEDGED)
                    .toList().getLast();
            assertTrue(lastWritten == lastAcknowledged || (lastWritten.outcome() == Outcome.UNKNOWN
                            && operator.made.indexOf(lastWritten) > operator.made.indexOf(lastAcknowledged)),
                    flag + "'s last record is its last acknowledged change (" + lastAcknowledged + ") or a later one without a"
                            + " certain answer, not " + lastWritten);
        }
        waitUntil(Duration.ofSeconds(60), () -> {
            try {
                for (Node n : nodes) {
                    if (controlLag(n) != 0 || !states(n, last.keySet()).equals(last)) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, Map<String, String>> states = states(nodes);
        for (Node n : nodes) {
            assertEquals(states.get(nodes.getFirst().id), states.get(n.id), "node-a and " + n.id + " agree on every flag");
            assertEquals(last, states(n, last.keySet()), n.id + " has each flag as its last record on the control topic set it; changes "
                    + operator.made);
        }
    }

    private static void phase(String what, long startedNanos) {
        System.out.printf("fleet processes test: %s at %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    @Test
    void killsOfANodeTheBrokerAndTheAggregatorLoseNoAcknowledgedObservationOrControlChange(@TempDir Path dir)
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
        Operator operator = new Operator();
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        Node c = nodes.get(2);
        try {
            waitUntil(Duration.ofSeconds(30), () -> b.batches.get() >= 20);
            phase("started, sending", started);

            // Control changes with everything up: on node-a and node-c, and every node has them.
            acknowledged(() -> operator.weights(a, "offer-banner", 3000));
            acknowledged(() -> operator.toggle(c, "checkout-v2"));
            awaitFlags("before any kill", nodes, operator);
            phase("two control changes acknowledged and applied everywhere", started);

            // A node killed mid-stream, with a change of a third flag on its API in flight: its answer may be lost,
            // and then the change is on the topic or not (the end checks that every node agrees with the topic). While it is down the other two change both
            // flags; started again on its data directory it applies what it missed, and takes a change itself.
            long asked = operator.next.get();
            CompletableFuture<Change> cut = async(() -> operator.toggle(b, "search-v3"));
            waitUntil(Duration.ofSeconds(30), () -> operator.next.get() > asked || cut.isDone());
            b.now.get().process().kill();
            System.out.println("fleet processes test: the change in flight as node-b was killed: " + cut.get());
            acknowledged(() -> operator.weights(c, "offer-banner", 4000));
            acknowledged(() -> operator.toggle(a, "checkout-v2"));
            awaitFlags("node-b down", List.of(a, c), operator);
            b.now.set(startNode(b, bootstrap));
            long afterRestart = b.batches.get();
            awaitFlags("node-b started again", nodes, operator);
            acknowledged(() -> operator.toggle(b, "offer-banner"));
            waitUntil(Duration.ofSeconds(30), () -> b.batches.get() >= afterRestart + 20);
            awaitFlags("node-b's own change", nodes, operator);
            phase("node-b killed and started again", started);

            // The broker away while every node keeps acknowledging: they spool. A change of the third flag on node-a
            // is in flight as the broker stops: taken, refused or not confirmed, the end checks that every node agrees
            // with the topic. Then a change on each node at once is refused (503) once the node's action timeout
            // passes, and changes nothing on any node.
            long askedBeforeStop = operator.next.get();
            CompletableFuture<Change> asBrokerStops = async(() -> operator.toggle(a, "search-v3"));
            waitUntil(Duration.ofSeconds(30), () -> operator.next.get() > askedBeforeStop || asBrokerStops.isDone());
            kafka.stop();
            long whileDown = nodes.get(0).batches.get();
            Set<String> refusedFlags = Set.of("offer-banner", "checkout-v2");
            Map<String, Map<String, String>> before = new TreeMap<>();
            for (Node n : nodes) {
                before.put(n.id, states(n, refusedFlags));
            }
            List<CompletableFuture<Change>> refused = List.of(async(() -> operator.weights(a, "checkout-v2", 1000)),
                    async(() -> operator.toggle(b, "checkout-v2")), async(() -> operator.weights(c, "offer-banner", 9000)));
            for (CompletableFuture<Change> f : refused) {
                Change change = f.get();
                assertEquals(503, change.status(), "with the broker down " + change + " is refused: " + change.answer());
                assertTrue(change.answer().contains("was not made"), "and says it was not made: " + change.answer());
            }
            System.out.println("fleet processes test: the change in flight as the broker stopped: " + asBrokerStops.get());
            waitUntil(Duration.ofSeconds(30), () -> nodes.get(0).batches.get() >= whileDown + 20);
            for (Node n : nodes) {
                assertEquals(before.get(n.id), states(n, refusedFlags), "the refused changes changed nothing on " + n.id);
            }
            kafka.start();
            // As the broker comes back, a change may be taken or refused: either way the end state must account for it.
            operator.weights(b, "offer-banner", 6000);
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

        checkControl(bootstrap, nodes, operator);
        System.out.println("fleet processes test: control changes " + operator.made);
        phase("control changes checked on the topic and every node", started);

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
