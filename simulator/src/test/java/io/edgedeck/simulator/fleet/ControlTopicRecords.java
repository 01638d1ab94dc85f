package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the fleet tests read back from a control topic: its committed records, Kafka key to value, in order. */
public final class ControlTopicRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlTopicRecords() {
    }

    public static List<Map.Entry<String, JsonNode>> read(EmbeddedKafka kafka, FleetTopics topics) throws Exception {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(kafka, topics)) {
            out.add(Map.entry(r.key(), JSON.readTree(r.value())));
        }
        return out;
    }

    /**
     * Writes to {@code to}'s control topic what compaction leaves of {@code from}'s: the newest record of each
     * Kafka key, in their order, headers and all.
     */
    static void compactInto(EmbeddedKafka kafka, FleetTopics from, FleetTopics to) throws Exception {
        Map<String, ConsumerRecord<String, byte[]>> newest = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records(kafka, from)) {
            newest.remove(r.key());
            newest.put(r.key(), r);
        }
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                kafka.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> r : newest.values()) {
                p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(to.control(), 0, r.key(), r.value(), r.headers())).get();
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> records(EmbeddedKafka kafka, FleetTopics topics) {
        TopicPartition control = new TopicPartition(topics.control(), 0);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(FleetKafka.controlConsumer(Map.of("bootstrap.servers", kafka.bootstrapServers()), "check"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(control));
            c.seekToBeginning(List.of(control));
            long end = c.endOffsets(List.of(control), Duration.ofSeconds(30)).get(control);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(control) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
