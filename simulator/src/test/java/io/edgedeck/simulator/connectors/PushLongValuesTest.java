package io.edgedeck.simulator.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.connectors.cdn.CdnLogEndpoint;
import io.edgedeck.simulator.connectors.cdn.CdnLogsConfig;
import io.edgedeck.simulator.connectors.cdn.FieldMapping;
import io.edgedeck.simulator.connectors.chat.ChatWebhook;
import io.edgedeck.simulator.connectors.chat.ChatWebhookConfig;
import io.edgedeck.simulator.server.http.PeerValues;
import io.edgedeck.simulator.server.http.RetainedHeap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A number of more than 64 digits or a string of over 64 KiB in one record of a CDN log push (Fastly, Cloudflare
 * Logpush, a custom mapping) or a chat push refuses that record alone, named by its field in the project's
 * words, in a JSON array as in NDJSON, and every other record of the batch is taken: the parser stopped at
 * such a number, losing every record after it in an array, and its own wording named the next element.
 */
class PushLongValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "push-long-values-secret";
    private static final String DIGITS = "1234567890".repeat(110);
    private static final long T = 1_777_665_600_000L;
    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingSink sink = new RecordingSink();
    private LoopbackPushServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An endpoint, the field a long number goes in, and a record with {@code value} there (null: a good one). */
    private record Case(String name, String path, PushConnector connector, String field, Function<String, String> record) {
    }

    private List<Case> cases() {
        Map<String, String> pops = Map.of("FRA", "fra", "AMS1", "ams");
        return List.of(
                new Case("fastly", "/connectors/cdn/fastly", new CdnLogEndpoint(new CdnLogsConfig("fastly", "fastly", Secret.of(SECRET),
                        null, pops, null, null, null), sink, InstantSource.system()), "ttfb",
                        v -> "{\"time\":" + T + ",\"pop\":\"FRA\",\"ttfb\":" + (v == null ? "0.021" : v) + ",\"status\":200,\"id\":\"%s\"}"),
                new Case("cloudflare", "/connectors/cdn/cloudflare", new CdnLogEndpoint(new CdnLogsConfig("cloudflare", "cloudflare",
                        Secret.of(SECRET), null, pops, null, null, null), sink, InstantSource.system()), "EdgeStartTimestamp",
                        v -> "{\"RayID\":\"%s\",\"EdgeStartTimestamp\":" + (v == null ? T : v)
                                + ",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":21,\"EdgeResponseStatus\":200}"),
                new Case("other", "/connectors/cdn/other", new CdnLogEndpoint(new CdnLogsConfig("other", "custom", Secret.of(SECRET), null,
                        pops, new FieldMapping("edge.pop", "timing.ttfbUs", 0.001, null, "ts", "reqId"), null, null), sink,
                        InstantSource.system()), "timing.ttfbUs",
                        v -> "{\"reqId\":\"%s\",\"edge\":{\"pop\":\"AMS1\"},\"timing\":{\"ttfbUs\":" + (v == null ? "21000" : v) + "},\"ts\":" + T + "}"),
                new Case("chat", "/connectors/chat/youtube", new ChatWebhook(new ChatWebhookConfig("youtube", Secret.of(SECRET), null,
                        "youtube:my-show", null), sink, InstantSource.system()), "at",
                        v -> "{\"id\":\"%s\",\"text\":\"great drop\",\"at\":" + (v == null ? T : v) + "}"));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("X-EdgeDeck-Secret", SECRET).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The 200 answer to {@code records} sent to {@code c}'s endpoint, as an array or NDJSON, that took and refused as many as said. */
    private JsonNode answered(Case c, boolean array, List<String> records, int accepted, int refused) throws Exception {
        return answered(c, join(array, records), c.name() + (array ? " array" : " NDJSON"), accepted, refused);
    }

    private JsonNode answered(Case c, String body, String label, int accepted, int refused) throws Exception {
        HttpResponse<String> r = post(c.path(), body);
        String where = label + ": " + r.body();
        assertEquals(200, r.statusCode(), where);
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(accepted, answer.get("accepted").asInt(), where);
        assertEquals(refused, answer.get("refused").asInt(), where);
        return answer;
    }

    private static void assertRefused(JsonNode line, int number, String reason, String field, String detail) {
        assertEquals(number, line.get("line").asInt(), line.toString());
        assertEquals(reason, line.get("reason").asText(), line.toString());
        assertEquals(field, line.get("field").asText(), line.toString());
        assertEquals(detail, line.get("detail").asText(), line.toString());
    }

    private static String join(boolean array, List<String> records) {
        return array ? "[" + String.join(",", records) + "]" : String.join("\n", records) + "\n";
    }

    private List<Case> mounted() throws Exception {
        List<Case> cases = cases();
        server = new LoopbackPushServer();
        for (Case c : cases) {
            c.connector().start();
            server.mount(c.path(), c.connector()::handle);
        }
        return cases;
    }

    @Test
    void aNumberOfMoreThan64DigitsRefusesItsRecordAloneNamingItsField() throws Exception {
        for (Case c : mounted()) {
            for (boolean array : new boolean[] {true, false}) {
                String tag = c.name() + (array ? "-array-" : "-lines-");
                List<String> records = List.of(c.record().apply(null).formatted(tag + 1), c.record().apply(DIGITS).formatted(tag + 2),
                        c.record().apply(null).formatted(tag + 3), c.record().apply(null).formatted(tag + 4),
                        // A long number in a field the connector does not read is left unread, as the ingest API's.
                        c.record().apply(null).formatted(tag + 5).replaceFirst("\\}$", ",\"extra\":" + DIGITS + "}"));
                JsonNode answer = answered(c, array, records, 4, 1);
                assertRefused(answer.get("lines").get(0), 2, "bad-value", c.field(),
                        c.field() + " must be a number of at most 64 digits, was " + DIGITS.substring(0, 40) + "... (1100 digits)");
            }
        }
        List<String> ids = sink.events().stream().map(IngestEvent::id).toList();
        assertFalse(ids.stream().anyMatch(id -> id.endsWith("-2")), ids.toString());
        assertTrue(ids.contains("cdn:fastly:fastly-array-4") && ids.contains("chat:youtube:chat-array-5"), ids.toString());
    }

    @Test
    void aStringOfOver64KiBInAnArrayRefusesItsRecordAloneNamingItsField() throws Exception {
        String big = "x".repeat(70 * 1024);
        for (Case c : mounted()) {
            String tag = c.name() + "-big-";
            List<String> records = List.of(c.record().apply(null).formatted(tag + 1),
                    c.record().apply(null).formatted(tag + 2).replaceFirst("\\}$", ",\"note\":\"" + big + "\"}"),
                    c.record().apply(null).formatted(tag + 3));
            HttpResponse<String> r = post(c.path(), join(true, records));
            String where = c.name() + ": " + r.body();
            assertEquals(200, r.statusCode(), where);
            JsonNode answer = JSON.readTree(r.body());
            assertEquals(2, answer.get("accepted").asInt(), where);
            JsonNode line = answer.get("lines").get(0);
            assertEquals(2, line.get("line").asInt(), where);
            assertEquals("line-too-long", line.get("reason").asText(), where);
            assertEquals("note", line.get("field").asText(), where);
            assertTrue(line.get("detail").asText().endsWith("over the limit of 65536 bytes; note must be a string of at most 65536"
                    + " characters, was 71680 characters"), where);
        }
    }

    /**
     * A record nested deeper than 1000 levels, or holding a field name of more than 50000 characters, is refused alone
     * ({@code bad-value}, named by its field), in a JSON array as in NDJSON, and every other record is taken: the
     * parser's own limits stopped an array there, losing every record after it.
     */
    @Test
    void aRecordTooDeepOrWithAFieldNameTooLongIsRefusedAloneTheOthersTaken() throws Exception {
        String longName = "n".repeat(60_000);
        for (Case c : mounted()) {
            for (boolean array : new boolean[] {true, false}) {
                String tag = c.name() + (array ? "-deep-array-" : "-deep-lines-");
                List<String> records = List.of(c.record().apply(null).formatted(tag + 1),
                        c.record().apply(null).formatted(tag + 2).replaceFirst("\\}$", ",\"extra\":" + "[".repeat(2000) + "]".repeat(2000) + "}"),
                        c.record().apply(null).formatted(tag + 3),
                        c.record().apply(null).formatted(tag + 4).replaceFirst("\\}$", ",\"" + longName + "\":1}"),
                        c.record().apply(null).formatted(tag + 5));
                JsonNode answer = answered(c, array, records, 3, 2);
                assertRefused(answer.get("lines").get(0), 2, "bad-value", "extra", "extra is nested deeper than 1000 levels of objects and arrays");
                String shown = "n".repeat(40) + "... (60000 characters)";
                assertRefused(answer.get("lines").get(1), 4, "bad-value", shown, shown + " is a field name longer than 50000 characters");
            }
        }
        List<String> ids = sink.events().stream().map(IngestEvent::id).toList();
        assertTrue(ids.stream().noneMatch(id -> id.endsWith("-2") || id.endsWith("-4")), ids.toString());
        assertTrue(ids.contains("cdn:fastly:fastly-deep-array-5") && ids.contains("chat:youtube:chat-deep-lines-5"), ids.toString());
    }

    /**
     * A refusal repeats a field's name as it repeats a value, once: its first 40 characters and its size, for a name
     * holding a record nested too deep, and for the name of the object that holds a name too long deeper in.
     */
    @Test
    void aRefusalRepeatsALongFieldNameByItsStartAndItsSize() throws Exception {
        String deepIn = "k".repeat(45_000);
        String holder = "o".repeat(10_000);
        for (Case c : mounted()) {
            for (boolean array : new boolean[] {true, false}) {
                String tag = c.name() + (array ? "-named-array-" : "-named-lines-");
                List<String> records = List.of(c.record().apply(null).formatted(tag + 1),
                        c.record().apply(null).formatted(tag + 2).replaceFirst("\\}$", ",\"" + deepIn + "\":" + "[".repeat(1001)
                                + "]".repeat(1001) + "}"),
                        c.record().apply(null).formatted(tag + 3).replaceFirst("\\}$", ",\"" + holder + "\":{\"" + "j".repeat(50_001)
                                + "\":1}}"),
                        c.record().apply(null).formatted(tag + 4));
                JsonNode answer = answered(c, array, records, 2, 2);
                String deep = "k".repeat(40) + "... (45000 characters)";
                assertRefused(answer.get("lines").get(0), 2, "bad-value", deep, deep + " is nested deeper than 1000 levels of objects and arrays");
                String held = "o".repeat(40) + "... (10000 characters)";
                assertRefused(answer.get("lines").get(1), 3, "bad-value", held, held + " holds a field name longer than 50000 characters");
            }
        }
    }

    /** A record over {@code maxLineBytes} for a field name of 70000 characters names it by its start and its own size. */
    @Test
    void aRecordTooLongForALongFieldNameGivesTheNamesOwnSize() throws Exception {
        String longName = "n".repeat(70_000);
        for (Case c : mounted()) {
            for (boolean array : new boolean[] {true, false}) {
                String tag = c.name() + (array ? "-long-name-array-" : "-long-name-lines-");
                List<String> records = List.of(c.record().apply(null).formatted(tag + 1),
                        c.record().apply(null).formatted(tag + 2).replaceFirst("\\}$", ",\"" + longName + "\":1}"),
                        c.record().apply(null).formatted(tag + 3));
                JsonNode line = answered(c, array, records, 2, 1).get("lines").get(0);
                String shown = "n".repeat(40) + "... (70000 characters)";
                assertEquals(2, line.get("line").asInt(), line.toString());
                assertEquals("line-too-long", line.get("reason").asText(), line.toString());
                assertEquals(shown, line.get("field").asText(), line.toString());
                assertTrue(line.get("detail").asText().endsWith("over the limit of 65536 bytes; " + shown
                        + " is a field name longer than 50000 characters"), line.toString());
            }
        }
    }

    /**
     * A field name longer than the parser reads ({@link PeerValues#PARSER_NAME_BYTES}: it keeps each name it reads for
     * the node's life) stops the reading of a JSON array there, as nesting past its depth does: the answer says why,
     * and what of the elements before it was taken.
     */
    @Test
    void aFieldNameLongerThanTheParserReadsBreaksTheArrayThereSayingSo() throws Exception {
        assertTrue(PeerValues.parserLimits().getMaxNameLength() >= 3 * PeerValues.MAX_NAME_CHARS
                && PeerValues.parserLimits().getMaxNameLength() <= 4 * PeerValues.MAX_NAME_CHARS, PeerValues.parserLimits().toString());
        String name = "n".repeat(PeerValues.PARSER_NAME_BYTES + 1);
        for (Case c : mounted()) {
            String tag = c.name() + "-huge-name-";
            String body = join(true, List.of(c.record().apply(null).formatted(tag + 1),
                    c.record().apply(null).formatted(tag + 2).replaceFirst("\\}$", ",\"" + name + "\":1}"),
                    c.record().apply(null).formatted(tag + 3)));
            JsonNode line = answered(c, body, c.name(), 1, 1).get("lines").get(0);
            assertRefused(line, 2, "malformed-line", "body", "the JSON array breaks in element 2: it holds a field name longer than "
                    + PeerValues.PARSER_NAME_BYTES + " bytes, past which its end is not looked for; of the 1 element before it, 1 was"
                    + " taken; the rest of the body was not read: send element 2 and those after it again");
        }
    }

    /**
     * A JSON array that breaks (a string left open) stops the reading there: the answer says how many of the
     * elements before it were taken, and that the rest of the body was not read.
     */
    @Test
    void anArrayThatBreaksSaysHowManyRecordsWereTakenAndThatTheRestWasNotRead() throws Exception {
        for (Case c : mounted()) {
            String tag = c.name() + "-open-";
            String body = "[" + c.record().apply(null).formatted(tag + 1) + "," + c.record().apply(null).formatted(tag + 2)
                    + ",{\"id\": \"never closed}]";
            JsonNode line = answered(c, body, c.name(), 2, 1).get("lines").get(0);
            assertRefused(line, 3, "malformed-line", "body", "the JSON array breaks in element 3: Unexpected end-of-input in VALUE_STRING;"
                    + " of the 2 elements before it, 2 were taken; the rest of the body was not read: send element 3 and those after it again");
        }
    }

    /**
     * Field names a push sender sends, each unique and long, are dropped with their request, in an array as in NDJSON:
     * a factory shared by every request would keep them for the node's life (about 40 MB here).
     */
    @Test
    void fieldNamesSentAreNotKeptPastTheirRequest() throws Exception {
        Case fastly = mounted().getFirst();
        long grown = RetainedHeap.grownBy(i -> {
            String named = "{\"time\":" + T + ",\"pop\":\"FRA\",\"ttfb\":0.021,\"status\":200,\"id\":\"names-" + i + "\",\""
                    + RetainedHeap.uniqueName("push", i) + "\":1}";
            String body = i % 2 == 0 ? "[" + named + "]" : named + "\n";
            try {
                HttpResponse<String> r = post(fastly.path(), body);
                assertEquals(200, r.statusCode(), r.body());
                return r;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(grown < RetainedHeap.MARGIN_BYTES, "the heap kept " + grown + " bytes more after "
                + RetainedHeap.REQUESTS + " batches each naming a field of " + RetainedHeap.NAME_CHARS + " characters");
    }
}
