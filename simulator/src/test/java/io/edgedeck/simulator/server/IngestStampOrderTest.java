package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches are stamped with their arrival as their requests arrive, on HTTP threads at once, and logged in
 * the order the engine thread takes them. Each record of the ingest log carries an arrival no earlier than
 * the record before it, so a restart reads every record back in the second the core took it in live, never
 * a second early (a chat line, a decision). A log written before that, holding a record stamped earlier
 * than the one before it, is read back at the later one.
 */
class IngestStampOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void batchesSentAtOnceAreLoggedWithArrivalsInTheLogsOrder(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir);
        live.start();
        String key = live.key("ingest-key");
        int senders = 16;
        int batches = 40;
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int b = 0; b < batches; b++) {
                    String batch = "[{\"id\":\"c" + sender + "-" + b + "\",\"type\":\"chat\",\"text\":\"what a show\",\"targetingKey\":\"viewer-"
                            + sender + "\",\"channel\":\"main\",\"user\":\"u" + sender + "\"},"
                            + "{\"id\":\"l" + sender + "-" + b + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":" + (10 + b) + "}]";
                    try {
                        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", key, batch);
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        live.stopNode();

        long[] stamps = stamps(dir.resolve("ingest.log"));
        assertEquals(senders * batches, stamps.length);
        for (int i = 1; i < stamps.length; i++) {
            assertTrue(stamps[i] >= stamps[i - 1], "record " + i + " of the ingest log is stamped " + (stamps[i - 1] - stamps[i])
                    + " ms before the record before it");
        }
    }

    @Test
    void aRecordStampedBeforeTheOneBeforeItIsReadBackAtThatOne(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir);
        long started = System.currentTimeMillis();
        live.start();
        Thread.sleep(2_600);
        live.stopNode();
        // Two records as a node logged them before it stamped them in the log's order: the second batch's request
        // came 1.5 s before the first's was logged, in the second before it.
        long first = started + 2_400;
        long second = first - 1_500;
        ByteBuffer log = ByteBuffer.allocate(4096);
        record(log, first, "[{\"id\":\"early\",\"type\":\"chat\",\"text\":\"hello\",\"targetingKey\":\"viewer-1\",\"channel\":\"main\"}]");
        record(log, second, "[{\"id\":\"late\",\"type\":\"chat\",\"text\":\"hello again\",\"targetingKey\":\"viewer-2\",\"channel\":\"main\"}]");
        Files.write(dir.resolve("ingest.log"), java.util.Arrays.copyOf(log.array(), log.position()));
        live.start();
        HttpResponse<String> r = live.send("GET", "/api/v1/ingest/stats", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode kind : JSON.readTree(r.body()).get("kinds")) {
            if (kind.get("kind").asText().equals("chat")) {
                assertEquals(2, kind.get("accepted").asLong(), r.body());
                assertEquals(first, kind.get("lastSeenEpochMillis").asLong(),
                        "the core took the second record after the first: it is read back at the first's arrival, not its own");
                return;
            }
        }
        throw new AssertionError("no chat row in " + r.body());
    }

    private static void record(ByteBuffer log, long at, String events) {
        byte[] payload = events.getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, at));
        crc.update(payload);
        log.putInt(payload.length).putInt((int) crc.getValue()).putLong(at).put(payload);
    }

    /** The arrival each record of the ingest log carries, in the log's order. */
    private static long[] stamps(Path file) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Long> stamps = new ArrayList<>();
        while (bytes.remaining() >= 16) {
            int length = bytes.getInt() & ~(1 << 30 | 1 << 29);
            bytes.getInt();
            stamps.add(bytes.getLong());
            bytes.position(bytes.position() + length);
        }
        return stamps.stream().mapToLong(Long::longValue).toArray();
    }
}
