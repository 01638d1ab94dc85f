package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts together: three nodes and an aggregator on one broker; one node is killed and
 * replaced on its data directory, then the broker is restarted; no aggregate a node spooled and no
 * control change a writer had acknowledged is lost, and nothing counts twice.
 */
@Tag("kafka")
class FleetKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long SECOND0 = 1_764_633_600L;

    @TempDir
    Path dir;

    /** One node's fleet parts. */
    private final class Node implements AutoCloseable {
        final String id;
        final String pop;
        final FleetPublisher publisher;
        final ControlApplier applier;
        final ControlWriter writer;
        final ControlKafkaTest.RecordingTarget core = new ControlKafkaTest.RecordingTarget();

        Node(EmbeddedKafka kafka, FleetTopics topics, String id, String pop) throws Exception {
            this.id = id;
            this.pop = pop;
            Map<String, Object> base = FleetPublisherKafkaTest.quickFailing(kafka);
            this.publisher = new FleetPublisher(id, topics, base, Spool.open(dir.resolve(id), 8L << 20, 256 * 1024),
                    new FleetPublisher.Options(1_000, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(50)));
            this.applier = new ControlApplier(topics, FleetKafka.base(kafka.bootstrapServers(), null), id, core);
            this.writer = new ControlWriter(topics, FleetKafka.base(kafka.bootstrapServers(), null), id,
                    ControlWriter.DEFAULT_TRANSACTIONAL_ID, Duration.ofSeconds(20));
            publisher.start();
            applier.start();
        }

        long publish(long second) throws Exception {
            return publisher.publishAggregates(List.of(FleetPublisherKafkaTest.aggregate(id, pop, second)));
        }

        /** Killed: nothing drained, nothing flushed; the spool stays on disk. */
        void kill() throws Exception {
            publisher.close(Duration.ZERO);
            applier.close();
            writer.close();
        }

        @Override
        public void close() throws Exception {
            publisher.close(Duration.ofSeconds(10));
            applier.close();
            writer.close();
        }
    }

    @Test
    void aKilledNodeAndARestartedBrokerLoseNoAcknowledgedAggregateOrControlChange() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("fleet")) {
            FleetTopics topics = FleetPublisherKafkaTest.topics(kafka, 3);
            Map<String, Long> spooled = new TreeMap<>();
            Node a = new Node(kafka, topics, "node-a", "fra");
            Node b = new Node(kafka, topics, "node-b", "lhr");
            Node c = new Node(kafka, topics, "node-c", "iad");
            long second = SECOND0;
            for (int i = 0; i < 10; i++, second++) {
                for (Node n : List.of(a, b, c)) {
                    n.publish(second);
                    spooled.merge(n.pop, 21L, Long::sum);
                }
            }
            List<ControlWriter.Written> acknowledged = new ArrayList<>();
            acknowledged.add(a.writer.write(change("c1", 1, 5_000)));

            b.kill();
            for (int i = 0; i < 5; i++, second++) {
                for (Node n : List.of(a, c)) {
                    n.publish(second);
                    spooled.merge(n.pop, 21L, Long::sum);
                }
            }
            acknowledged.add(c.writer.write(change("c2", 2, 2_500)));
            Node b2 = new Node(kafka, topics, "node-b", "lhr");

            kafka.stop();
            for (int i = 0; i < 5; i++, second++) {
                for (Node n : List.of(a, b2, c)) {
                    n.publish(second);
                    spooled.merge(n.pop, 21L, Long::sum);
                }
            }
            kafka.start();
            acknowledged.add(b2.writer.write(change("c3", 3, 0)));

            for (Node n : List.of(a, b2, c)) {
                assertTrue(n.publisher.awaitAcknowledged(n.publisher.status().acknowledged()
                        + n.publisher.status().spoolPending(), WAIT), n.id + " drained: " + n.publisher.status());
                assertTrue(n.applier.awaitOffset(acknowledged.getLast().offset(), WAIT), n.id + " applied the last change");
            }
            for (Node n : List.of(a, b2, c)) {
                assertEquals(3L, n.core.version("flag/offer-banner"), n.id);
                assertEquals(a.core.applied, n.core.applied, n.id + " applied the same changes in the same order");
            }
            assertEquals(3, a.core.applied.size(), "each acknowledged change applied once");

            try (FleetAggregator aggregator = new FleetAggregator(topics, FleetKafka.base(kafka.bootstrapServers(), null), 10, 0)) {
                aggregator.start();
                assertTrue(aggregator.awaitCaughtUp(WAIT));
                FleetSnapshot fleet = aggregator.snapshot(System.currentTimeMillis());
                Map<String, Long> counted = new TreeMap<>();
                fleet.pops().forEach(p -> counted.put(p.pop(), p.total().requests()));
                assertEquals(spooled, counted, "every aggregate a node spooled counted once, the killed node's too");
                assertEquals(20 * 3 - 5, fleet.records());
            }
            for (Node n : List.of(a, b2, c)) {
                n.close();
            }
        }
    }

    private static ControlRecord change(String id, long version, int treatment) {
        var state = JsonNodeFactory.instance.objectNode();
        state.put("key", "offer-banner").putObject("weights").put("control", 10_000 - treatment).put("treatment", treatment);
        return new ControlRecord(1, id, System.currentTimeMillis(), "test", "ana", "rehearsed",
                List.of(new ControlRecord.Change("flag/offer-banner", version, state)));
    }
}
