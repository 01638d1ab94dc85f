package io.edgedeck.simulator.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three nodes publish a show; the aggregator adds them up, and a restarted aggregator rebuilds it exactly. */
@Tag("kafka")
@ExtendWith(SharedKafka.class)
class FleetAggregatorKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long T0 = 1_764_633_600_000L;
    private static final Map<String, List<String>> POPS = Map.of(
            "node-a", List.of("fra", "ams"),
            "node-b", List.of("lhr", "cdg"),
            "node-c", List.of("iad", "nrt"));
    private static final List<String> CHAT = List.of("love this", "so good", "meh", "this is awful", "wow amazing",
            "boring", "great stream");

    @TempDir
    Path dir;

    @Test
    void threeNodesAddUpAndARestartedAggregatorRebuildsExactlyTheSameState(EmbeddedKafka kafka) throws Exception {
        FleetTopics topics = SharedKafka.topics(kafka, "aggregate", 3);
        Map<String, Object> base = FleetKafka.base(kafka.bootstrapServers(), null);
        ChatSentimentScorer scorer = new ChatSentimentScorer();
        Random rnd = new Random(26);
        Map<String, Histogram> expectedLatency = new TreeMap<>();
        Map<String, long[]> expectedCounts = new TreeMap<>();
        Set<String> exposedArms = new HashSet<>();
        List<PopSecond> sentAggregates = new ArrayList<>();

        for (String node : List.of("node-a", "node-b", "node-c")) {
            SecondAggregator agg = new SecondAggregator(node, POPS.get(node).getFirst(), scorer::compound,
                    new SecondAggregator.RecentExposures(100_000));
            for (int s = 0; s < 20; s++) {
                for (String pop : POPS.get(node)) {
                    Histogram h = expectedLatency.computeIfAbsent(pop, k -> LatencyHistograms.empty());
                    long[] c = expectedCounts.computeIfAbsent(pop, k -> new long[2]);
                    for (int i = 0; i < 150; i++) {
                        long at = T0 + s * 1000L + rnd.nextInt(1000);
                        if (rnd.nextDouble() < 0.03) {
                            agg.add(new IngestEvent.Latency(node + s + pop + i, at, pop, null, true, null, null), at);
                            c[1]++;
                        } else {
                            double ms = Math.exp(3.5 + 0.5 * rnd.nextGaussian());
                            agg.add(new IngestEvent.Latency(node + s + pop + i, at, pop, ms, null, 200, null), at);
                            LatencyHistograms.recordMillis(h, ms);
                        }
                        c[0]++;
                    }
                    for (int u = 0; u < 10; u++) {
                        String unit = pop + "-viewer-" + rnd.nextInt(60);
                        String variant = unit.hashCode() % 2 == 0 ? "control" : "treatment";
                        long at = T0 + s * 1000L + rnd.nextInt(1000);
                        agg.add(new IngestEvent.Exposure("x" + at, at, "offer-banner", variant, unit, pop), at);
                        exposedArms.add(unit + "/" + variant);
                        if (rnd.nextDouble() < 0.2) {
                            agg.add(new IngestEvent.Conversion("c" + at, at, "checkout", unit, 10.0 + u), at);
                        }
                        agg.add(new IngestEvent.Chat("m" + at, at, CHAT.get(rnd.nextInt(CHAT.size())), unit, "twitch:show",
                                null, null), at);
                    }
                }
            }
            List<PopSecond> seconds = agg.drainAll();
            sentAggregates.addAll(seconds);
            try (FleetPublisher publisher = new FleetPublisher(node, topics, base,
                    Spool.open(dir.resolve(node), 16L << 20, 1L << 20), FleetPublisher.Options.DEFAULT)) {
                publisher.start();
                long last = publisher.publishAggregates(seconds);
                for (int j = 1; j <= 3; j++) {
                    last = publisher.publishJournal(j, JsonNodeFactory.instance.objectNode().put("type", "flag").put("seq", j));
                }
                assertTrue(publisher.awaitAcknowledged(last, WAIT));
                publisher.publishFrame(publisher.frame(T0 + 21_000, POPS.get(node), 4, 0, null, null, null, null));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (publisher.status().framesSent() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, publisher.status().framesSent());
            }
        }
        // Copies of records already there, as a node's resend after a lost acknowledgement makes them.
        int copies = 5;
        try (var raw = new KafkaProducer<>(base, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < copies; i++) {
                PopSecond again = sentAggregates.get(i);
                var r = new ProducerRecord<>(topics.aggregates(), again.pop(), FleetJson.bytes(again));
                FleetHeaders.put(r.headers(), again.node(), i + 1, PopSecond.SCHEMA);
                raw.send(r).get();
            }
        }

        long now = System.currentTimeMillis();
        FleetSnapshot first;
        try (FleetAggregator aggregator = new FleetAggregator(topics, base, 10, 0)) {
            aggregator.start();
            assertTrue(aggregator.awaitCaughtUp(WAIT), "read everything");
            first = aggregator.snapshot(now);
        }

        assertEquals(copies, first.duplicates());
        assertEquals(0, first.malformed());
        assertEquals(sentAggregates.size() + 3 * 3 + 3, first.records(), "aggregates, journal records, frames");
        assertEquals(6, first.pops().size());
        for (FleetSnapshot.PopView pop : first.pops()) {
            Histogram expected = expectedLatency.get(pop.pop());
            assertEquals(expectedCounts.get(pop.pop())[0], pop.total().requests(), pop.pop());
            assertEquals(expectedCounts.get(pop.pop())[1], pop.total().lost(), pop.pop());
            // Per-second histograms from the nodes add up to exactly the histogram of every request.
            assertEquals(LatencyHistograms.percentileMillis(expected, 99), pop.total().p99Ms(), pop.pop());
            assertEquals(LatencyHistograms.percentileMillis(expected, 50), pop.total().p50Ms(), pop.pop());
            assertEquals(expected.getMaxValue() / 1000.0, pop.total().maxMs(), pop.pop());
            assertTrue(pop.recent().requests() > 0 && pop.recent().requests() < pop.total().requests());
        }
        long exposures = first.variants().stream().mapToLong(FleetSnapshot.VariantView::exposures).sum();
        assertEquals(exposedArms.size(), exposures, "each unit counted once per arm");
        assertEquals(3, first.nodes().size());
        for (FleetSnapshot.NodeView n : first.nodes()) {
            assertEquals(POPS.get(n.node()).stream().sorted().toList(), n.pops());
            assertEquals(0, n.spoolPending());
            assertEquals(4, n.controlOffset());
            assertTrue(n.ageMillis() >= 0);
        }

        // The aggregator restarts: it keeps nothing, reads the topics again and comes back the same.
        try (FleetAggregator restarted = new FleetAggregator(topics, base, 10, 0)) {
            restarted.start();
            assertTrue(restarted.awaitCaughtUp(WAIT));
            assertEquals(first, restarted.snapshot(now));
        }
    }

}
