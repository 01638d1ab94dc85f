package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("kafka")
class EmbeddedKafkaKafkaTest {

    @Test
    void keepsWhatItAcknowledgedAcrossAStopAndStartOnTheSameLogDirectories() throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start("restart")) {
            long started = System.nanoTime();
            System.out.printf("in-process broker started in %d ms%n", (started - t0) / 1_000_000);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            try (var p = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all", "enable.idempotence", true), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>("t", "k", "v" + i)).get();
                }
            }
            kafka.stop();
            long s = System.nanoTime();
            kafka.start();
            System.out.printf("in-process broker restarted in %d ms%n", (System.nanoTime() - s) / 1_000_000);
            List<String> values = new ArrayList<>();
            try (var c = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("t", 0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (values.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"), values);
        }
    }
}
