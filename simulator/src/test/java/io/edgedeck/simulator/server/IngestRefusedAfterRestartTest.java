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
import java.util.zip.CRC32C;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event the node answered as refused for its {@code at} (too far ahead of the node's clock,
 * older than the dedupe window, not an epoch time) stays refused when the node is restarted on its
 * data directory: the ingest log keeps the whole batch as it came, and reading it back judges each
 * event's {@code at} against the clock at its arrival, as the node did when it answered. A sender
 * told "refused" never finds the event counted after a restart, and one told "accepted" always does.
 */
class IngestRefusedAfterRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "replay-refusals",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}]}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private JsonNode latency() throws Exception {
        return kind("latency");
    }

    private JsonNode stats() throws Exception {
        HttpResponse<String> r = live.send("GET", "/api/v1/ingest/stats", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode kind(String name) throws Exception {
        JsonNode stats = stats();
        for (JsonNode kind : stats.get("kinds")) {
            if (kind.get("kind").asText().equals(name)) {
                return kind;
            }
        }
        throw new AssertionError("no " + name + " row in " + stats);
    }

    @Test
    void eventsRefusedForTheirTimeAreNotCountedAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        long now = System.currentTimeMillis();
        String batch = "[{\"id\":\"ok\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + now + "},"
                + "{\"id\":\"ahead\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + (now + 3_600_000) + "},"
                + "{\"id\":\"far-ahead\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + Long.MAX_VALUE + "},"
                + "{\"id\":\"stale\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":" + (now - 3_600_000) + "},"
                + "{\"id\":\"negative\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40,\"at\":-1}]";
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), batch);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(1, answer.get("accepted").asInt(), r.body());
        assertEquals(4, answer.get("refused").size(), r.body());
        for (JsonNode refused : answer.get("refused")) {
            assertEquals("at", refused.get("field").asText(), r.body());
        }
        assertEquals(1, latency().get("accepted").asLong());
        assertEquals(4, latency().get("refused").asLong());

        live.stopNode();
        live.start();
        assertEquals(1, latency().get("accepted").asLong(), "the restarted node counts what it accepted, and only that");
        assertEquals(4, latency().get("refused").asLong());

        // A refused event was not remembered: corrected, under the same id, it is taken now.
        HttpResponse<String> again = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"ahead\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":40}]");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(1, JSON.readTree(again.body()).get("accepted").asInt(), again.body());
        await("the corrected event counts", () -> {
            try {
                return latency().get("accepted").asLong() == 2;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * A number too large for a double is refused by its range with the number as sent ({@code 1e400}), not
     * as the "Infinity" a double makes of it, and counts as its kind's refusal, where {@code -5} counts; a bad
     * status (out of range, a text, a fraction) refuses its event alone, the events around it taken; and a
     * restart counts what was taken, and only that.
     */
    @Test
    void valuesRefusedAsSentRefuseTheirEventAloneAndStayRefusedAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String batch = "[{\"id\":\"big\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400},"
                + "{\"id\":\"v1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10},"
                + "{\"id\":\"big-value\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":-1E+400},"
                + "{\"id\":\"big-stage\",\"type\":\"checkout\",\"checkoutId\":\"c1\",\"pop\":\"fra\",\"state\":\"authorised\","
                + "\"validateMs\":1e400,\"enrichMs\":1,\"actMs\":1},"
                + "{\"id\":\"minus\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":-5},"
                + "{\"id\":\"s999\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"status\":999},"
                + "{\"id\":\"v2\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10},"
                + "{\"id\":\"sabc\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"status\":\"abc\"},"
                + "{\"id\":\"sfrac\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"status\":200.5},"
                + "{\"id\":\"sbig\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"status\":2147483648},"
                + "{\"id\":\"v3\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10}]";
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), batch);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(3, answer.get("accepted").asInt(), r.body());
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        for (JsonNode e : answer.get("refused")) {
            refused.put(e.get("id").asText(), e.get("field").asText() + ": " + e.get("reason").asText());
        }
        assertEquals(java.util.Map.of(
                "big", "ms: must be between 0 and 120000, was 1e400",
                "big-value", "value: must be an amount from 0 to 1e12, was -1E+400",
                "big-stage", "validateMs: must be a time from 0 to 120000 ms, was 1e400",
                "minus", "ms: must be between 0 and 120000, was -5",
                "s999", "status: must be an HTTP status from 100 to 599, was 999",
                "sabc", "status: must be an HTTP status code, was a string",
                "sfrac", "status: must be an HTTP status code, was 200.5",
                "sbig", "status: must be an HTTP status code, was 2147483648"), refused, r.body());
        assertEquals(3, latency().get("accepted").asLong());
        // big, minus and s999 are latencies refused for their values; sabc, sfrac and sbig could not be read.
        assertEquals(3, latency().get("refused").asLong(), stats().toString());
        assertEquals(1, kind("conversion").get("refused").asLong(), stats().toString());
        assertEquals(1, kind("checkout").get("refused").asLong(), stats().toString());
        assertEquals(3, stats().get("unreadable").asLong(), stats().toString());

        // A batch of such events alone is answered as a batch of events the core refused: 200, each refused.
        HttpResponse<String> alone = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"big2\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400}]");
        assertEquals(200, alone.statusCode(), alone.body());
        assertEquals("must be between 0 and 120000, was 1e400",
                JSON.readTree(alone.body()).get("refused").get(0).get("reason").asText(), alone.body());
        assertEquals(4, latency().get("refused").asLong(), stats().toString());
        assertEquals(3, stats().get("unreadable").asLong(), stats().toString());
        // The lane's latency row names the last refusal as the producer reads it.
        HttpResponse<String> sources = live.send("GET", "/api/v1/sources", live.key("read-key"), null);
        assertEquals(200, sources.statusCode(), sources.body());
        assertTrue(sources.body().contains("ms must be between 0 and 120000, was 1e400"), sources.body());

        assertEquals(3, acceptedAfterRestart(3), "the restarted node counts the three latencies it took, and only those");
        // Refused, none was remembered: sent again right, under the same id, each is taken.
        HttpResponse<String> again = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"big\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12},"
                        + "{\"id\":\"s999\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"status\":503}]");
        assertEquals(2, JSON.readTree(again.body()).get("accepted").asInt(), again.body());
    }

    /**
     * Every refusal the node counted counts the same after a restart, however it was refused: by the core
     * ({@code -5}), as the batch was read for a number out of range ({@code 1e400}, a number of 70 digits,
     * which count alike, as the latency kind's refusals) or for its shape (a string of over 64 KiB:
     * unreadable), in a batch with events taken, in one whose every event is refused for its range (200) and
     * in one none of whose events could be read (400). The figures, the lane's latency row and
     * {@code /metrics} read the same before and after.
     */
    @Test
    void everyRefusalCountsTheSameAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        String digits = "1234567890".repeat(7);
        String mixed = "[{\"id\":\"r-big\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400},"
                + "{\"id\":\"r-ok\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10},"
                + "{\"id\":\"r-digits\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":" + digits + "},"
                + "{\"id\":\"r-long\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"source\":\"" + "x".repeat(70 * 1024) + "\"},"
                + "{\"id\":\"r-minus\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":-5}]";
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), mixed);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, JSON.readTree(r.body()).get("accepted").asInt(), r.body());
        HttpResponse<String> ranges = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"all-big\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400},"
                        + "{\"id\":\"all-digits\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u1\",\"value\":" + digits + "}]");
        assertEquals(200, ranges.statusCode(), ranges.body());
        assertEquals(2, JSON.readTree(ranges.body()).get("refused").size(), ranges.body());
        HttpResponse<String> unreadable = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"bad-status\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"status\":\"abc\"}]");
        assertEquals(400, unreadable.statusCode(), unreadable.body());

        JsonNode before = stats();
        assertEquals(1, kind("latency").get("accepted").asLong(), before.toString());
        // 1e400, the 70 digits and -5 of the first batch, and 1e400 of the second: refused latencies all.
        assertEquals(4, kind("latency").get("refused").asLong(), before.toString());
        assertEquals(1, kind("conversion").get("refused").asLong(), before.toString());
        // The string of over 64 KiB, and the status no event could be read past.
        assertEquals(2, before.get("unreadable").asLong(), before.toString());
        String rowBefore = latencyRow();
        String metricsBefore = ingestMetrics();

        live.stopNode();
        live.start();
        assertEquals(figures(before), figures(stats()), "the restarted node counts every refusal it counted, and only those");
        assertEquals(rowBefore, latencyRow());
        assertEquals(metricsBefore, ingestMetrics());
    }

    /**
     * An event of 16 levels in a JSON array (15 lists in a field, the event's own object its first level) is taken as in
     * NDJSON, and counts the same after a restart: in a batch logged as it came, which the restart reads again, and beside
     * an event of 17 levels, refused as it was read.
     */
    @Test
    void anEventOfSixteenLevelsInAJsonArrayCountsTheSameAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        java.util.function.BiFunction<String, Integer, String> nested = (id, lists) -> "{\"id\":\"" + id
                + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":10,\"extra\":" + "[".repeat(lists) + "]".repeat(lists) + "}";
        HttpResponse<String> whole = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[" + nested.apply("deep-15", 15) + "]");
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals(1, JSON.readTree(whole.body()).get("accepted").asInt(), whole.body());
        HttpResponse<String> mixed = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[" + nested.apply("deep-15-b", 15) + "," + nested.apply("deep-16", 16) + "]");
        assertEquals(200, mixed.statusCode(), mixed.body());
        assertEquals(1, JSON.readTree(mixed.body()).get("accepted").asInt(), mixed.body());
        assertEquals("extra", JSON.readTree(mixed.body()).get("refused").get(0).get("field").asText(), mixed.body());
        JsonNode before = stats();
        assertEquals(2, kind("latency").get("accepted").asLong(), before.toString());
        assertEquals(1, before.get("unreadable").asLong(), before.toString());

        assertEquals(2, acceptedAfterRestart(2));
        assertEquals(figures(before), figures(stats()), "the restarted node counts what it counted, and only that");
    }

    /** The figures by kind (accepted, refused, when the last came), the duplicates and the unreadable events. */
    private static String figures(JsonNode stats) {
        StringBuilder out = new StringBuilder();
        for (JsonNode kind : stats.get("kinds")) {
            out.append(kind.get("kind").asText()).append(' ').append(kind.get("accepted")).append(' ').append(kind.get("refused"))
                    .append(" last seen ").append(kind.get("lastSeenEpochMillis")).append('\n');
        }
        return out.append("duplicates ").append(stats.get("duplicates")).append(" unreadable ").append(stats.get("unreadable")).toString();
    }

    /** The ingest lane's latency row: events, duplicates, the newest event's time, and each reason's count and last message. */
    private String latencyRow() throws Exception {
        HttpResponse<String> r = live.send("GET", "/api/v1/sources", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode sources = JSON.readTree(r.body());
        for (JsonNode row : sources.has("sources") ? sources.get("sources") : sources) {
            if (row.get("kind").asText().equals("ingest") && row.get("name").asText().equals("latency")) {
                StringBuilder out = new StringBuilder("events " + row.get("events") + " duplicates " + row.get("duplicates")
                        + " last " + row.get("lastEventMillis"));
                for (JsonNode e : row.get("errors")) {
                    out.append('\n').append(e.get("reason").asText()).append(' ').append(e.get("count")).append(' ')
                            .append(e.get("lastMessage").asText());
                }
                return out.toString();
            }
        }
        throw new AssertionError("no ingest latency row in " + r.body());
    }

    /** The ingest figures {@code /metrics} gives: events by kind and outcome, duplicates and unreadable. */
    private String ingestMetrics() throws Exception {
        HttpResponse<String> r = live.send("GET", "/metrics", live.key("read-key"), null);
        assertEquals(200, r.statusCode(), r.body());
        String metrics = r.body().lines().filter(l -> l.startsWith("edgedeck_ingest_events_total")
                || l.startsWith("edgedeck_ingest_duplicate_events_total") || l.startsWith("edgedeck_ingest_unreadable_events_total"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(metrics.contains("unreadable"), r.body());
        return metrics;
    }

    /** One event of two sends {@code ms} twice. */
    private static String twice(String firstId, String secondId) {
        return "[{\"id\":\"" + firstId + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"ms\":900},"
                + "{\"id\":\"" + secondId + "\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":30}]";
    }

    private long acceptedAfterRestart(long expected) throws Exception {
        live.stopNode();
        live.start();
        await("the restarted node has replayed its ingest log", () -> {
            try {
                return latency().get("accepted").asLong() >= expected;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return latency().get("accepted").asLong();
    }

    @Test
    void anEventThatSentAFieldTwiceStaysRefusedAfterARestart(@TempDir Path dir) throws Exception {
        // The node keeps every raw batch as it came (privacy.rawSampleRate 1, the default).
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        HttpResponse<String> r = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), twice("twice", "once"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(1, answer.get("accepted").asInt(), r.body());
        assertEquals("ms", answer.get("refused").get(0).get("field").asText(), r.body());
        assertEquals(1, latency().get("accepted").asLong());

        assertEquals(1, acceptedAfterRestart(1), "the event refused for sending ms twice is not counted after a restart");

        // Refused, it was not remembered: sent again right, under the same id, it is taken.
        HttpResponse<String> again = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"twice\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12}]");
        assertEquals(1, JSON.readTree(again.body()).get("accepted").asInt(), again.body());
        assertEquals(2, acceptedAfterRestart(2));
    }

    @Test
    void aBatchAnEarlierVersionLoggedWithAFieldSentTwiceIsReadWithTheLastValue(@TempDir Path dir) throws Exception {
        // A record as an earlier version logged it: that version took the event sending ms twice, with the last value.
        byte[] payload = twice("old-twice", "old-once").getBytes(StandardCharsets.UTF_8);
        long at = System.currentTimeMillis();
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, at));
        crc.update(payload);
        Files.write(dir.resolve("ingest.log"), ByteBuffer.allocate(16 + payload.length).putInt(payload.length)
                .putInt((int) crc.getValue()).putLong(at).put(payload).array());
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        assertEquals(2, latency().get("accepted").asLong(), "both events of the earlier version's record count");
        assertEquals(2, acceptedAfterRestart(2), "and still do once this version has written to the log");
    }

    /**
     * Upgrading from a build that kept only the key of a refused event's id, or no key at all: the events it refused as
     * it read them count as they did once the node reads its log back, and a batch sent again after the upgrade counts
     * them as LIVE.md's "Upgrading from an earlier build" says: the one refused for a number out of range whose line
     * kept its id's key once, the unreadable one and the one of the keyless line once more.
     */
    @Test
    void refusalsAnEarlierBuildLoggedCountAsTheUpgradeNotesSayWhenTheirBatchIsSentAgain(@TempDir Path dir) throws Exception {
        // The unit key the node will use, made before it starts, as its first start would.
        io.edgedeck.simulator.server.privacy.UnitKeys keys = io.edgedeck.simulator.server.privacy.UnitKeys.loadOrCreate(dir);
        String reason = "must be between 0 and 120000, was 1e400";
        String keptIdsKey = "!{\"refused\":[{\"index\":0,\"id\":\"" + keys.key("old-big") + "\",\"kind\":\"latency\",\"field\":\"ms\","
                + "\"reason\":\"" + reason + "\"},{\"index\":1,\"id\":\"" + keys.key("old-twice") + "\"}]}\n[]";
        String keptNoKey = "!{\"refused\":[{\"index\":0,\"kind\":\"latency\",\"field\":\"ms\",\"reason\":\"" + reason + "\"}]}\n[]";
        long at = System.currentTimeMillis();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        for (String record : new String[] {keptIdsKey, keptNoKey}) {
            byte[] payload = record.getBytes(StandardCharsets.UTF_8);
            CRC32C crc = new CRC32C();
            crc.update(ByteBuffer.allocate(8).putLong(0, at));
            crc.update(payload);
            log.write(ByteBuffer.allocate(16 + payload.length).putInt(payload.length).putInt((int) crc.getValue()).putLong(at)
                    .put(payload).array());
        }
        Files.write(dir.resolve("ingest.log"), log.toByteArray());
        live = new LiveNodeFixture(CONFIG, dir);
        live.start();
        assertEquals(2, latency().get("refused").asLong(), "both out-of-range refusals count as they did: " + stats());
        assertEquals(1, stats().get("unreadable").asLong(), stats().toString());

        HttpResponse<String> again = live.send("POST", "/ingest/v1/events", live.key("ingest-key"),
                "[{\"id\":\"old-big\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400},"
                        + "{\"id\":\"old-twice\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12,\"ms\":900},"
                        + "{\"id\":\"old-keyless\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400},"
                        + "{\"id\":\"new-ok\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":12}]");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(3, JSON.readTree(again.body()).get("refused").size(), "each is told refused: " + again.body());
        assertEquals(3, latency().get("refused").asLong(), "old-big counts once; the keyless line's refusal once more: " + stats());
        assertEquals(2, stats().get("unreadable").asLong(), "the line kept no fault for old-twice: once more: " + stats());

        assertEquals(1, acceptedAfterRestart(1));
        assertEquals(3, latency().get("refused").asLong(), "the same after a restart: " + stats());
        assertEquals(2, stats().get("unreadable").asLong(), stats().toString());
    }
}
