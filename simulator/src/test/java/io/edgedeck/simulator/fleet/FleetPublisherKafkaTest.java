package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's publisher against a real broker that goes away: restarted under it, and stopped long
 * enough that the node must spool to disk and the producer gives up and is made again.
 */
@Tag("kafka")
class FleetPublisherKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path spoolDir;

    /** What reached a topic, deduplicated as the aggregator does it. */
    record Delivered(TreeSet<Long> seqs, int raw, int copies) {
    }

    @Test
    void aBrokerRestartWhilePublishingLosesNothingAndDuplicatesNothing() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("publisher-restart")) {
            FleetTopics topics = topics(kafka, 3);
            Spool spool = Spool.open(spoolDir, 64L << 20, 1L << 20);
            FleetPublisher publisher = new FleetPublisher("node-a", topics, quickFailing(kafka), spool,
                    new FleetPublisher.Options(500, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(50)));
            publisher.start();
            TreeSet<Long> accepted = new TreeSet<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread node = Thread.ofPlatform().start(() -> {
                long second = 1_764_633_600L;
                while (writing.get()) {
                    List<PopSecond> batch = new ArrayList<>();
                    for (String pop : List.of("fra", "ams", "lhr", "iad", "nrt", "sin")) {
                        batch.add(aggregate("node-a", pop, second));
                    }
                    second++;
                    try {
                        long last = publisher.publishAggregates(batch);
                        synchronized (accepted) {
                            for (long s = last - batch.size() + 1; s <= last; s++) {
                                accepted.add(s);
                            }
                        }
                        Thread.sleep(2);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (publisher.status().acknowledged() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            long ackedBeforeStop = publisher.status().acknowledged();
            kafka.stop();
            Thread.sleep(4_000);
            kafka.start();
            Thread.sleep(1_500);
            writing.set(false);
            node.join();

            long last = accepted.last();
            assertTrue(publisher.awaitAcknowledged(last, WAIT), "caught up: " + publisher.status());
            FleetPublisher.Status status = publisher.status();
            publisher.close(Duration.ofSeconds(5));

            Delivered d = read(kafka, topics.aggregates());
            assertTrue(ackedBeforeStop > 0, "it was publishing before the broker stopped");
            assertEquals(accepted, d.seqs(), "every record the node spooled reached Kafka, once after dedupe");
            assertEquals(d.raw() - d.copies(), accepted.size());
            assertEquals(0, status.spoolPending());
            System.out.printf("broker restart: %d records, %d copies dropped by dedupe, %d producer restarts, %d resent%n",
                    accepted.size(), d.copies(), status.producerRestarts(), status.resent());
        }
    }

    @Test
    void cutOffFromKafkaItSpoolsWithinItsBoundAndDrainsAfterWithoutDuplicates() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("publisher-cutoff")) {
            FleetTopics topics = topics(kafka, 3);
            long bound = 256 * 1024;
            Spool spool = Spool.open(spoolDir, bound, 16 * 1024);
            FleetPublisher publisher = new FleetPublisher("node-a", topics, quickFailing(kafka), spool,
                    new FleetPublisher.Options(200, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(50)));
            publisher.start();
            TreeSet<Long> accepted = new TreeSet<>();
            long second = 1_764_633_600L;
            for (int i = 0; i < 50; i++) {
                accepted.add(publisher.publishAggregates(List.of(aggregate("node-a", "fra", second++))));
            }
            assertTrue(publisher.awaitAcknowledged(accepted.last(), WAIT));

            kafka.stop();
            int refused = 0;
            for (int i = 0; i < 2_000; i++) {
                try {
                    accepted.add(publisher.publishAggregates(List.of(aggregate("node-a", i % 2 == 0 ? "fra" : "ams", second++))));
                    accepted.add(publisher.publishJournal(i, JsonNodeFactory.instance.objectNode().put("seq", i)));
                } catch (Spool.FullException e) {
                    refused++;
                }
            }
            FleetPublisher.Status cut = publisher.status();
            assertTrue(refused > 0, "2,000 seconds of aggregates do not fit a 256 KB spool");
            assertTrue(cut.spoolBytes() <= bound, "the spool stays within its bound: " + cut.spoolBytes());
            assertTrue(cut.spoolPending() > 100, "what it could not send waits on disk: " + cut);
            assertTrue(cut.refused() >= refused);
            // Long enough that the producer's deliveries time out and it is made again.
            Thread.sleep(6_000);
            kafka.start();

            assertTrue(publisher.awaitAcknowledged(accepted.last(), WAIT), "drained: " + publisher.status());
            FleetPublisher.Status after = publisher.status();
            publisher.close(Duration.ofSeconds(5));
            assertTrue(after.producerRestarts() >= 1, "the producer gave up and was made again: " + after);
            assertEquals(0, after.spoolPending());

            Delivered aggregates = read(kafka, topics.aggregates());
            Delivered journal = read(kafka, topics.journal());
            TreeSet<Long> delivered = new TreeSet<>(aggregates.seqs());
            delivered.addAll(journal.seqs());
            assertEquals(accepted, delivered, "everything spooled arrived, once after dedupe; nothing refused did");
            System.out.printf("cut off: %d spooled, %d refused at the %d-byte bound, %d copies dropped, %d producer restarts%n",
                    accepted.size(), refused, bound, aggregates.copies() + journal.copies(), after.producerRestarts());
        }
    }

    @Test
    void whatANodeSpooledBeforeItWasKilledIsSentByItsReplacementWithNewNumbersAfterIt() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("publisher-replaced")) {
            FleetTopics topics = topics(kafka, 1);
            kafka.stop();
            Spool spool = Spool.open(spoolDir, 1 << 20, 64 * 1024);
            FleetPublisher first = new FleetPublisher("node-a", topics, quickFailing(kafka), spool, FleetPublisher.Options.DEFAULT);
            first.start();
            long second = 1_764_633_600L;
            TreeSet<Long> accepted = new TreeSet<>();
            for (int i = 0; i < 20; i++) {
                accepted.add(first.publishAggregates(List.of(aggregate("node-a", "fra", second++))));
            }
            first.close(Duration.ZERO);

            kafka.start();
            Spool reopened = Spool.open(spoolDir, 1 << 20, 64 * 1024);
            assertEquals(20, reopened.pending());
            FleetPublisher replacement = new FleetPublisher("node-a", topics, quickFailing(kafka), reopened,
                    FleetPublisher.Options.DEFAULT);
            replacement.start();
            for (int i = 0; i < 5; i++) {
                accepted.add(replacement.publishAggregates(List.of(aggregate("node-a", "fra", second++))));
            }
            assertEquals(25, accepted.last(), "numbers continue where the killed node stopped");
            assertTrue(replacement.awaitAcknowledged(25, WAIT));
            replacement.close(Duration.ofSeconds(5));
            assertEquals(accepted, read(kafka, topics.aggregates()).seqs());
        }
    }

    static PopSecond aggregate(String node, String pop, long second) {
        var h = LatencyHistograms.empty();
        for (int i = 0; i < 20; i++) {
            LatencyHistograms.recordMillis(h, 20 + (second % 7) * 3 + i);
        }
        return new PopSecond(1, node, pop, second, 21, 1, LatencyHistograms.encode(h), 1,
                List.of(new PopSecond.ArmCounts("offer-banner", "treatment", 4, 1, 19.99, 2, 0.8, 0.34)),
                new PopSecond.ChatCounts(3, 0.9, 0.5), new PopSecond.CheckoutCounts(1, 1, 0, 0));
    }

    /** Client settings that give up on a dead broker in seconds rather than minutes. */
    static Map<String, Object> quickFailing(EmbeddedKafka kafka) throws Exception {
        Map<String, Object> base = new HashMap<>(FleetKafka.base(kafka.bootstrapServers(), null));
        base.put("delivery.timeout.ms", 3_000);
        base.put("request.timeout.ms", 1_000);
        base.put("max.block.ms", 1_000);
        return base;
    }

    static FleetTopics topics(EmbeddedKafka kafka, int partitions) throws Exception {
        FleetTopics topics = new FleetTopics(FleetTopics.DEFAULT_PREFIX, partitions, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            topics.ensure(admin, Duration.ofSeconds(30));
        }
        return topics;
    }

    /** Every record on the topic, through the same deduplication the aggregator applies. */
    static Delivered read(EmbeddedKafka kafka, String topic) {
        Deduplicator dedupe = new Deduplicator();
        TreeSet<Long> seqs = new TreeSet<>();
        int raw = 0;
        int copies = 0;
        try (var c = new KafkaConsumer<>(FleetKafka.consumer(Map.of("bootstrap.servers", kafka.bootstrapServers()), "check"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    raw++;
                    long seq = FleetHeaders.seq(r.headers());
                    if (dedupe.firstTime(topic, FleetHeaders.text(r.headers(), FleetHeaders.NODE), r.key(), seq)) {
                        assertTrue(seqs.add(seq), "one sequence number on two keys: " + seq);
                    } else {
                        copies++;
                    }
                }
            }
        }
        return new Delivered(seqs, raw, copies);
    }
}
