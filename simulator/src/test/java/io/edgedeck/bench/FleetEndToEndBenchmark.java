package io.edgedeck.bench;

import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetSnapshot;
import io.edgedeck.simulator.fleet.FleetTopics;
import io.edgedeck.simulator.load.Load;
import io.edgedeck.simulator.load.LoadComparison;
import io.edgedeck.simulator.load.NodeKeys;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.server.FleetServer;
import io.edgedeck.simulator.show.ShowDefinition;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fleet end to end on this machine (docs/BENCHMARKS.md, "A fleet end to end"): an in-process broker,
 * three live nodes publishing to it and an aggregator reading them, each node driven over loopback by
 * {@code load} with the same show at the same time, for each partition count. It prints, per run, what
 * the nodes took (events and evaluations per second, from {@code load}'s own figures), and the lag from
 * an exposure or conversion being counted on a node to it being counted in the aggregator's state (what
 * its next fleet frame shows): the nodes' and the aggregator's totals are sampled every 100 ms, and each
 * sample's lag is how long after it the aggregator's total first reached the nodes' total of that sample.
 * It exits 1 when the aggregator's totals do not end equal to the nodes' own: a run that lost or doubled
 * an observation reports no figure.
 *
 * <pre>
 * java -cp "$BENCH_CP" io.edgedeck.bench.FleetEndToEndBenchmark [--partitions 1,3,6] [--scenario conversion-drop]
 *      [--speed 10]
 * </pre>
 *
 * Broker, nodes, aggregator and the three senders share this one JVM and the machine's cores.
 */
public final class FleetEndToEndBenchmark {
    private static final int NODES = 3;
    private static final long SAMPLE_MILLIS = 100;
    private static final long SETTLE_LIMIT_MILLIS = 60_000;

    private FleetEndToEndBenchmark() {
    }

    /** One sample: wall time, and the exposures plus conversions the nodes and the aggregator had counted. */
    private record Sample(long atMillis, long nodes, long aggregator) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> partitions = List.of(1, 3, 6);
        String scenario = "conversion-drop";
        double speed = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> partitions = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--scenario" -> scenario = args[++i];
                case "--speed" -> {
                    String v = args[++i];
                    speed = v.equals("max") ? 0 : Double.parseDouble(v);
                }
                default -> {
                    System.err.println("unknown option " + args[i] + "; --partitions N,N  --scenario NAME  --speed N|max");
                    System.exit(2);
                }
            }
        }
        System.out.printf(Locale.ROOT, "fleet end to end: %d nodes and an aggregator, %s at %s, load average %.2f%n", NODES,
                scenario, speed == 0 ? "max" : speed + "x", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        EmbeddedKafka kafka = EmbeddedKafka.start("fleet-e2e");
        boolean allEqual = true;
        try {
            for (int p : partitions) {
                allEqual &= run(kafka, p, scenario, speed);
            }
        } finally {
            kafka.close();
        }
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(allEqual ? 0 : 1);
    }

    private static boolean run(EmbeddedKafka kafka, int partitions, String scenario, double speed) throws Exception {
        FleetTopics topics = new FleetTopics("e2e-" + partitions + ".", partitions, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            topics.ensure(admin, Duration.ofSeconds(30));
        }
        Path dir = Files.createTempDirectory("fleet-e2e-");
        List<EdgeNode> nodes = new ArrayList<>();
        FleetServer aggregator = null;
        ExecutorService senders = Executors.newFixedThreadPool(NODES);
        try {
            for (int i = 0; i < NODES; i++) {
                String id = "node-" + (char) ('a' + i);
                nodes.add(EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(scenario), InetAddress.getLoopbackAddress(), 0,
                        dir.resolve(id), speed == 0 ? 1 : speed).withFleet(new FleetOptions(kafka.bootstrapServers(), null, topics, id))));
            }
            aggregator = FleetServer.start(new FleetOptions(kafka.bootstrapServers(), null, topics, null), InetAddress.getLoopbackAddress(),
                    0, dir.resolve("aggregator"), 0);
            Scenario show = ScenarioCatalog.load(scenario);
            ShowDefinition definition = new ShowDefinition(show, show.seed(), ScenarioCatalog.document(scenario));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            List<Future<LoadComparison>> loads = new ArrayList<>();
            long started = System.currentTimeMillis();
            for (EdgeNode node : nodes) {
                NodeKeys keys = NodeKeys.read(node.dataDir(), null, null, null);
                loads.add(senders.submit(() -> Load.run(definition, node.baseUri(), keys, speed, quiet)));
            }
            List<Sample> samples = new ArrayList<>();
            while (loads.stream().anyMatch(f -> !f.isDone())) {
                samples.add(sample(nodes, aggregator));
                Thread.sleep(SAMPLE_MILLIS);
            }
            long sent = System.currentTimeMillis();
            double evaluations = 0;
            double events = 0;
            double perSecond = 0;
            for (Future<LoadComparison> f : loads) {
                LoadComparison c = f.get();
                evaluations += c.wire().evaluations() + c.wire().reevaluations();
                events += c.wire().events();
                perSecond += c.wire().eventsPerSecond();
            }
            double seconds = (sent - started) / 1000.0;
            Sample last = sample(nodes, aggregator);
            while (last.aggregator() < last.nodes() && System.currentTimeMillis() - sent < SETTLE_LIMIT_MILLIS) {
                samples.add(last);
                Thread.sleep(SAMPLE_MILLIS);
                last = sample(nodes, aggregator);
            }
            samples.add(last);
            long caughtUp = last.atMillis() - sent;
            Histogram lag = lag(samples);
            boolean equal = last.aggregator() == last.nodes();
            System.out.printf(Locale.ROOT, "%d partition%s: nodes took %.0f OFREP evaluations (%.0f/s) and %.0f ingested events"
                            + " (%.0f/s) in %.1f s, %.0f per second in all (%.0f per node); lag node -> aggregator p50 %.2f s,"
                            + " p95 %.2f s, max %.2f s over %d samples; the aggregator caught up %.2f s after the last answer;"
                            + " totals %d at the nodes, %d at the aggregator%s%n",
                    partitions, partitions == 1 ? "" : "s", evaluations, evaluations / seconds, events, events / seconds, seconds,
                    perSecond, perSecond / NODES,
                    lag.getValueAtPercentile(50) / 1000.0, lag.getValueAtPercentile(95) / 1000.0, lag.getMaxValue() / 1000.0,
                    lag.getTotalCount(), caughtUp / 1000.0, last.nodes(), last.aggregator(), equal ? "" : "  NOT EQUAL");
            if (!equal) {
                breakdown(nodes, aggregator);
            }
            return equal;
        } finally {
            senders.shutdownNow();
            if (aggregator != null) {
                aggregator.close();
            }
            for (EdgeNode node : nodes) {
                node.close();
            }
        }
    }

    private static Sample sample(List<EdgeNode> nodes, FleetServer aggregator) {
        long atNodes = 0;
        for (EdgeNode node : nodes) {
            MetricsFrame f = node.latestFrame();
            if (f != null) {
                for (VariantMetrics v : f.variants()) {
                    atNodes += v.exposures() + v.conversions();
                }
            }
        }
        long now = System.currentTimeMillis();
        long atAggregator = 0;
        for (FleetSnapshot.VariantView v : aggregator.aggregator().snapshot(now).variants()) {
            atAggregator += v.exposures() + v.conversions();
        }
        return new Sample(now, atNodes, atAggregator);
    }

    /** Where the totals differ: each variant's exposures and conversions at the nodes (summed) and at the aggregator. */
    private static void breakdown(List<EdgeNode> nodes, FleetServer aggregator) {
        Map<String, long[]> byVariant = new java.util.TreeMap<>();
        for (EdgeNode node : nodes) {
            for (VariantMetrics v : node.latestFrame().variants()) {
                long[] c = byVariant.computeIfAbsent(v.flag() + "/" + v.variant(), k -> new long[5]);
                c[0] += v.exposures();
                c[1] += v.conversions();
                c[4] += v.movedIn();
            }
        }
        for (FleetSnapshot.VariantView v : aggregator.aggregator().snapshot(System.currentTimeMillis()).variants()) {
            long[] c = byVariant.computeIfAbsent(v.flag() + "/" + v.variant(), k -> new long[5]);
            c[2] += v.exposures();
            c[3] += v.conversions();
        }
        byVariant.forEach((k, c) -> System.out.printf(Locale.ROOT,
                "  %s: exposures %d at the nodes (and %d moved in), %d at the aggregator; conversions %d, %d%n", k, c[0], c[4], c[2], c[1], c[3]));
    }

    /** Per sample whose node total moved on: how long until the aggregator's total reached it, in ms. */
    private static Histogram lag(List<Sample> samples) {
        Histogram h = new Histogram(3_600_000L, 3);
        long previous = -1;
        int j = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.nodes() == previous) {
                continue;
            }
            previous = s.nodes();
            j = Math.max(j, i);
            while (j < samples.size() && samples.get(j).aggregator() < s.nodes()) {
                j++;
            }
            if (j < samples.size()) {
                h.recordValue(samples.get(j).atMillis() - s.atMillis());
            }
        }
        return h;
    }
}
