package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node in a process of its own takes batches from four senders at once and is killed with
 * SIGKILL while they send. Started again on the same data directory, it counts every event it
 * acknowledged (and may count events of the batches in flight, which were never acknowledged), and
 * knows every acknowledged event id: sending those batches again counts nothing twice.
 */
class IngestKillNineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 250;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Node(NodeProcess process, URI base, String ingest, String read) {
    }

    private static Node start(Path dir, Path config) throws Exception {
        NodeProcess p = NodeProcess.start("--live", "--node-config", config.toString(), "--port", "0", "--data-dir", dir.toString());
        return new Node(p, p.base(), Files.readString(dir.resolve("ingest-key")).trim(), Files.readString(dir.resolve("read-key")).trim());
    }

    private static String batch(int sender, int n) {
        StringJoiner out = new StringJoiner("\n");
        for (int i = 0; i < BATCH; i++) {
            out.add("{\"id\":\"s" + sender + "-b" + n + "-" + i + "\",\"type\":\"latency\",\"pop\":\"iad\",\"ms\":" + (10 + i % 50) + "}");
        }
        return out.toString();
    }

    private HttpResponse<String> send(Node node, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.base().resolve("/ingest/v1/events")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + node.ingest()).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long latencyAccepted(Node node) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.base().resolve("/api/v1/ingest/stats"))
                .header("Authorization", "Bearer " + node.read()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode k : JSON.readTree(r.body()).get("kinds")) {
            if (k.get("kind").asText().equals("latency")) return k.get("accepted").asLong();
        }
        throw new AssertionError(r.body());
    }

    @Test
    void everyAcknowledgedEventSurvivesSigkill(@TempDir Path dir, @TempDir Path configDir) throws Exception {
        Path config = configDir.resolve("node.json");
        Files.writeString(config, """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "kill-test",
                 "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}]}""");
        Node first = start(dir, config);
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        List<Thread> senders = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int sender = s;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int n = 0; sending.get(); n++) {
                    String body = batch(sender, n);
                    attempts.incrementAndGet();
                    try {
                        HttpResponse<String> r = send(first, body);
                        if (r.statusCode() == 200 && JSON.readTree(r.body()).get("accepted").asInt() == BATCH) {
                            acknowledged.add(body);
                        }
                    } catch (Exception killed) {
                        return;
                    }
                }
            }));
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (acknowledged.size() < 40 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        first.process().kill();
        sending.set(false);
        for (Thread t : senders) t.join(15_000);
        int acked = acknowledged.size();
        assertTrue(acked >= 40, "batches acknowledged before the kill: " + acked);
        assertTrue(attempts.get() > acked, "the kill came while batches were in flight");

        Node second = start(dir, config);
        try {
            long counted = latencyAccepted(second);
            assertTrue(counted >= (long) acked * BATCH, counted + " events counted after the restart, " + (acked * BATCH)
                    + " acknowledged before the kill");
            assertTrue(counted % BATCH == 0, "a batch is durable whole or not at all: " + counted);
            for (String body : acknowledged) {
                HttpResponse<String> again = send(second, body);
                assertEquals(200, again.statusCode(), again.body());
                assertEquals(BATCH, JSON.readTree(again.body()).get("duplicates").asInt(),
                        "every acknowledged event is known after the restart");
            }
            assertEquals(counted, latencyAccepted(second), "nothing acknowledged counts twice");
        } finally {
            second.process().close();
        }
    }
}
