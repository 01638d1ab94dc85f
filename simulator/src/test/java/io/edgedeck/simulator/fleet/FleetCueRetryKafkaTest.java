package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cue fired at the aggregator whose change on one node Kafka would not take at first: the node writes its control
 * record again, with a pause between tries, while the cue's window lasts; the change lands once, and the cue's answer
 * says the node took it only once it applied it. When Kafka keeps refusing past the window, the change fails on that
 * node, saying why, and the answer names the node as having taken the cue but not applied it. When the last try's
 * record may be on the topic (Kafka did not confirm its commit), the change is not failed: it is marked fired when the
 * node applies the record, and the answer never says it did not apply.
 *
 * <p>The broker is real (in-process); a broker failing a transaction's end ("Unhandled error in EndTxnResponse") or a
 * producer's start cannot be made to happen on cue, so node-b's control writer is given a producer that fails as the
 * test asks: its first commits before the commit reaches the broker (the transaction is aborted when the next producer
 * starts, as Kafka does), every start, or every commit once the broker took it (the record is on the topic).
 *
 * <p>node-b is given the cue window its test needs (FleetOptions#cueWindow): a minute where a try must land, so that
 * a slow broker does not decide the outcome; 1 s where the tries must run out; 100 ms, shorter than the first pause
 * between tries, where exactly one try must be made. The tests count tries and outcomes, never tries per period.
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetCueRetryKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two flags at 50/50, offer-banner and checkout-button, on the PoPs given. */
    private static final String CONFIG = "{\"$schema\": \"https://edgedeck.io/schema/node-config-v1.json\", \"name\": \"fleet-cue-retry\","
            + " \"pops\": [%s], \"flags\": [" + String.join(", ", java.util.stream.Stream.of("offer-banner", "checkout-button")
                    .map(key -> "{\"key\": \"" + key + "\", \"owner\": \"growth\", \"control\": \"control\", \"variants\":"
                            + " [{\"name\": \"control\", \"weight\": 50}, {\"name\": \"treatment\", \"weight\": 50}]}").toList()) + "]}";
    private static final String END_TXN = "Unhandled error in EndTxnResponse: The server experienced an unexpected error";
    private static final String INIT = "Unexpected error in InitProducerIdResponse; The coordinator is not available.";
    private static final String SEND_FAILED = "Cannot execute transactional method because we are in an error state";
    private static final String KILL = "{\"type\":\"kill\",\"flag\":\"offer-banner\"}";
    private static final String RAMP = "{\"type\":\"change\",\"flag\":\"checkout-button\","
            + "\"variants\":[{\"name\":\"control\",\"weight\":9000},{\"name\":\"treatment\",\"weight\":1000}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    /** Where node-b's producers fail. */
    private enum Fault {
        /** The first commits, before the commit reaches the broker: nothing lands. */
        COMMIT,
        /** Every producer's start (initTransactions): nothing is sent. */
        START,
        /** Every commit, once the broker took it: the record is on the topic, and the writer is not told so. */
        AFTER_COMMIT,
        /** Every send, once the producer started (ending every earlier transaction) and the topic was read to its end. */
        SEND
    }

    /** Makes real producers that fail as {@link Fault} says, the first {@code failing} times. */
    private static final class Failing implements io.edgedeck.simulator.fleet.ControlWriter.Producers {
        private volatile Fault fault;
        private final AtomicInteger left;
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger committed = new AtomicInteger();
        /** Set: the next producer's start waits until it is counted down, then fails as {@link Fault#START} does. */
        private volatile java.util.concurrent.CountDownLatch held;
        final java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);

        Failing(Fault fault, int failing) {
            this.fault = fault;
            this.left = new AtomicInteger(failing);
        }

        /** From now on, nothing fails: the next try lands. */
        void heal() {
            left.set(0);
        }

        /** From now on, every producer fails at {@code where}. */
        void failFrom(Fault where) {
            fault = where;
            left.set(Integer.MAX_VALUE);
        }

        /** The next producer's start waits (the try is in flight) until {@code release} is counted down, then fails. */
        void holdNextStart(java.util.concurrent.CountDownLatch release) {
            held = release;
        }

        /** Fails as Kafka says {@code words} when this is where the fault is, while failures are left. */
        private void failAt(Fault here, String words) {
            if (fault == here && left.getAndDecrement() > 0) {
                failed.incrementAndGet();
                throw new KafkaException(words);
            }
        }

        @Override
        public org.apache.kafka.clients.producer.Producer<String, byte[]> make(Map<String, Object> config) {
            return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()) {
                @Override
                public void initTransactions() {
                    java.util.concurrent.CountDownLatch release = held;
                    if (release != null) {
                        held = null;
                        holding.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        failed.incrementAndGet();
                        throw new KafkaException(INIT);
                    }
                    failAt(Fault.START, INIT);
                    super.initTransactions();
                }

                @Override
                public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                        org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record) {
                    failAt(Fault.SEND, SEND_FAILED);
                    return super.send(record);
                }

                @Override
                public void commitTransaction() {
                    failAt(Fault.COMMIT, END_TXN);
                    super.commitTransaction();
                    committed.incrementAndGet();
                    failAt(Fault.AFTER_COMMIT, END_TXN);
                }
            };
        }
    }

    /** The nodes, the aggregator, and the changes scheduled on cue drop: node-a's kill, node-b's ramp (their ids). */
    private record Fleet(EdgeNode a, EdgeNode b, FleetServer aggregator, FleetTopics topics, String onA, String onB)
            implements AutoCloseable {
        @Override
        public void close() {
            a.close();
            b.close();
            aggregator.close();
        }
    }

    /**
     * node-a (fra, iad) and node-b (ams), node-b's control writer failing as {@code producers} makes it, and the aggregator,
     * node-b given the cue window {@code window}, node-a and the aggregator a minute (node-a's one try is not what a test is
     * about; the aggregator waits for a node only while it says it still tries); on cue drop, node-a kills offer-banner and node-b ramps checkout-button to 10%.
     */
    private Fleet fleet(EmbeddedKafka kafka, String name, Failing producers, Duration window) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, name, 1);
        EdgeNode a = node("node-a", "{\"id\": \"fra\", \"region\": \"eu\"}, {\"id\": \"iad\", \"region\": \"na\"}",
                new FleetOptions(kafka.bootstrapServers(), null, topics, "node-a").withCueWindow(Duration.ofMinutes(1)));
        EdgeNode b = node("node-b", "{\"id\": \"ams\", \"region\": \"eu\"}",
                new FleetOptions(kafka.bootstrapServers(), null, topics, "node-b").withControlProducers(producers).withCueWindow(window));
        FleetServer aggregator = FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null).withCueWindow(Duration.ofMinutes(1)),
                InetAddress.getLoopbackAddress(), 0, dir.resolve("aggregator"), 0);
        await("the aggregator hears both nodes", () -> aggregator.aggregator().snapshot(System.currentTimeMillis()).nodes().size() == 2);
        return new Fleet(a, b, aggregator, topics, schedule(a, KILL), schedule(b, RAMP));
    }

    /**
     * A fleet (node-b given 100 ms: one try) in which cue drop was fired and node-b's one try failed its commit before the
     * broker had it, as {@code producers} (failing so once) makes it: node-b's change is pending, not confirmed.
     */
    private Fleet unconfirmed(EmbeddedKafka kafka, String name, Failing producers) throws Exception {
        Fleet fleet = fleet(kafka, name, producers, Duration.ofMillis(100));
        try {
            assertEquals(202, fire(fleet, "drop").statusCode());
            await("node-b's change is pending, not confirmed", () -> scheduled(fleet.b(), fleet.onB()).has("unconfirmed"));
            assertEquals(1, producers.failed.get(), "one try, its commit failed");
            return fleet;
        } catch (Exception | AssertionError e) {
            fleet.close();
            throw e;
        }
    }

    private EdgeNode node(String id, String pops, FleetOptions options) throws Exception {
        var config = EdgeNode.Config.live(NodeConfigParser.parse(CONFIG.formatted(pops).getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dir.resolve(id)).withActionTimeout(Duration.ofSeconds(20)).withFleet(options);
        return EdgeNode.start(config);
    }

    private HttpResponse<String> send(EdgeNode node, String method, String path, String body) throws Exception {
        return NodeRequests.send(http, node.baseUri(), method, path, Files.readString(node.dataDir().resolve("token")).trim(), body);
    }

    private HttpResponse<String> fire(Fleet fleet, String cue) throws Exception {
        return NodeRequests.send(http, fleet.aggregator().baseUri(), "POST", "/api/v1/show/cues/" + cue,
                Files.readString(fleet.aggregator().tokenFile()).trim(), "{\"reason\":\"the drop is live\"}");
    }

    private String schedule(EdgeNode node, String action) throws Exception {
        HttpResponse<String> r = send(node, "POST", "/api/v1/schedule", "{\"cue\":\"drop\",\"action\":" + action + ",\"reason\":\"the drop\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private JsonNode scheduled(EdgeNode node, String id) throws Exception {
        HttpResponse<String> r = send(node, "GET", "/api/v1/schedule/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private Map<String, String> flags(EdgeNode node) throws Exception {
        return NodeRequests.flags(http, node);
    }

    private List<JsonNode> audit(EdgeNode node, String action) throws Exception {
        return NodeRequests.audit(http, node, action);
    }

    /** The node's count of its own writes not made for {@code cause}, from its {@code /metrics}. */
    private long ownWritesRefused(EdgeNode node, String cause) throws Exception {
        HttpResponse<String> r = NodeRequests.send(http, node.baseUri(), "GET", "/metrics",
                Files.readString(node.dataDir().resolve("read-key")).trim(), null);
        assertEquals(200, r.statusCode(), r.body());
        String sample = "edgedeck_fleet_control_own_writes_refused_total{cause=\"" + cause + "\"} ";
        return r.body().lines().filter(l -> l.startsWith(sample))
                .map(l -> (long) Double.parseDouble(l.substring(sample.length()))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + sample + "in " + r.body()));
    }

    /** The node's count of its own writes not made, every cause. */
    private long ownWritesNotMade(EdgeNode node) throws Exception {
        long all = 0;
        for (String cause : io.edgedeck.simulator.server.control.FleetControl.CAUSES) {
            all += ownWritesRefused(node, cause);
        }
        return all;
    }

    /** The control records on the topic that change {@code flag}. */
    private static long recordsOf(EmbeddedKafka kafka, FleetTopics topics, String flag) throws Exception {
        return ControlTopicRecords.read(kafka, topics).stream().filter(r -> r.getValue().get("changes").toString()
                .contains("\"flag/" + flag + "\"")).count();
    }

    private static void await(String what, Eventually.Check condition) throws Exception {
        Eventually.await(what, Duration.ofSeconds(30), Duration.ofMillis(50), condition);
    }

    @Test
    void aCueChangeWhoseFirstWriteKafkaFailedIsWrittenAgainAndAppliedOnce(EmbeddedKafka kafka) throws Exception {
        Failing once = new Failing(Fault.COMMIT, 1);
        try (Fleet fleet = fleet(kafka, "cue-retry-lands", once, Duration.ofSeconds(60))) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            String onA = fleet.onA();
            String onB = fleet.onB();

            HttpResponse<String> fired = fire(fleet, "drop");
            assertEquals(200, fired.statusCode(), fired.body());
            JsonNode answer = JSON.readTree(fired.body());
            assertEquals("[\"node-a\",\"node-b\"]", answer.get("took").toString(), fired.body());
            assertEquals(0, answer.get("notTaken").size(), fired.body());
            assertEquals("every node took it: node-a, node-b", answer.get("detail").asText());

            // Answered once both changes applied where they were scheduled: node-b's on its second try.
            assertEquals(1, once.failed.get(), "node-b's first commit failed");
            assertEquals("fired", scheduled(a, onA).get("state").asText());
            assertEquals("fired", scheduled(b, onB).get("state").asText());
            assertTrue(flags(b).get("checkout-button").contains("1000"), flags(b).toString());
            await("both nodes have both changes", () -> flags(a).get("offer-banner").endsWith("killed")
                    && flags(a).get("checkout-button").contains("1000") && flags(a).equals(flags(b)));
            // Written once: the failed try's transaction was aborted, the retry's record is the one the fleet applied.
            assertEquals(1, recordsOf(kafka, fleet.topics(), "checkout-button"), "node-b's change on the topic once");
            assertEquals(1, recordsOf(kafka, fleet.topics(), "offer-banner"), "node-a's change on the topic once");
            assertEquals(1, audit(b, "schedule.fire").size(), "fired once on node-b");
            assertEquals(0, audit(b, "schedule.fail").size());
            assertEquals(1, ownWritesRefused(b, "kafka"), "the failed try counted on node-b, as Kafka's");
            assertEquals(1, ownWritesNotMade(b), "and as nothing else");
            assertEquals(0, ownWritesNotMade(a));
        }
    }

    @Test
    void aCueChangeKafkaKeepsRefusingFailsWhenItsWindowEndsAndTheAnswerSaysSo(EmbeddedKafka kafka) throws Exception {
        Failing always = new Failing(Fault.START, Integer.MAX_VALUE);
        try (Fleet fleet = fleet(kafka, "cue-retry-fails", always, Duration.ofSeconds(1))) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            String onA = fleet.onA();
            String onB = fleet.onB();
            Map<String, String> before = flags(b);

            HttpResponse<String> fired = fire(fleet, "drop");
            assertEquals(202, fired.statusCode(), fired.body());
            JsonNode answer = JSON.readTree(fired.body());
            assertEquals("[\"node-a\"]", answer.get("took").toString(), fired.body());
            assertEquals(1, answer.get("notTaken").size(), fired.body());
            JsonNode named = answer.get("notTaken").get(0);
            assertEquals("node-b", named.get("node").asText(), fired.body());
            assertTrue(named.get("took").asBoolean(), "it took the cue: " + fired.body());
            String why = named.get("why").asText();
            assertTrue(why.startsWith("its change did not apply: scheduled change #" + onB + " (change checkout-button"), why);
            assertTrue(why.contains("could not be written to the fleet within 1 s of cue drop"), why);
            assertTrue(why.contains("nothing changed"), why);
            assertTrue(why.contains(INIT), "Kafka's words: " + why);
            assertEquals("taken but not applied by node-b; taken by node-a", answer.get("detail").asText());
            // As the console's client reads it: node-b named as having taken it without applying it; not every node took it.
            io.edgedeck.client.model.FleetCueFired read = JSON.copy()
                    .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(fired.body(), io.edgedeck.client.model.FleetCueFired.class);
            assertTrue(read.notTaken().getFirst().tookButNotApplied(), read.toString());
            assertTrue(!read.everyNodeTook(), read.toString());

            // node-b's state says the same: its change failed, audited with why; nothing of it anywhere.
            JsonNode change = scheduled(b, onB);
            assertEquals("failed", change.get("state").asText(), change.toString());
            assertTrue(change.get("outcome").asText().contains(INIT), change.toString());
            List<JsonNode> failed = audit(b, "schedule.fail");
            assertEquals(1, failed.size(), failed.toString());
            assertTrue(failed.getFirst().get("after").asText().contains("could not be written to the fleet"), failed.toString());
            assertTrue(always.failed.get() >= 1, "tried: " + always.failed.get());
            assertEquals(0, always.committed.get());
            assertEquals(always.failed.get(), ownWritesRefused(b, "kafka"), "each try counted, as Kafka's");
            assertEquals(always.failed.get(), ownWritesNotMade(b), "and as nothing else");
            assertEquals(0, recordsOf(kafka, fleet.topics(), "checkout-button"), "nothing of node-b's change on the topic");
            assertEquals(before.get("checkout-button"), flags(b).get("checkout-button"), "node-b's change not made there");
            assertEquals(before.get("checkout-button"), flags(a).get("checkout-button"), "nor anywhere else");
            // node-a's change applied everywhere.
            assertEquals("fired", scheduled(a, onA).get("state").asText());
            await("node-b has node-a's change", () -> flags(b).get("offer-banner").endsWith("killed"));
        }
    }

    /**
     * Kafka took node-b's record but the commit's answer was an error: the record is on the topic and every node applies
     * it. With a window shorter than the first pause, that one try is the last: the change is not failed, it is marked
     * fired when node-b applies the record, and the answer says node-b took it, or that its change is not confirmed yet,
     * never that it did not apply.
     */
    @Test
    void aCueChangeWhoseCommitKafkaDidNotConfirmIsMarkedFiredWhenItAppliesNeverFailed(EmbeddedKafka kafka) throws Exception {
        Failing unconfirmed = new Failing(Fault.AFTER_COMMIT, Integer.MAX_VALUE);
        try (Fleet fleet = fleet(kafka, "cue-retry-unconfirmed", unconfirmed, Duration.ofMillis(100))) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            String onB = fleet.onB();

            HttpResponse<String> fired = fire(fleet, "drop");
            JsonNode answer = JSON.readTree(fired.body());
            if (fired.statusCode() == 202) {
                // Answered while node-b had not applied its record yet: named, in words that do not say it did not apply.
                assertEquals("[\"node-a\"]", answer.get("took").toString(), fired.body());
                JsonNode named = answer.get("notTaken").get(0);
                assertEquals("node-b", named.get("node").asText(), fired.body());
                assertTrue(named.get("took").asBoolean(), fired.body());
                String why = named.get("why").asText();
                assertTrue(why.startsWith("its change is not confirmed yet: it may apply on every node; read the flags: scheduled change #"
                        + onB + " (change checkout-button"), why);
                assertTrue(why.contains("was not confirmed within 100 ms of cue drop (1 try; the last: the fleet's Kafka did not confirm"),
                        why);
                assertTrue(!why.contains("could not be written"), why);
            } else {
                assertEquals(200, fired.statusCode(), fired.body());
                assertEquals("[\"node-a\",\"node-b\"]", answer.get("took").toString(), fired.body());
            }

            await("node-b's change marked fired once it applied", () -> scheduled(b, onB).get("state").asText().equals("fired"));
            await("both nodes have both changes", () -> flags(a).get("offer-banner").endsWith("killed")
                    && flags(a).get("checkout-button").contains("1000") && flags(a).equals(flags(b)));
            assertEquals(1, unconfirmed.failed.get(), "one try, its commit's answer an error: " + unconfirmed.failed.get());
            assertEquals(1, unconfirmed.committed.get());
            assertEquals(1, recordsOf(kafka, fleet.topics(), "checkout-button"), "node-b's change on the topic once");
            assertEquals(0, audit(b, "schedule.fail").size(), "never failed");
            assertEquals(1, audit(b, "schedule.fire").size(), "fired once on node-b, with its record");
            assertEquals(1, ownWritesRefused(b, "kafka"), "the unconfirmed try counted as Kafka's");
            // Its frames no longer name the cue as not applied: the aggregator counts node-b as having taken it from now on.
            await("node-b no longer names cue drop not applied", () -> b.fleetControl().orElseThrow().cuesNotApplied().isEmpty());
        }
    }

    /**
     * With a cue window of a minute the aggregator says its answer may take 74 s, longer than its HTTP server's idle
     * timeout (a connection nothing is sent or received on for 30 s is closed). The answer is written only once node-b's
     * change applied, and node-b's tries all fail until that timeout has passed on the call's connection: the caller
     * still gets the answer, every node took it, on the connection that waited. The call is made without a retry (the
     * console's client tries once more after a cut connection, which would hide one).
     */
    @Test
    void aCueAnswerThatComesAfterTheAggregatorsIdleTimeoutStillReachesTheCaller(EmbeddedKafka kafka) throws Exception {
        Failing untilHealed = new Failing(Fault.START, Integer.MAX_VALUE);
        try (Fleet fleet = fleet(kafka, "cue-retry-late", untilHealed, Duration.ofMinutes(1))) {
            String token = Files.readString(fleet.aggregator().tokenFile()).trim();
            HttpResponse<String> said = NodeRequests.send(http, fleet.aggregator().baseUri(), "GET", "/api/v1/fleet", token, null);
            assertEquals(200, said.statusCode(), said.body());
            long within = JSON.readTree(said.body()).get("cueAnswerWithinMillis").asLong();
            assertEquals(74_000, within, "a minute's window, 4 s for the node's frame, 10 s for the write");
            Duration idle = io.edgedeck.simulator.server.http.HttpLimits.defaults().idleTimeout();
            assertTrue(idle.toMillis() < within, "the case this test is about: the answer may outlast the idle timeout");

            long firedAt = System.nanoTime();
            java.util.concurrent.CompletableFuture<HttpResponse<String>> answer = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(fire(fleet, "drop"));
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
            });
            await("node-b tries its change", () -> untilHealed.failed.get() >= 1);
            // Past the idle timeout with nothing sent on the call's connection: node-b still tries, nothing answered.
            Thread.sleep(Math.max(0, idle.plusSeconds(3).toMillis() - (System.nanoTime() - firedAt) / 1_000_000));
            assertTrue(!answer.isDone(), "the call ended before node-b's change applied: " + answer);
            assertEquals("pending", scheduled(fleet.b(), fleet.onB()).get("state").asText());
            untilHealed.heal();

            HttpResponse<String> fired = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
            long waited = (System.nanoTime() - firedAt) / 1_000_000;
            assertTrue(waited > idle.toMillis(), "answered after " + waited + " ms, within the idle timeout: not the case tested");
            assertEquals(200, fired.statusCode(), fired.body());
            JsonNode read = JSON.readTree(fired.body());
            assertEquals("[\"node-a\",\"node-b\"]", read.get("took").toString(), fired.body());
            assertEquals("every node took it: node-a, node-b", read.get("detail").asText());
            assertEquals("fired", scheduled(fleet.b(), fleet.onB()).get("state").asText());
            assertTrue(flags(fleet.b()).get("checkout-button").contains("1000"), flags(fleet.b()).toString());
            assertEquals(1, recordsOf(kafka, fleet.topics(), "checkout-button"), "node-b's change on the topic once");
        }
    }

    /**
     * node-b's one try (a window shorter than the first pause) fails its commit before the commit reaches the broker: its
     * record is nowhere, but node-b cannot know that, so the change stays pending, not confirmed, tried no more. Its
     * schedule entry says since when and what a producer can do; the producer retries it (audited {@code schedule.retry}),
     * and the retry's record lands once and applies on both nodes. A change not waiting so is not retried.
     */
    @Test
    void anUnconfirmedChangeThatNeverLandedIsRetriedByAProducerAndAppliesOnce(EmbeddedKafka kafka) throws Exception {
        Failing once = new Failing(Fault.COMMIT, 1);
        try (Fleet fleet = fleet(kafka, "cue-retry-by-hand", once, Duration.ofMillis(100))) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            String onB = fleet.onB();

            HttpResponse<String> fired = fire(fleet, "drop");
            assertEquals(202, fired.statusCode(), fired.body());
            await("node-b's change is pending, not confirmed", () -> scheduled(b, onB).has("unconfirmed"));
            JsonNode change = scheduled(b, onB);
            assertEquals("pending", change.get("state").asText(), change.toString());
            JsonNode unconfirmed = change.get("unconfirmed");
            assertTrue(unconfirmed.get("sinceEpochMillis").asLong() <= System.currentTimeMillis(), change.toString());
            assertTrue(unconfirmed.get("last").asText().contains(END_TXN), "Kafka's words: " + change);
            assertTrue(unconfirmed.get("detail").asText().contains("check the fleet's nodes"), change.toString());
            assertEquals(1, once.failed.get(), "one try, its commit failed");
            HttpResponse<String> listed = send(b, "GET", "/api/v1/schedule?state=pending", null);
            assertTrue(JSON.readTree(listed.body()).get(0).has("unconfirmed"), listed.body());
            // node-a's change applied: it is not waiting on anything, and cannot be retried.
            await("node-a's change fired", () -> scheduled(a, fleet.onA()).get("state").asText().equals("fired"));
            HttpResponse<String> notWaiting = send(a, "POST", "/api/v1/schedule/" + fleet.onA() + "/retry", "{\"reason\":\"again\"}");
            assertEquals(409, notWaiting.statusCode(), notWaiting.body());
            assertTrue(notWaiting.body().contains("is fired and cannot be retried; nothing changed"), notWaiting.body());

            HttpResponse<String> noReason = send(b, "POST", "/api/v1/schedule/" + onB + "/retry", "{}");
            assertEquals(400, noReason.statusCode(), noReason.body());
            assertTrue(noReason.body().contains("reason"), noReason.body());
            HttpResponse<String> retried = send(b, "POST", "/api/v1/schedule/" + onB + "/retry",
                    "{\"reason\":\"the fleet's nodes are up; the drop is still on\"}");
            assertEquals(200, retried.statusCode(), retried.body());

            await("node-b's change fired on its retry", () -> scheduled(b, onB).get("state").asText().equals("fired"));
            await("both nodes have it", () -> flags(a).get("checkout-button").contains("1000") && flags(a).equals(flags(b)));
            assertEquals(1, recordsOf(kafka, fleet.topics(), "checkout-button"), "node-b's change on the topic once");
            List<JsonNode> audited = audit(b, "schedule.retry");
            assertEquals(1, audited.size(), audited.toString());
            assertTrue(audited.getFirst().get("reason").asText().contains("the drop is still on"), audited.toString());
            assertEquals(0, audit(b, "schedule.fail").size(), "never failed");
            assertTrue(!scheduled(b, onB).has("unconfirmed"), scheduled(b, onB).toString());
            HttpResponse<String> again = send(b, "POST", "/api/v1/schedule/" + onB + "/retry", "{\"reason\":\"again\"}");
            assertEquals(409, again.statusCode(), again.body());
            await("node-b no longer names cue drop not applied", () -> b.fleetControl().orElseThrow().cuesNotApplied().isEmpty());
        }
    }

    /**
     * node-b's change is pending, not confirmed (its one try's commit failed), and a producer retries it; while the
     * retry's try is in flight (its producer's start held), cue drop is fired again on node-b. One try of a change runs at a
     * time: the cue waits for the retry's try rather than starting a second, and when that try fails before it reached
     * Kafka (so it ended no earlier transaction) the change is still one whose first record may apply: pending, not
     * confirmed, never failed. The cue's answer comes once the retry's window ended.
     */
    @Test
    void aCueFiredAgainWhileARetryIsInFlightWaitsForItAndNeverFailsAChangeThatMayApply(EmbeddedKafka kafka) throws Exception {
        Failing producers = new Failing(Fault.COMMIT, 1);
        try (Fleet fleet = unconfirmed(kafka, "cue-retry-refired", producers)) {
            EdgeNode b = fleet.b();
            String onB = fleet.onB();

            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            producers.holdNextStart(release);
            java.util.concurrent.CompletableFuture<HttpResponse<String>> cue = new java.util.concurrent.CompletableFuture<>();
            try {
                HttpResponse<String> retried = send(b, "POST", "/api/v1/schedule/" + onB + "/retry", "{\"reason\":\"the drop is still on\"}");
                assertEquals(200, retried.statusCode(), retried.body());
                assertTrue(producers.holding.await(30, java.util.concurrent.TimeUnit.SECONDS), "the retry's try started");
                HttpResponse<String> twice = send(b, "POST", "/api/v1/schedule/" + onB + "/retry", "{\"reason\":\"again\"}");
                assertEquals(409, twice.statusCode(), twice.body());
                assertTrue(twice.body().contains("scheduled change #" + onB + " is being written to the fleet already, for its retry by "),
                        twice.body());
                Thread.ofVirtual().start(() -> {
                    try {
                        cue.complete(send(b, "POST", "/api/v1/show/cues/drop", "{\"reason\":\"the drop again\"}"));
                    } catch (Exception e) {
                        cue.completeExceptionally(e);
                    }
                });
                await("node-b fired cue drop again", () -> audit(b, "show.cue").size() == 2);
            } finally {
                release.countDown(); // the held try ends, failing, whatever the test found
            }

            HttpResponse<String> answered = cue.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode(), answered.body());
            JsonNode change = scheduled(b, onB);
            assertEquals("pending", change.get("state").asText(), change.toString());
            assertTrue(change.has("unconfirmed"), "still not confirmed: " + change);
            assertTrue(change.get("unconfirmed").get("last").asText().contains(INIT), change.toString());
            assertEquals(0, audit(b, "schedule.fail").size(), "never failed: its first record may apply");
            assertEquals(2, producers.failed.get(), "the first try and the retry's, and no second try beside it");
            assertEquals(2, ownWritesRefused(b, "kafka"), "two tries counted");
        }
    }

    /**
     * node-b's change is pending, not confirmed (its one try's commit failed before the broker had it). The producer
     * retries it; the retry's writer starts a producer (which ends every earlier transaction) and reads the control topic
     * to its end, finds no record of the change, and fails before it sends its own. No record of the change can land
     * now, so when the retry's window ends the change fails, saying why, rather than staying pending "may yet apply".
     */
    @Test
    void aRetryThatReadTheTopicAndFailedBeforeSendingFailsTheChange(EmbeddedKafka kafka) throws Exception {
        Failing producers = new Failing(Fault.COMMIT, 1);
        try (Fleet fleet = unconfirmed(kafka, "cue-retry-read", producers)) {
            EdgeNode a = fleet.a();
            EdgeNode b = fleet.b();
            String onB = fleet.onB();
            Map<String, String> before = flags(b);

            producers.failFrom(Fault.SEND);
            HttpResponse<String> retried = send(b, "POST", "/api/v1/schedule/" + onB + "/retry", "{\"reason\":\"the drop is still on\"}");
            assertEquals(200, retried.statusCode(), retried.body());
            await("node-b's change failed once its retry's window ended", () -> scheduled(b, onB).get("state").asText().equals("failed"));
            JsonNode change = scheduled(b, onB);
            assertTrue(!change.has("unconfirmed"), change.toString());
            String outcome = change.get("outcome").asText();
            assertTrue(outcome.contains("could not be written to the fleet within 100 ms of its retry by"), outcome);
            assertTrue(outcome.contains(SEND_FAILED), "Kafka's words: " + outcome);
            assertEquals(1, audit(b, "schedule.fail").size());
            assertEquals(0, recordsOf(kafka, fleet.topics(), "checkout-button"), "nothing of node-b's change on the topic");
            assertEquals(before.get("checkout-button"), flags(b).get("checkout-button"), "node-b's change not made there");
            assertEquals(before.get("checkout-button"), flags(a).get("checkout-button"), "nor anywhere else");
        }
    }

    /**
     * node-b's change is pending, not confirmed, and node-b is started again: its journal has the cue's firing and the
     * change still pending, so the schedule says it is not confirmed since the cue was fired, and a producer's retry lands
     * it once.
     */
    @Test
    void aChangeWhoseCueFiredBeforeTheNodeWasStartedAgainIsUnconfirmedAndRetriedOnce(EmbeddedKafka kafka) throws Exception {
        Failing producers = new Failing(Fault.COMMIT, 1);
        long beforeFiring = System.currentTimeMillis();
        try (Fleet fleet = unconfirmed(kafka, "cue-retry-restart", producers)) {
            String onB = fleet.onB();
            fleet.b().close();
            long startedAgain = System.currentTimeMillis();
            try (EdgeNode again = node("node-b", "{\"id\": \"ams\", \"region\": \"eu\"}", new FleetOptions(kafka.bootstrapServers(),
                    null, fleet.topics(), "node-b").withControlProducers(producers).withCueWindow(Duration.ofMillis(100)))) {
                JsonNode change = scheduled(again, onB);
                assertEquals("pending", change.get("state").asText(), change.toString());
                JsonNode unconfirmed = change.get("unconfirmed");
                assertTrue(unconfirmed != null && unconfirmed.get("last").asText().contains("cue drop was fired, and the node was started again")
                        && unconfirmed.get("last").asText().contains("started again"), change.toString());
                long since = unconfirmed.get("sinceEpochMillis").asLong();
                assertTrue(since >= beforeFiring && since < startedAgain, "not confirmed since its cue was fired, before the"
                        + " node was started again: " + change);
                HttpResponse<String> retried = send(again, "POST", "/api/v1/schedule/" + onB + "/retry", "{\"reason\":\"again\"}");
                assertEquals(200, retried.statusCode(), retried.body());
                await("node-b's change fired on its retry", () -> scheduled(again, onB).get("state").asText().equals("fired"));
                assertEquals(1, recordsOf(kafka, fleet.topics(), "checkout-button"), "node-b's change on the topic once");
                assertEquals(1, audit(again, "schedule.retry").size(), "audited once");
            }
        }
    }
}
