package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control topic against a real broker: writers, appliers, order, catching up. */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class ControlKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A node's core as far as control goes: versions per key and what it applied, in order. */
    static final class RecordingTarget implements ControlTarget {
        final Map<String, Long> versions = new ConcurrentHashMap<>();
        final Map<String, String> states = new ConcurrentHashMap<>();
        final List<String> applied = Collections.synchronizedList(new ArrayList<>());
        volatile String refuse;

        @Override
        public long version(String key) {
            return versions.getOrDefault(key, 0L);
        }

        @Override
        public void apply(ControlRecord record, long offset) {
            for (ControlRecord.Change c : record.changes()) {
                if (c.key().equals(refuse)) {
                    throw new IllegalArgumentException("refused " + c.key());
                }
            }
            for (ControlRecord.Change c : record.changes()) {
                versions.put(c.key(), c.version());
                states.put(c.key(), c.state().toString());
                applied.add(offset + ":" + record.id() + ":" + c.key() + "@" + c.version());
            }
        }
    }

    private static ControlRecord record(String id, String operator, ControlRecord.Change... changes) {
        return new ControlRecord(1, id, System.currentTimeMillis(), "test", operator, "because", List.of(changes));
    }

    private static ControlRecord.Change flag(String name, long version, int treatmentWeight, boolean killed) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.put("key", name).put("killed", killed).putObject("weights").put("control", 10_000 - treatmentWeight)
                .put("treatment", treatmentWeight);
        return new ControlRecord.Change("flag/" + name, version, state);
    }

    private static ControlApplier applier(EmbeddedKafka kafka, FleetTopics topics, String node, ControlTarget target)
            throws Exception {
        ControlApplier a = new ControlApplier(topics, FleetKafka.base(kafka.bootstrapServers(), null), node, target);
        a.start();
        return a;
    }

    private static ControlWriter writer(EmbeddedKafka kafka, FleetTopics topics, String node, String txId) throws Exception {
        return new ControlWriter(topics, FleetKafka.base(kafka.bootstrapServers(), null), node, txId, Duration.ofSeconds(15));
    }

    @Test
    void everyNodeAppliesEachRecordOnceInTheSameOrderAndALateNodeCatchesUp(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "order", 3);
        RecordingTarget one = new RecordingTarget();
        RecordingTarget two = new RecordingTarget();
        RecordingTarget three = new RecordingTarget();
        try (ControlApplier a1 = applier(kafka, topics, "node-1", one);
             ControlApplier a2 = applier(kafka, topics, "node-2", two);
             ControlWriter w1 = writer(kafka, topics, "node-1", topics.control() + "-writer");
             ControlWriter w2 = writer(kafka, topics, "node-2", topics.control() + "-writer")) {
            w1.write(record("r1", "ana", flag("offer-banner", 1, 5_000, false)));
            w2.write(record("r2", "ben", flag("checkout-button", 1, 2_000, false)));
            // A playbook run: a kill and a rollback as one record, applied together.
            w1.write(record("r3", "ana", flag("offer-banner", 2, 5_000, true), flag("checkout-button", 2, 0, false)));
            ControlWriter.Written last = w2.write(record("r4", "guardrail:sentiment-guard", flag("offer-banner", 3, 0, true)));

            // Written once even when sent twice (a retry after a lost answer).
            ControlWriter.Written again = w2.write(record("r4", "guardrail:sentiment-guard", flag("offer-banner", 3, 0, true)));
            assertTrue(again.alreadyThere());
            assertEquals(last.offset(), again.offset());

            // A change made against a version that moved on is refused, and nothing is written.
            ControlWriter.ConflictException stale = assertThrows(ControlWriter.ConflictException.class,
                    () -> w1.write(record("r5", "ana", flag("offer-banner", 3, 9_000, false))));
            assertEquals(3, stale.current());

            assertTrue(a1.awaitOffset(last.offset(), WAIT));
            assertTrue(a2.awaitOffset(last.offset(), WAIT));
            assertTrue(a1.awaitCaughtUp(WAIT));
            assertTrue(a2.awaitCaughtUp(WAIT));
            List<String> expected = List.of(
                    "0:r1:flag/offer-banner@1",
                    "1:r2:flag/checkout-button@1",
                    "2:r3:flag/offer-banner@2",
                    "2:r3:flag/checkout-button@2",
                    "3:r4:flag/offer-banner@3");
            // Offsets count the transaction markers too; compare order and content.
            assertEquals(withoutOffsets(expected), withoutOffsets(one.applied));
            assertEquals(one.applied, two.applied, "both nodes applied the same records at the same offsets, in order");
            assertEquals(Map.of("flag/offer-banner", 3L, "flag/checkout-button", 2L), one.versions);
            assertEquals(one.states, two.states);
            assertEquals(4, a1.status().applied());

            // A node that starts now reads the topic from the beginning and ends where the others are.
            try (ControlApplier a3 = applier(kafka, topics, "node-3", three)) {
                assertTrue(a3.awaitCaughtUp(WAIT));
                assertEquals(one.applied, three.applied);
                assertEquals(one.states, three.states);
                assertEquals(0, a3.status().lag());
            }
        }
    }

    @Test
    void aNodeRestartedOnItsStateSkipsWhatItAlreadyHasAndARefusedRecordIsRefusedEverywhere(EmbeddedKafka kafka)
            throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "restart", 1);
        RecordingTarget node = new RecordingTarget();
        RecordingTarget other = new RecordingTarget();
        other.refuse = "flag/bad";
        node.refuse = "flag/bad";
        try (ControlWriter w = writer(kafka, topics, "node-1", topics.control() + "-writer")) {
            w.write(record("a", "ana", flag("f", 1, 100, false)));
            w.write(record("b", "ana", flag("bad", 1, 100, false)));
            ControlWriter.Written last = w.write(record("c", "ana", flag("f", 2, 200, false)));
            try (ControlApplier a = applier(kafka, topics, "node-1", node);
                 ControlApplier b = applier(kafka, topics, "node-2", other)) {
                assertTrue(a.awaitOffset(last.offset(), WAIT));
                assertTrue(b.awaitOffset(last.offset(), WAIT));
                assertEquals(1, a.status().refused());
                assertEquals(node.applied, other.applied);
            }
            // The node comes back with its state (its journal kept it): nothing is applied twice.
            int before = node.applied.size();
            try (ControlApplier again = applier(kafka, topics, "node-1", node)) {
                assertTrue(again.awaitOffset(last.offset(), WAIT));
                assertEquals(before, node.applied.size());
                assertEquals(2, again.status().skipped());
            }
        }
    }

    @Test
    void concurrentWritersNeverWriteTwoChangesAgainstTheSameVersion(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "race", 1);
        RecordingTarget target = new RecordingTarget();
        int perWriter = 8;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ControlWriter w1 = writer(kafka, topics, "node-1", topics.control() + "-writer");
             ControlWriter w2 = writer(kafka, topics, "node-2", topics.control() + "-writer")) {
            List<Future<Integer>> results = new ArrayList<>();
            for (ControlWriter w : List.of(w1, w2)) {
                String who = w == w1 ? "w1" : "w2";
                results.add(pool.submit(() -> {
                    int conflicts = 0;
                    for (int i = 0; i < perWriter; i++) {
                        while (true) {
                            long next = w.version("flag/counter") + 1;
                            try {
                                w.write(record(who + "-" + i + "-" + next, who, flag("counter", next, i, false)));
                                break;
                            } catch (ControlWriter.ConflictException e) {
                                conflicts++;
                            } catch (ControlWriter.UnavailableException e) {
                                // Both writers fenced each other in turn: try again.
                                conflicts++;
                            }
                        }
                    }
                    return conflicts;
                }));
            }
            for (Future<Integer> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (ControlApplier a = applier(kafka, topics, "node-3", target)) {
            assertTrue(a.awaitCaughtUp(WAIT));
        }
        List<String> versions = target.applied.stream().map(s -> s.substring(s.lastIndexOf('@') + 1)).toList();
        List<String> expected = new ArrayList<>();
        for (int v = 1; v <= 2 * perWriter; v++) {
            expected.add(Integer.toString(v));
        }
        assertEquals(expected, versions, "each version written exactly once, in order: " + target.applied);
    }

    /**
     * Writers that fence each other on every write (each changes its own key as fast as it can) make
     * Kafka refuse commits mid-way; whatever a write answers must be true of the topic: acknowledged,
     * the record is there once; refused as not written, it is not there.
     */
    @Test
    void underContentionEveryAnswerIsTrueOfTheTopic(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "contend", 1);
        int writers = 3;
        int perWriter = 12;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<String> notWritten = Collections.synchronizedList(new ArrayList<>());
        List<ControlWriter> open = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < writers; n++) {
                ControlWriter w = writer(kafka, topics, "node-" + n, topics.control() + "-writer");
                open.add(w);
                String key = "k" + n;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String id = key + "-" + i;
                        try {
                            w.write(record(id, key, flag(key, w.version("flag/" + key) + 1, i, false)));
                            acknowledged.add(id);
                        } catch (ControlWriter.UnavailableException e) {
                            if (!e.mayHaveLanded()) {
                                notWritten.add(id);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            open.forEach(ControlWriter::close);
        }
        RecordingTarget target = new RecordingTarget();
        try (ControlApplier a = applier(kafka, topics, "reader", target)) {
            assertTrue(a.awaitCaughtUp(WAIT));
        }
        List<String> onTopic = target.applied.stream().map(s -> s.split(":")[1]).toList();
        for (String id : acknowledged) {
            assertEquals(1, onTopic.stream().filter(id::equals).count(), id + " acknowledged: " + target.applied);
        }
        for (String id : notWritten) {
            assertFalse(onTopic.contains(id), id + " answered as not written: " + target.applied);
        }
        assertTrue(acknowledged.size() >= writers, "some writes went through: " + acknowledged);
    }

    @Test
    void aRecordThatIsNotAControlRecordIsSkippedAndCounted(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "junk", 1);
        RecordingTarget target = new RecordingTarget();
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            var r = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(topics.control(), "flag/x", "{nope");
            FleetHeaders.put(r.headers(), "someone", 1, ControlRecord.SCHEMA);
            p.send(r).get();
            p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.control(), "flag/y", "{}")).get();
            // A tombstone (what compaction leaves of a key; the topic is compacted, so Kafka itself refuses a record
            // without a key) and records whose changes are null or hold a null: each skipped and counted, the reader going on.
            var tombstone = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(topics.control(), "flag/z", null);
            FleetHeaders.put(tombstone.headers(), "someone", 2, ControlRecord.SCHEMA);
            p.send(tombstone).get();
            for (String changes : List.of("null", "[null]", "[{\"key\": \"flag/q\", \"version\": 1, \"state\": null}]")) {
                var odd = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(topics.control(), "flag/q",
                        "{\"v\": 1, \"id\": \"odd\", \"changes\": " + changes + "}");
                FleetHeaders.put(odd.headers(), "someone", 4, ControlRecord.SCHEMA);
                p.send(odd).get();
            }
        }
        try (ControlWriter w = writer(kafka, topics, "node-1", topics.control() + "-writer")) {
            w.write(record("ok", "ana", flag("x", 1, 1, false)));
        }
        try (ControlApplier a = applier(kafka, topics, "node-1", target)) {
            assertTrue(a.awaitCaughtUp(WAIT));
            assertEquals(6, a.status().malformed());
            assertEquals(1, a.status().applied());
            assertFalse(target.applied.isEmpty());
        }
    }

    private static List<String> withoutOffsets(List<String> applied) {
        List<String> out = new ArrayList<>();
        synchronized (applied) {
            for (String s : applied) {
                out.add(s.substring(s.indexOf(':') + 1));
            }
        }
        return out;
    }

}
