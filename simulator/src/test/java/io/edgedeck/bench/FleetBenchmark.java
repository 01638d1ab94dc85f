package io.edgedeck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.sentiment.ChatSentimentScorer;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetKafka;
import io.edgedeck.simulator.fleet.FleetPublisher;
import io.edgedeck.simulator.fleet.FleetState;
import io.edgedeck.simulator.fleet.FleetTopics;
import io.edgedeck.simulator.fleet.PopSecond;
import io.edgedeck.simulator.fleet.SecondAggregator;
import io.edgedeck.simulator.fleet.Spool;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The fleet's figures on this machine (docs/FLEET.md, "Figures"): the in-process broker's start
 * time and memory, the size of the two record shapes a node could publish, the aggregator's cost
 * per aggregate, and for 1, 3 and 6
 * partitions the publish throughput of per-second PoP aggregates and their lag from a node's
 * spool to the aggregator's state. A benchmark, not a test: it prints, people judge.
 *
 * <pre>
 * java -cp "$BENCH_CP" io.edgedeck.bench.FleetBenchmark [--partitions 1,3,6] [--nodes 3] [--pops 24]
 *      [--events-per-pop-second 8000] [--lag-seconds 10] [--burst-seconds 5]
 * </pre>
 *
 * Broker, nodes and aggregator share this one JVM and the machine's cores.
 */
public final class FleetBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> partitions = List.of(1, 3, 6);
        int nodes = 3;
        int pops = 24;
        int eventsPerPopSecond = 8_000;
        int lagSeconds = 10;
        int burstSeconds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> partitions = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--pops" -> pops = Integer.parseInt(args[++i]);
                case "--events-per-pop-second" -> eventsPerPopSecond = Integer.parseInt(args[++i]);
                case "--lag-seconds" -> lagSeconds = Integer.parseInt(args[++i]);
                case "--burst-seconds" -> burstSeconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }

        // 1. The broker: start, memory, restart.
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = Thread.activeCount();
        long t = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.start("bench");
        long startMs = (System.nanoTime() - t) / 1_000_000;
        long heapAfter = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "broker: first start %d ms (formatting included); heap +%.1f MB after GC; threads +%d; process RSS %.0f MB%n",
                startMs, (heapAfter - heapBefore) / 1e6, Thread.activeCount() - threadsBefore, rssMb());
        kafka.stop();
        t = System.nanoTime();
        kafka.start();
        System.out.printf(Locale.ROOT, "broker: restart on the same log directories %d ms%n", (System.nanoTime() - t) / 1_000_000);

        // 2. The two shapes: one PoP's second of observations, raw and as one aggregate.
        Random rnd = new Random(26);
        ChatSentimentScorer scorer = new ChatSentimentScorer();
        List<PopSecond> templates = new ArrayList<>();
        long rawBytes = 0;
        long rawEvents = 0;
        for (int p = 0; p < pops; p++) {
            String pop = "pop" + p;
            SecondAggregator agg = new SecondAggregator("node", pop, scorer::compound, new SecondAggregator.RecentExposures(200_000));
            long t0 = 1_764_633_600_000L;
            for (int i = 0; i < eventsPerPopSecond; i++) {
                IngestEvent e = event(rnd, pop, t0 + rnd.nextInt(1000), i);
                if (p == 0) {
                    rawBytes += JSON.writeValueAsBytes(e).length;
                    rawEvents++;
                }
                agg.add(e, t0);
            }
            templates.add(agg.drainAll().getFirst());
        }
        double perEvent = (double) rawBytes / rawEvents;
        int perAggregate = JSON.writeValueAsBytes(templates.getFirst()).length;
        System.out.printf(Locale.ROOT, "shape: raw observation %.0f bytes as JSON; one PoP-second aggregate of %d observations %d bytes%n",
                perEvent, eventsPerPopSecond, perAggregate);
        System.out.printf(Locale.ROOT, "shape: per node at %d PoPs x %d obs/s: raw %.1f MB/s, aggregates %.1f KB/s (%.0fx less)%n",
                pops, eventsPerPopSecond, perEvent * eventsPerPopSecond * pops / 1e6, perAggregate * pops / 1e3,
                perEvent * eventsPerPopSecond / perAggregate);

        // 3. The aggregator's own cost: applying aggregates to the fleet state, and a snapshot.
        for (int round = 1; round <= 3; round++) {
            FleetState state = new FleetState(60);
            int n = 20_000;
            List<byte[]> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(JSON.writeValueAsBytes(seconds(templates, "node-0", i / templates.size()).get(i % templates.size())));
            }
            long st = System.nanoTime();
            for (int i = 0; i < n; i++) {
                state.apply("bench", "pop" + (i % templates.size()), "node-0", i + 1, PopSecond.SCHEMA, values.get(i), 0);
            }
            double us = (System.nanoTime() - st) / 1e3 / n;
            st = System.nanoTime();
            state.snapshot(0);
            System.out.printf(Locale.ROOT, "aggregator (round %d): %.0f us per aggregate applied; a snapshot with a 60 s window of %d PoPs %.0f ms%n",
                    round, us, templates.size(), (System.nanoTime() - st) / 1e6);
        }

        // 4. Per partition count: lag at a steady rate, then throughput flat out.
        Map<String, Object> base = FleetKafka.base(kafka.bootstrapServers(), null);
        for (int p : partitions) {
            FleetTopics topics = new FleetTopics("bench-p" + p + ".", p, (short) 1);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                topics.ensure(admin, Duration.ofSeconds(60));
            }
            Path dir = Files.createTempDirectory("edgedeck-bench-spool");
            List<FleetPublisher> publishers = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                FleetPublisher pub = new FleetPublisher("node-" + n, topics, base,
                        Spool.open(dir.resolve("node-" + n), 1L << 30, 64L << 20), FleetPublisher.Options.DEFAULT);
                pub.start();
                publishers.add(pub);
            }
            try (FleetAggregator aggregator = new FleetAggregator(topics, base, 60, 0)) {
                aggregator.start();
                if (!aggregator.awaitCaughtUp(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the aggregator did not start reading");
                }
                long second = 0;
                // Warm-up: two seconds at the steady rate, not measured.
                long published = 0;
                for (int w = 0; w < 20; w++) {
                    for (int n = 0; n < nodes; n++) {
                        publishers.get(n).publishAggregates(seconds(templates, "node-" + n, second));
                        published += pops;
                    }
                    second++;
                    Thread.sleep(100);
                }
                awaitApplied(aggregator, published);
                aggregator.takeLagMillis();
                // Lag: every node publishes its PoPs' seconds ten times a second (ten times a show's rate).
                long next = System.nanoTime();
                long end = next + lagSeconds * 1_000_000_000L;
                while (System.nanoTime() < end) {
                    for (int n = 0; n < nodes; n++) {
                        publishers.get(n).publishAggregates(seconds(templates, "node-" + n, second));
                        published += pops;
                    }
                    second++;
                    next += 100_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                awaitApplied(aggregator, published);
                Histogram lag = aggregator.takeLagMillis();
                System.out.printf(Locale.ROOT, "partitions %d: lag spool->aggregator at %d records/s: p50 %d ms, p99 %d ms, max %d ms (%d records)%n",
                        p, nodes * pops * 10, lag.getValueAtPercentile(50), lag.getValueAtPercentile(99), lag.getMaxValue(),
                        lag.getTotalCount());

                // Throughput: every node publishes as fast as its spool and producer take it.
                long ackedBefore = publishers.stream().mapToLong(x -> x.status().acknowledged()).sum();
                long start = System.nanoTime();
                long burstEnd = start + burstSeconds * 1_000_000_000L;
                List<Thread> threads = new ArrayList<>();
                long[] counts = new long[nodes];
                for (int n = 0; n < nodes; n++) {
                    int node = n;
                    long firstSecond = second;
                    threads.add(Thread.ofPlatform().start(() -> {
                        long s = firstSecond;
                        while (System.nanoTime() < burstEnd) {
                            try {
                                publishers.get(node).publishAggregates(seconds(templates, "node-" + node, s++));
                                counts[node] += templates.size();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }));
                }
                for (Thread th : threads) {
                    th.join();
                }
                long burst = java.util.Arrays.stream(counts).sum();
                long target = published + burst;
                awaitAcked(publishers, ackedBefore + burst);
                double ackedSec = (System.nanoTime() - start) / 1e9;
                awaitApplied(aggregator, target);
                double appliedSec = (System.nanoTime() - start) / 1e9;
                Histogram burstLag = aggregator.takeLagMillis();
                System.out.printf(Locale.ROOT, "partitions %d: flat out, %d nodes: %.0f aggregates/s acknowledged (%.1f MB/s), %.0f/s in the aggregator's state; lag p50 %d ms, p99 %d ms%n",
                        p, nodes, burst / ackedSec, burst * perAggregate / ackedSec / 1e6, burst / appliedSec,
                        burstLag.getValueAtPercentile(50), burstLag.getValueAtPercentile(99));
            }
            for (FleetPublisher pub : publishers) {
                pub.close(Duration.ofSeconds(5));
            }
        }
        kafka.close();
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static List<PopSecond> seconds(List<PopSecond> templates, String node, long second) {
        List<PopSecond> out = new ArrayList<>(templates.size());
        for (PopSecond t : templates) {
            out.add(new PopSecond(1, node, t.pop(), 1_764_633_600L + second, t.requests(), t.lost(), t.latencyUs(),
                    t.conversions(), t.arms(), t.chat(), t.checkouts()));
        }
        return out;
    }

    private static void awaitApplied(FleetAggregator aggregator, long records) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (aggregator.applied() < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the aggregator applied " + aggregator.applied() + " of " + records);
            }
            Thread.sleep(5);
        }
    }

    private static void awaitAcked(List<FleetPublisher> publishers, long total) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (publishers.stream().mapToLong(x -> x.status().acknowledged()).sum() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("publishers did not catch up");
            }
            Thread.sleep(5);
        }
    }

    private static final String[] CHAT = {"love this", "so good", "meh", "this is awful", "wow amazing", "boring"};

    /** A show's mix: mostly request latencies, then exposures, chat, conversions and checkouts. */
    private static IngestEvent event(Random rnd, String pop, long at, int i) {
        double r = rnd.nextDouble();
        String id = pop + "-" + at + "-" + i;
        String unit = "viewer-" + rnd.nextInt(50_000);
        if (r < 0.90) {
            return rnd.nextDouble() < 0.01
                    ? new IngestEvent.Latency(id, at, pop, null, true, null, "audience")
                    : new IngestEvent.Latency(id, at, pop, Math.exp(3.5 + 0.5 * rnd.nextGaussian()), null, 200, "audience");
        } else if (r < 0.95) {
            return new IngestEvent.Exposure(id, at, "offer-banner", rnd.nextBoolean() ? "control" : "treatment", unit, pop);
        } else if (r < 0.98) {
            return new IngestEvent.Chat(id, at, CHAT[rnd.nextInt(CHAT.length)], unit, "twitch:show", null, null);
        } else if (r < 0.99) {
            return new IngestEvent.Conversion(id, at, "checkout", unit, 19.99);
        }
        return new IngestEvent.Checkout(id, at, "c-" + i, pop, "started");
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static double rssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }
}
