package io.edgedeck.simulator.server.ingest;

import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.net.URI;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest over loopback HTTP: senders post NDJSON batches of latency events to a live node as fast
 * as it answers, and it reports sustained events/s and, per batch, the time from sending the POST
 * to the first metrics frame published after the node acknowledged it (the frame that counts it),
 * with where that time goes. A benchmark, not a test: it prints figures and leaves judging them to
 * people. The senders run in the same JVM as the node, so they take CPU from it.
 *
 * <p>{@code java -cp simulator/target/edgedeck-sim.jar io.edgedeck.simulator.server.ingest.IngestBenchmark
 * [--events N] [--batch N] [--senders N] [--units N] [--raw-sample RATE] [--kind latency|step]}: {@code --units} names one of N
 * viewers as each sample's unit, {@code --raw-sample} sets the node's {@code privacy.rawSampleRate}.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    /**
     * Batches of latency samples, each naming one of {@code units} viewers as its unit when {@code units} > 0;
     * with {@code steps}, click steps of one of {@code units} viewers instead, which the node's trigger sees.
     */
    private static List<byte[]> bodies(String prefix, int batches, int batch, int units, boolean steps) {
        List<byte[]> bodies = new ArrayList<>(batches);
        String[] pops = {"fra", "ams", "iad"};
        for (int b = 0; b < batches; b++) {
            StringBuilder s = new StringBuilder(batch * 70);
            for (int e = 0; e < batch; e++) {
                if (steps) {
                    s.append("{\"id\":\"").append(prefix).append(b).append('-').append(e)
                            .append("\",\"type\":\"step\",\"name\":\"click\",\"targetingKey\":\"viewer-")
                            .append(((long) b * batch + e) % units).append("\"}\n");
                    continue;
                }
                s.append("{\"id\":\"").append(prefix).append(b).append('-').append(e).append("\",\"type\":\"latency\",\"pop\":\"")
                        .append(pops[(b + e) % 3]).append("\",\"ms\":").append(10 + (e * 7919 % 900) / 10.0);
                if (units > 0) {
                    s.append(",\"targetingKey\":\"viewer-").append(((long) b * batch + e) % units).append('"');
                }
                s.append("}\n");
            }
            bodies.add(s.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** Sends every body from {@code senders} virtual threads, noting when each was sent and acknowledged; returns the failures. */
    private static long send(HttpClient http, URI target, String key, List<byte[]> bodies, int senders, long[] sent, long[] acked)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            threads.add(Thread.ofVirtual().start(() -> {
                int b;
                while ((b = next.getAndIncrement()) < bodies.size()) {
                    HttpRequest request = HttpRequest.newBuilder(target).header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(b))).build();
                    sent[b] = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        acked[b] = System.nanoTime();
                        if (r.statusCode() != 200) failures.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        return failures.get();
    }

    public static void main(String[] args) throws Exception {
        int events = 3_000_000;
        int batch = 500;
        int senders = 8;
        int warmup = 300_000;
        int units = 0;
        String rawSample = "";
        boolean steps = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--senders" -> senders = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--units" -> units = Integer.parseInt(args[i + 1]);
                case "--raw-sample" -> rawSample = ", \"privacy\": {\"rawSampleRate\": " + Double.parseDouble(args[i + 1]) + "}";
                case "--kind" -> steps = switch (args[i + 1]) {
                    case "latency" -> false;
                    case "step" -> true;
                    default -> throw new IllegalArgumentException("--kind is latency or step, was " + args[i + 1]);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --events N, --batch N, --senders N, --warmup N, --units N, --raw-sample RATE, --kind latency|step");
            }
        }
        int batches = events / batch;
        if (steps && units == 0) {
            units = 100_000;
        }
        // Steps are what a trigger reads: the node has one, so each step counts toward it.
        String trigger = !steps ? "" : """
                , "triggers": [{"id": "hot-clicker", "kinds": ["click", "click", "click"], "count": 3, "withinSeconds": 20,
                 "ordered": false, "action": "surface-checkout"}]""";
        Path dir = Files.createTempDirectory("edgedeck-ingest-bench");
        String config = """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "ingest-bench",
                 "pops": [{"id": "fra", "region": "eu"}, {"id": "ams", "region": "eu"}, {"id": "iad", "region": "na"}],
                 "ingest": {"maxBatchEvents": %d, "maxBatchBytes": 67108864, "maxEventsPerSecond": 100000000}%s%s}""".formatted(batch, rawSample, trigger);
        List<byte[]> bodies = bodies("b", batches, batch, units, steps);
        List<byte[]> warmBodies = bodies("w", warmup / batch, batch, units, steps);
        try (EdgeNode node = EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.parse(config.getBytes(StandardCharsets.UTF_8)),
                InetAddress.getLoopbackAddress(), 0, dir));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            String key = Files.readString(node.ingestKeyFile()).trim();
            URI target = node.baseUri().resolve("/ingest/v1/events");
            long[] frameTimes = new long[1 << 20];
            AtomicInteger frameCount = new AtomicInteger();
            node.runner().subscribe(f -> {
                int n = frameCount.getAndIncrement();
                if (n < frameTimes.length) frameTimes[n] = System.nanoTime();
            });
            // Warm the JIT on both sides before anything is timed.
            send(http, target, key, warmBodies, senders, new long[warmBodies.size()], new long[warmBodies.size()]);
            long[] sent = new long[batches];
            long[] acked = new long[batches];
            long start = System.nanoTime();
            long failures = send(http, target, key, bodies, senders, sent, acked);
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(600);
            long[] frames = Arrays.copyOf(frameTimes, Math.min(frameCount.get(), frameTimes.length));
            Histogram toAck = new Histogram(60_000_000, 3);
            Histogram toFrame = new Histogram(60_000_000, 3);
            for (int b = 0; b < batches; b++) {
                if (acked[b] == 0) continue;
                toAck.recordValue((acked[b] - sent[b]) / 1000);
                int at = Arrays.binarySearch(frames, acked[b]);
                int first = at >= 0 ? at : -at - 1;
                if (first < frames.length) toFrame.recordValue((frames[first] - sent[b]) / 1000);
            }
            IngestLog log = node.intake().orElseThrow().log();
            System.out.printf(Locale.ROOT, "ingest: %,d events in %,d batches of %d from %d senders in %.2f s: %,.0f events/s (%d failed)%n",
                    (long) batches * batch, batches, batch, senders, seconds, batches * (double) batch / seconds, failures);
            System.out.printf(Locale.ROOT, "POST to acknowledged (ms): p50 %.1f  p99 %.1f  max %.1f%n",
                    toAck.getValueAtPercentile(50) / 1000.0, toAck.getValueAtPercentile(99) / 1000.0, toAck.getMaxValue() / 1000.0);
            System.out.printf(Locale.ROOT, "POST to the frame that counts it (ms): p50 %.1f  p99 %.1f  max %.1f%n",
                    toFrame.getValueAtPercentile(50) / 1000.0, toFrame.getValueAtPercentile(99) / 1000.0, toFrame.getMaxValue() / 1000.0);
            System.out.printf(Locale.ROOT, "ingest log: %,d batches in %,d group commits (%.1f per fsync), fsync mean %.2f ms%n",
                    log.records(), log.groups(), log.records() / (double) Math.max(1, log.groups()),
                    log.syncNanos() / 1e6 / Math.max(1, log.groups()));
            System.out.printf(Locale.ROOT, "node: %,d %s events counted%n",
                    node.intake().orElseThrow().stats().kind(steps ? "step" : "latency").accepted(), steps ? "step" : "latency");
        }
    }
}
