package io.edgedeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.apache.kafka.clients.admin.Admin;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast an operator's change goes round a fleet through the control topic: live nodes in this
 * JVM (each with its own data directory, HTTP server and Kafka clients) on one in-process broker.
 *
 * <p>Two measurements. <b>One change at a time</b>: a weight change sent to each node in turn over
 * HTTP; from the PATCH to its answer (written by compare-and-set, committed, applied by the node that
 * took it), and to the moment every node has applied it (each node's control version for the flag,
 * read in-process every 0.2 ms; the flag's version each change is based on is read before the clock starts). <b>Flat out</b>: every node changes its own flag in a loop for a
 * while, so the writers contend for the topic's one transactional id; changes acknowledged per
 * second, and how many were refused.
 *
 * <pre>
 * java --sun-misc-unsafe-memory-access=allow -cp "$BENCH_CP" io.edgedeck.bench.FleetControlBenchmark \
 *     [--nodes 3] [--changes 200] [--warmup 30] [--flat-out-seconds 20]
 * </pre>
 */
public final class FleetControlBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FleetControlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = 3;
        int changes = 200;
        int warmup = 30;
        int flatOutSeconds = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--changes" -> changes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--flat-out-seconds" -> flatOutSeconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]
                            + " (--nodes N, --changes N, --warmup N, --flat-out-seconds S)");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("fleet-control-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start("control-bench")) {
            FleetTopics topics = new FleetTopics(FleetTopics.DEFAULT_PREFIX, 1, (short) 1);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                topics.ensure(admin, Duration.ofSeconds(30));
            }
            List<EdgeNode> fleet = new ArrayList<>();
            try {
                for (int n = 0; n < nodes; n++) {
                    fleet.add(start("node-" + (char) ('a' + n), kafka.bootstrapServers(), topics, dir.resolve("n" + n), nodes));
                }
                oneAtATime(fleet, warmup, changes);
                flatOut(fleet, flatOutSeconds);
            } finally {
                fleet.forEach(EdgeNode::close);
            }
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Flags {@code f0..f(n-1)}: one per node for the flat-out run; the one-at-a-time run uses {@code f0}. */
    private static EdgeNode start(String id, String bootstrap, FleetTopics topics, Path dataDir, int flags) throws Exception {
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < flags; i++) {
            f.append(i == 0 ? "" : ",").append("{\"key\": \"f").append(i).append("\", \"owner\": \"bench\",")
                    .append(" \"variants\": [{\"name\": \"control\", \"weight\": 50}, {\"name\": \"treatment\", \"weight\": 50}],")
                    .append(" \"control\": \"control\"}");
        }
        String config = "{\"$schema\": \"https://edgedeck.io/schema/node-config-v1.json\", \"name\": \"control-bench\","
                + " \"pops\": [{\"id\": \"fra\", \"region\": \"eu\"}], \"flags\": [" + f + "]}";
        var c = EdgeNode.Config.live(NodeConfigParser.parse(config.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dataDir).withActionTimeout(Duration.ofSeconds(20))
                .withFleet(new FleetOptions(bootstrap, null, topics, id));
        return EdgeNode.start(c);
    }

    private static void oneAtATime(List<EdgeNode> fleet, int warmup, int changes) throws Exception {
        long[] answered = new long[changes];
        long[] everywhere = new long[changes];
        for (int i = -warmup; i < changes; i++) {
            EdgeNode node = fleet.get(Math.floorMod(i, fleet.size()));
            long before = node.fleetControl().orElseThrow().version("flag/f0");
            long apiVersion = version(node, "f0");
            long t0 = System.nanoTime();
            HttpResponse<String> r = patch(node, "f0", apiVersion, i);
            long t1 = System.nanoTime();
            if (r.statusCode() != 200) {
                throw new IllegalStateException("change " + i + " on " + node.baseUri() + ": " + r.statusCode() + " " + r.body());
            }
            for (EdgeNode other : fleet) {
                while (other.fleetControl().orElseThrow().version("flag/f0") <= before) {
                    Thread.onSpinWait();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                answered[i] = t1 - t0;
                everywhere[i] = t2 - t0;
            }
        }
        System.out.printf(Locale.ROOT, "one change at a time, %d nodes, %d changes (after %d of warm-up):%n", fleet.size(), changes, warmup);
        System.out.printf(Locale.ROOT, "  PATCH to its answer (written, committed, applied here): %s%n", summary(answered));
        System.out.printf(Locale.ROOT, "  PATCH to applied on every node:                         %s%n", summary(everywhere));
    }

    private static void flatOut(List<EdgeNode> fleet, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> writers = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        for (int n = 0; n < fleet.size(); n++) {
            EdgeNode node = fleet.get(n);
            String flag = "f" + n;
            long[] mine = new long[100_000];
            times.add(mine);
            int index = n;
            writers.add(Thread.ofPlatform().name("writer-" + n).start(() -> {
                int k = 0;
                try {
                    long v = version(node, flag);
                    while (System.nanoTime() < end && k < mine.length) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = patch(node, flag, v, k);
                        if (r.statusCode() == 200) {
                            mine[k++] = System.nanoTime() - t0;
                            done.incrementAndGet();
                            v = JSON.readTree(r.body()).get("version").asLong();
                        } else {
                            refused.incrementAndGet();
                            v = version(node, flag);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("writer " + index, e);
                }
                times.set(index, Arrays.copyOf(mine, k));
            }));
        }
        long t0 = System.nanoTime();
        for (Thread t : writers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] all = times.stream().flatMapToLong(Arrays::stream).toArray();
        System.out.printf(Locale.ROOT, "flat out, %d nodes each changing its own flag for %d s: %d changes acknowledged (%.1f/s), %d refused;%n"
                + "  PATCH to its answer: %s%n", fleet.size(), seconds, done.get(), done.get() / elapsed, refused.get(), summary(all));
    }

    /** The flag's version as {@code node}'s API gives it (a change is based on it). */
    private static long version(EdgeNode node, String flag) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/flags"))
                .header("Authorization", "Bearer " + token(node)).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode f : JSON.readTree(r.body())) {
            if (f.get("key").asText().equals(flag)) {
                return f.get("version").asLong();
            }
        }
        throw new IllegalStateException("no flag " + flag + " on " + node.baseUri() + ": " + r.body());
    }

    private static String token(EdgeNode node) throws java.io.IOException {
        return Files.readString(node.dataDir().resolve("token")).trim();
    }

    /** Alternates the flag's weights so every change is a change. */
    private static HttpResponse<String> patch(EdgeNode node, String flag, long version, int i) throws Exception {
        // by the version it is based on, so the weights always differ from the flag's (a change to the
        // weights it has is refused) however many changes came before, and a retry after a refusal too
        int control = Math.floorMod(version, 2) == 0 ? 4000 : 6000;
        String body = "{\"expectedVersion\":" + version + ",\"variants\":[{\"name\":\"control\",\"weight\":" + control
                + "},{\"name\":\"treatment\",\"weight\":" + (10_000 - control) + "}],\"reason\":\"bench " + i + "\"}";
        return HTTP.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/flags/" + flag)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token(node)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String summary(long[] nanos) {
        if (nanos.length == 0) {
            return "none";
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%d)", at(s, 0.50), at(s, 0.90),
                at(s, 0.99), s[s.length - 1] / 1e6, s.length);
    }

    /** Nearest rank. */
    private static double at(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
