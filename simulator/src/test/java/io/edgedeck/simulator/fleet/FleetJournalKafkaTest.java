package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.engine.journal.FileJournal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet node publishes its journal on the fleet's journal topic: every record once, as its journal
 * has it, across a restart on its data directory (the journal mark says what the spool already has).
 */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetJournalKafkaTest {

    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "fleet-journal",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private static EdgeNode start(String bootstrap, FleetTopics topics, Path dataDir) throws Exception {
        return EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dataDir).withActionTimeout(Duration.ofSeconds(20))
                .withFleet(new FleetOptions(bootstrap, null, topics, "node-j")));
    }

    private void change(EdgeNode node, String action) throws Exception {
        HttpResponse<String> r = NodeRequests.send(http, node.baseUri(), "POST", "/api/v1/flags/offer-banner/" + action,
                Files.readString(node.dataDir().resolve("token")).trim(), "{\"reason\":\"journal test\"}");
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Every journal entry on the topic, raw (no deduplication): journal seq to the entries with it. */
    private static Map<Long, List<JsonNode>> published(EmbeddedKafka kafka, FleetTopics topics) throws Exception {
        Map<Long, List<JsonNode>> out = new TreeMap<>();
        try (var c = new KafkaConsumer<>(FleetKafka.consumer(Map.of("bootstrap.servers", kafka.bootstrapServers()), "check"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topics.journal())) {
                parts.add(new TopicPartition(topics.journal(), p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    assertEquals(JournalEntry.SCHEMA, FleetHeaders.text(r.headers(), FleetHeaders.SCHEMA));
                    JournalEntry e = FleetJson.read(r.value(), JournalEntry.class);
                    assertEquals("node-j", e.node());
                    assertEquals("node-j", r.key());
                    out.computeIfAbsent(e.journalSeq(), k -> new ArrayList<>()).add(e.record());
                }
            }
        }
        return out;
    }

    private static TreeSet<Long> seqs(EdgeNode node) {
        TreeSet<Long> out = new TreeSet<>();
        node.journal().records().forEach(r -> out.add(r.seq()));
        return out;
    }

    @Test
    void everyJournalRecordIsPublishedOnceAcrossARestart(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "fleet-journal", 3);
        EdgeNode first = start(kafka.bootstrapServers(), topics, dir.resolve("j"));
        try {
            change(first, "kill");
            // The journal grows on its own (the show clock is journaled every second): wait for what it had now.
            TreeSet<Long> now = seqs(first);
            Eventually.await("the node's journal is on the topic", Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> published(kafka, topics).keySet().containsAll(now));
        } finally {
            first.close();
        }
        EdgeNode again = start(kafka.bootstrapServers(), topics, dir.resolve("j"));
        try {
            change(again, "unkill");
            List<JournalRecord> records = again.journal().records();
            TreeSet<Long> before = seqs(again);
            Eventually.await("the restarted node's records are on the topic", Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> published(kafka, topics).keySet().containsAll(before));
            Map<Long, List<JsonNode>> topic = published(kafka, topics);
            assertTrue(seqs(again).containsAll(topic.keySet()), "nothing that is not in the journal: " + topic.keySet());
            topic.forEach((seq, copies) -> assertEquals(1, copies.size(), "journal record " + seq + " published once: " + copies));
            for (JournalRecord r : records) {
                assertEquals(FileJournal.json(r).toString(), topic.get(r.seq()).getFirst().toString(), "as the journal has it");
            }
            assertTrue(records.stream().filter(r -> r instanceof JournalRecord.ControlApplied).count() >= 2,
                    "the kill and the unkill, applied from the control topic, are among them");
        } finally {
            again.close();
        }
    }
}
