package io.edgedeck.simulator.connectors.cdn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.LoopbackPushServer;
import io.edgedeck.simulator.connectors.PushLimits;
import io.edgedeck.simulator.connectors.RecordingSink;
import io.edgedeck.simulator.connectors.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CDN log batches pushed over real HTTP on loopback, shaped as Cloudflare and Fastly document them. */
class CdnLogEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-from-the-logpush-job";
    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingSink sink = new RecordingSink();
    private LoopbackPushServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private CdnLogEndpoint endpoint(CdnLogsConfig config) throws IOException {
        CdnLogEndpoint endpoint = new CdnLogEndpoint(config, sink, InstantSource.system());
        endpoint.start();
        server = new LoopbackPushServer().mount(config.path(), endpoint::handle);
        return endpoint;
    }

    private static CdnLogsConfig cloudflare(PushLimits limits) {
        return new CdnLogsConfig("cloudflare", "cloudflare", Secret.of(SECRET), null,
                Map.of("FRA", "fra", "cdg", "par", "IAD", "iad"), null, limits, null);
    }

    /** One line of Logpush's http_requests dataset with the fields a job would be told to send. */
    private static String cloudflareLine(String ray, String colo, int ttfbMs, int status, Object start) throws IOException {
        return JSON.writeValueAsString(Map.of("RayID", ray, "EdgeColoCode", colo, "EdgeTimeToFirstByteMs", ttfbMs,
                "EdgeResponseStatus", status, "OriginResponseDurationMs", Math.max(0, ttfbMs - 5),
                "ClientRequestHost", "live.example.com", "EdgeStartTimestamp", start));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private HttpResponse<String> post(String path, byte[] body, String secret, boolean gzipHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (secret != null) {
            b.header(CdnLogsConfig.DEFAULT_SECRET_HEADER, secret);
        }
        if (gzipHeader) {
            b.header("Content-Encoding", "gzip");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGzippedLogpushBatchBecomesCdnLatencyAtTheMappedPops() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        long startNanos = Instant.parse("2026-05-01T20:00:00Z").toEpochMilli() * 1_000_000L;
        String batch = String.join("\n",
                cloudflareLine("8f1a2b3c4d5e6f70", "FRA", 42, 200, startNanos),
                cloudflareLine("8f1a2b3c4d5e6f71", "CDG", 87, 503, "2026-05-01T20:00:01Z"),
                cloudflareLine("8f1a2b3c4d5e6f72", "iad", 120, 200, 1777665602L)) + "\n";
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", gzip(batch), SECRET, true);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(3, answer.get("accepted").asInt());
        assertEquals(0, answer.get("refused").asInt());
        List<IngestEvent.Latency> events = sink.events(IngestEvent.Latency.class);
        assertEquals(List.of(
                new IngestEvent.Latency("cdn:cloudflare:8f1a2b3c4d5e6f70", Instant.parse("2026-05-01T20:00:00Z").toEpochMilli(),
                        "fra", 42.0, null, 200, "cdn"),
                new IngestEvent.Latency("cdn:cloudflare:8f1a2b3c4d5e6f71", Instant.parse("2026-05-01T20:00:01Z").toEpochMilli(),
                        "par", 87.0, null, 503, "cdn"),
                new IngestEvent.Latency("cdn:cloudflare:8f1a2b3c4d5e6f72", Instant.parse("2026-05-01T20:00:02Z").toEpochMilli(),
                        "iad", 120.0, null, 200, "cdn")), events);
        assertEquals(List.of(3), sink.batchSizes(), "one batch in, one hand-over to the node");
        SourceStatus status = endpoint.status();
        assertEquals(3, status.events());
        assertTrue(status.lastEventMillis() > 0);
        assertEquals(SourceState.LISTENING, status.state());
    }

    /**
     * A batch with bad records, sent again as it was (a CDN retrying it), is answered the same each time and counts each
     * bad record once on the row, with its unknown PoP; identical bad lines in one batch each count, and the record
     * corrected and sent again is taken, while a batch whose bad record is another counts that one.
     */
    @Test
    void aBatchSentAgainCountsItsBadRecordsOnce() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        long now = System.currentTimeMillis();
        String bad = "{\"RayID\": \"r-bad\", \"EdgeColoCode\": \"FRA\", \"EdgeTimeToFirstByteMs\": \"slow\"}\n";
        String batch = cloudflareLine("r-1", "FRA", 20, 200, now) + "\n" + cloudflareLine("r-syd", "SYD", 30, 200, now) + "\n"
                + bad + "not json\n" + "not json\n";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post("/connectors/cdn/cloudflare", (i == 1 ? gzip(batch) : batch.getBytes(StandardCharsets.UTF_8)),
                    SECRET, i == 1);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode answer = JSON.readTree(r.body());
            assertEquals(4, answer.get("refused").asInt(), "each send is answered with its bad records: " + r.body());
            assertEquals(1, answer.get("unknownPops").get("SYD").asInt(), r.body());
        }
        SourceStatus status = endpoint.status();
        assertEquals(1, status.errorCount("unknown-pop"), status.toString());
        assertEquals(1, status.errorCount("bad-value"), status.toString());
        assertEquals(2, status.errorCount("malformed-line"), "two lines of the same text in one batch are two records: " + status);
        assertEquals(Map.of("SYD", 1L), status.unknownPops(), status.toString());

        // Another batch with a bad record of its own counts it.
        HttpResponse<String> other = post("/connectors/cdn/cloudflare", (cloudflareLine("r-2", "FRA", 21, 200, now) + "\n" + bad)
                .getBytes(StandardCharsets.UTF_8), SECRET, false);
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(2, endpoint.status().errorCount("bad-value"), endpoint.status().toString());
    }

    /**
     * Half of a surrogate pair, sent as a JSON escape in a record's id, refuses that record alone,
     * naming its line, field and the character (two ids that differ only there would be kept as one);
     * the good line before it is taken, so the CDN's retry of the batch is not needed.
     */
    @Test
    void aLoneSurrogateRefusesItsRecordAloneNamingTheFieldAndTheCharacter() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        String good = cloudflareLine("8f1a2b3c4d5e6f70", "FRA", 42, 200, "2026-05-01T20:00:00Z");
        String lone = cloudflareLine("8f1a2b3c4d5e6f7X", "FRA", 43, 200, "2026-05-01T20:00:01Z").replace("7X", "7\\ud800");
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", (good + "\n" + lone + "\n").getBytes(
                java.nio.charset.StandardCharsets.UTF_8), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode line = JSON.readTree(response.body()).get("lines").get(0);
        assertEquals(2, line.get("line").asInt(), response.body());
        assertEquals("RayID", line.path("field").asText(), response.body());
        assertEquals("unpaired-surrogate", line.get("reason").asText(), response.body());
        assertTrue(line.get("detail").asText().startsWith("RayID must not contain an unpaired surrogate (U+D800 at character 16)"),
                response.body());
        assertEquals(List.of("cdn:cloudflare:8f1a2b3c4d5e6f70"), sink.events().stream().map(IngestEvent::id).toList());
        assertEquals(1, endpoint.status().errorCount("unpaired-surrogate"));
    }

    /**
     * Bytes that are not UTF-8 in one element of a JSON array, or of pretty-printed records, refuse
     * that element alone: each record is decoded on its own, so its neighbours are read as sent.
     */
    @Test
    void bytesThatAreNotUtf8RefuseOnlyTheirOwnRecordInAnArrayOrPrettyPrinted() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        String array = "[" + cloudflareLine("a1", "FRA", 40, 200, 1777665600L) + ", " + cloudflareLine("a#2", "FRA", 41, 200, 1777665600L)
                + ", " + cloudflareLine("a3", "FRA", 42, 200, 1777665600L) + "]";
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", bad(array), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(2, answer.get("accepted").asInt(), response.body());
        assertEquals(2, answer.get("lines").get(0).get("line").asInt(), "the array's second element: " + response.body());
        assertEquals("RayID", answer.get("lines").get(0).get("field").asText(), response.body());

        String pretty = "{\n  \"RayID\": \"p1\", \"EdgeColoCode\": \"FRA\",\n  \"EdgeTimeToFirstByteMs\": 40\n}\n"
                + "{\n  \"RayID\": \"p2\", \"EdgeColoCode\": \"FRA\",\n  \"EdgeTimeToFirstByteMs\": 41, \"ClientRequestHost\": \"x#y\"\n}\n";
        response = post("/connectors/cdn/cloudflare", bad(pretty), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        answer = JSON.readTree(response.body());
        assertEquals(1, answer.get("accepted").asInt(), response.body());
        assertEquals(5, answer.get("lines").get(0).get("line").asInt(), "the line the second record starts on: " + response.body());
        assertEquals("ClientRequestHost", answer.get("lines").get(0).get("field").asText(), response.body());
        assertEquals(List.of("cdn:cloudflare:a1", "cdn:cloudflare:a3", "cdn:cloudflare:p1"),
                sink.events().stream().map(IngestEvent::id).toList());
        assertEquals(2, endpoint.status().errorCount("not-utf8"));
    }

    /** The text's bytes with each {@code #} made 0xff. */
    private static byte[] bad(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '#') {
                bytes[i] = (byte) 0xff;
            }
        }
        return bytes;
    }

    /** A timestamp left empty or as a log line's "-" is no timestamp: the request still counts, at its arrival. */
    @Test
    void aPlaceholderTimestampIsNoneAndTheRequestCounts() throws Exception {
        endpoint(cloudflare(null));
        String batch = String.join("\n",
                cloudflareLine("p1", "FRA", 40, 200, "-"),
                cloudflareLine("p2", "FRA", 41, 200, ""),
                cloudflareLine("p3", "FRA", 42, 200, "2026-05-01 20:00:00.250000+0000"),
                cloudflareLine("p4", "FRA", 43, 200, "soon"));
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", batch.getBytes(StandardCharsets.UTF_8), SECRET, false);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(3, answer.get("accepted").asInt(), response.body());
        assertEquals(Map.of("bad-value", 1), JSON.convertValue(answer.get("refusedByReason"), Map.class));
        List<IngestEvent.Latency> events = sink.events(IngestEvent.Latency.class);
        assertEquals(java.util.Arrays.asList(null, null, Instant.parse("2026-05-01T20:00:00.250Z").toEpochMilli()),
                events.stream().map(IngestEvent.Latency::at).toList());
    }

    @Test
    void badLinesAreCountedByReasonAndTheGoodOnesInTheSameBatchAreKept() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(new PushLimits(null, null, 1024)));
        String huge = "{\"RayID\":\"x\",\"EdgeColoCode\":\"FRA\",\"pad\":\"" + "a".repeat(5000) + "\"}";
        String batch = String.join("\n",
                cloudflareLine("r1", "FRA", 40, 200, 1777665600L),
                "{not json at all",
                cloudflareLine("r2", "SIN", 300, 200, 1777665600L),
                cloudflareLine("r3", "SIN", 310, 200, 1777665600L),
                huge,
                "{\"RayID\":\"r4\",\"EdgeTimeToFirstByteMs\":12}",
                "{\"RayID\":\"r5\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":\"fast\"}",
                "{\"RayID\":\"r6\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":-3}",
                "[1,2]",
                "",
                cloudflareLine("r7", "CDG", 55, 200, 1777665600L));
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", gzip(batch), SECRET, false);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(2, answer.get("accepted").asInt());
        assertEquals(8, answer.get("refused").asInt());
        assertEquals(Map.of("malformed-line", 2, "unknown-pop", 2, "line-too-long", 1, "missing-field", 1, "bad-value", 2),
                JSON.convertValue(answer.get("refusedByReason"), Map.class));
        assertEquals(2, answer.get("unknownPops").get("SIN").asInt());
        JsonNode first = answer.get("lines").get(0);
        assertEquals(2, first.get("line").asInt());
        assertEquals("malformed-line", first.get("reason").asText());
        assertTrue(answer.get("lines").get(4).get("detail").asText().contains("EdgeColoCode is missing"), answer.toString());
        assertEquals(List.of("cdn:cloudflare:r1", "cdn:cloudflare:r7"),
                sink.events().stream().map(IngestEvent::id).toList());

        SourceStatus status = endpoint.status();
        assertEquals(Map.of("SIN", 2L), status.unknownPops());
        assertEquals(2, status.errorCount("unknown-pop"));
        assertEquals(1, status.errorCount("line-too-long"));
        assertTrue(status.errors().stream().filter(e -> e.reason().equals("bad-value")).findFirst().orElseThrow()
                .lastMessage().contains("EdgeTimeToFirstByteMs must be a latency of 0 or more"));
    }

    @Test
    void aWrongOrMissingSecretIsRefusedWholeWithAProblem() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        byte[] body = gzip(cloudflareLine("r1", "FRA", 40, 200, 1777665600L));

        HttpResponse<String> wrong = post("/connectors/cdn/cloudflare", body, SECRET + "x", true);
        assertEquals(401, wrong.statusCode());
        assertEquals("application/problem+json", wrong.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = JSON.readTree(wrong.body());
        assertEquals("urn:edgedeck:problem:bad-secret", problem.get("type").asText());
        assertEquals("X-EdgeDeck-Secret", problem.get("field").asText());
        assertTrue(!wrong.body().contains(SECRET), "the secret never appears in an answer");

        HttpResponse<String> missing = post("/connectors/cdn/cloudflare", body, null, true);
        assertEquals(401, missing.statusCode());
        assertEquals("urn:edgedeck:problem:missing-secret", JSON.readTree(missing.body()).get("type").asText());

        assertEquals(List.of(), sink.events());
        assertEquals(1, endpoint.status().errorCount("bad-secret"));
        assertEquals(1, endpoint.status().errorCount("missing-secret"));
    }

    @Test
    void aGzipBombStopsAtTheDecompressedLimitAndNothingOfItIsTaken() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(new PushLimits(64L * 1024, 256L * 1024, null)));
        StringBuilder lines = new StringBuilder();
        String line = cloudflareLine("r", "FRA", 40, 200, 1777665600L) + "\n";
        while (lines.length() < 2 * 1024 * 1024) {
            lines.append(line);
        }
        byte[] bomb = gzip(lines.toString());
        assertTrue(bomb.length < 64 * 1024, "compressed it fits the body limit: " + bomb.length);

        HttpResponse<String> response = post("/connectors/cdn/cloudflare", bomb, SECRET, true);
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("urn:edgedeck:problem:decompressed-too-large", JSON.readTree(response.body()).get("type").asText());
        assertEquals(List.of(), sink.events());
        assertEquals(1, endpoint.status().errorCount("decompressed-too-large"));
    }

    @Test
    void aBodyOverTheLimitIsRefusedEvenWithoutContentLength() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(new PushLimits(4L * 1024, null, null)));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; lines.length() < 20_000; i++) {
            lines.append(cloudflareLine("r" + i, "FRA", 40, 200, 1777665600L)).append('\n');
        }
        byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
        // A streamed publisher sends chunked, with no Content-Length to refuse early on.
        HttpRequest request = HttpRequest.newBuilder(server.uri("/connectors/cdn/cloudflare"))
                .header(CdnLogsConfig.DEFAULT_SECRET_HEADER, SECRET)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("urn:edgedeck:problem:body-too-large", JSON.readTree(response.body()).get("type").asText());

        HttpResponse<String> declared = post("/connectors/cdn/cloudflare", body, SECRET, false);
        assertEquals(413, declared.statusCode());
        assertEquals(List.of(), sink.events());
        assertEquals(2, endpoint.status().errorCount("body-too-large"));
    }

    @Test
    void aBrokenGzipStreamIsA400AndTakesNothing() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        byte[] body = gzip(cloudflareLine("r1", "FRA", 40, 200, 1777665600L) + "\n" + cloudflareLine("r2", "FRA", 41, 200, 1777665600L));
        byte[] truncated = java.util.Arrays.copyOf(body, body.length - 12);
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", truncated, SECRET, true);
        assertEquals(400, response.statusCode(), response.body());
        HttpResponse<String> notGzip = post("/connectors/cdn/cloudflare", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), SECRET, true);
        assertEquals(400, notGzip.statusCode());
        assertEquals("urn:edgedeck:problem:bad-gzip", JSON.readTree(notGzip.body()).get("type").asText());
        assertEquals(List.of(), sink.events());
        assertEquals(1, endpoint.status().errorCount("bad-gzip"));
    }

    @Test
    void whenTheNodeCannotTakeABatchTheCdnIsToldToRetryAndTheRetryCountsOnce() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        byte[] body = gzip(cloudflareLine("r1", "FRA", 40, 200, 1777665600L) + "\n"
                + "{\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":33}\n");
        sink.refuse("the ingest queue is full");
        HttpResponse<String> busy = post("/connectors/cdn/cloudflare", body, SECRET, true);
        assertEquals(503, busy.statusCode());
        assertEquals("2", busy.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(List.of(), sink.events());

        sink.refuse(null);
        assertEquals(200, post("/connectors/cdn/cloudflare", body, SECRET, true).statusCode());
        assertEquals(200, post("/connectors/cdn/cloudflare", body, SECRET, true).statusCode());
        List<String> ids = sink.events().stream().map(IngestEvent::id).toList();
        assertEquals(4, ids.size());
        assertEquals(ids.subList(0, 2), ids.subList(2, 4), "a re-sent batch carries the same ids, so the node counts it once");
        assertTrue(ids.get(1).startsWith("cdn:cloudflare:h"), "a record without RayID gets an id from its content: " + ids.get(1));
        assertEquals(1, endpoint.status().errorCount("node-busy"));
    }

    @Test
    void cloudflaresDestinationCheckIsAnsweredWithoutCountingAnError() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", gzip("{\"content\":\"tests\"}"), SECRET, true);
        assertEquals(200, response.statusCode());
        assertEquals(List.of(), sink.events());
        assertEquals(List.of(), endpoint.status().errors());
        assertTrue(endpoint.status().why().contains("destination check"), endpoint.status().why());
    }

    @Test
    void fastlyLinesAndArraysWithTheDocumentedFormatAndItsChallenge() throws Exception {
        CdnLogsConfig config = new CdnLogsConfig("fastly", "fastly", Secret.of(SECRET), "Fastly-Secret",
                Map.of("FRA", "fra", "LCY", "lon"), null, null, List.of("SU1Z0isxPaozGVKXdv0eY"));
        CdnLogEndpoint endpoint = new CdnLogEndpoint(config, sink, InstantSource.system());
        endpoint.start();
        server = new LoopbackPushServer().mount(config.path(), endpoint::handle)
                .mountText(CdnLogEndpoint.FASTLY_CHALLENGE_PATH, CdnLogEndpoint.fastlyChallengeBody(List.of(config)));

        // What the format string in docs/CONNECTORS.md produces, one JSON object per request.
        String ndjson = "{\"time\":1777665600123,\"pop\":\"FRA\",\"ttfb\":0.042,\"status\":200,\"host\":\"live.example.com\",\"id\":\"x1\"}\n"
                + "{\"time\":1777665600456,\"pop\":\"LCY\",\"ttfb\":0.131,\"status\":200,\"host\":\"live.example.com\",\"id\":\"x2\"}\n";
        HttpRequest put = HttpRequest.newBuilder(server.uri(config.path())).header("Fastly-Secret", SECRET)
                .PUT(HttpRequest.BodyPublishers.ofString(ndjson)).build();
        assertEquals(200, http.send(put, HttpResponse.BodyHandlers.ofString()).statusCode());
        // "JSON log entry format: array" wraps the batch in one array.
        String array = "[{\"time\":1777665601000,\"pop\":\"fra\",\"ttfb\":\"0.050\",\"status\":\"304\",\"id\":\"x3\"}, 7]";
        HttpRequest post = HttpRequest.newBuilder(server.uri(config.path())).header("Fastly-Secret", SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(array))).build();
        HttpResponse<String> arrayAnswer = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, arrayAnswer.statusCode());
        assertEquals(1, JSON.readTree(arrayAnswer.body()).get("refused").asInt(), arrayAnswer.body());
        assertEquals(1, JSON.readTree(arrayAnswer.body()).get("accepted").asInt(), arrayAnswer.body());

        List<IngestEvent.Latency> events = sink.events(IngestEvent.Latency.class);
        assertEquals(3, events.size());
        assertEquals(new IngestEvent.Latency("cdn:fastly:x1", 1777665600123L, "fra", 42.0, null, 200, "cdn"), events.get(0));
        assertEquals("lon", events.get(1).pop());
        assertEquals(131.0, events.get(1).ms(), 1e-9);
        assertEquals(304, events.get(2).status());
        assertEquals(50.0, events.get(2).ms(), 1e-9);

        HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(server.uri(CdnLogEndpoint.FASTLY_CHALLENGE_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("SU1Z0isxPaozGVKXdv0eY".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(expected), challenge.body().lines().toList());
        assertEquals(1, endpoint.status().errorCount("malformed-line"));
    }

    @Test
    void aCustomMappingReadsNestedFieldsAndScalesMicroseconds() throws Exception {
        CdnLogsConfig config = new CdnLogsConfig("other-cdn", "custom", Secret.of(SECRET), null, Map.of("ams1", "ams"),
                new FieldMapping("edge.pop", "timing.ttfbUs", 0.001, "response.code", "ts", "reqId"), null, null);
        endpoint(config);
        String line = "{\"edge\":{\"pop\":\"AMS1\"},\"timing\":{\"ttfbUs\":61500},\"response\":{\"code\":200},"
                + "\"ts\":\"2026-05-01T20:00:00.250+0000\",\"reqId\":\"q-1\"}";
        assertEquals(200, post(config.path(), line.getBytes(StandardCharsets.UTF_8), SECRET, false).statusCode());
        assertEquals(List.of(new IngestEvent.Latency("cdn:other-cdn:q-1", Instant.parse("2026-05-01T20:00:00.250Z").toEpochMilli(),
                "ams", 61.5, null, 200, "cdn")), sink.events());
    }

    /**
     * A record that sends a field the mapping reads twice (the PoP, or the object a dotted field reaches
     * into) is refused alone, naming it: which PoP served the request is not the node's to guess. A field
     * the mapping does not read may come twice, as a log shipper's own copy of a field often does.
     */
    @Test
    void aMappedFieldSentTwiceRefusesItsRecordAloneNamingIt() throws Exception {
        CdnLogsConfig config = new CdnLogsConfig("other-cdn", "custom", Secret.of(SECRET), null, Map.of("AMS1", "ams", "FRA1", "fra"),
                new FieldMapping("edge.pop", "ttfb", 1.0, "status", null, "reqId"), null, null);
        CdnLogEndpoint endpoint = endpoint(config);
        String body = String.join("\n",
                "{\"edge\":{\"pop\":\"AMS1\"},\"ttfb\":20,\"reqId\":\"q-1\",\"host\":\"a\",\"host\":\"b\"}",
                "{\"edge\":{\"pop\":\"AMS1\",\"pop\":\"FRA1\"},\"ttfb\":21,\"reqId\":\"q-2\"}",
                "{\"edge\":{\"pop\":\"AMS1\"},\"edge\":{\"pop\":\"FRA1\"},\"ttfb\":22,\"reqId\":\"q-3\"}",
                "{\"edge\":{\"pop\":\"AMS1\"},\"ttfb\":23,\"ttfb\":230,\"reqId\":\"q-4\"}",
                "{\"edge\":{\"pop\":\"AMS1\"},\"ttfb\":24,\"status\":200,\"status\":503,\"reqId\":\"q-5\"}",
                "{\"edge\":{\"pop\":\"AMS1\"},\"ttfb\":25,\"reqId\":\"q-6\",\"reqId\":\"q-7\"}");
        HttpResponse<String> response = post(config.path(), body.getBytes(StandardCharsets.UTF_8), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        List<String> fields = new java.util.ArrayList<>();
        answer.get("lines").forEach(l -> fields.add(l.get("line").asInt() + ":" + l.get("reason").asText() + ":" + l.get("field").asText()));
        assertEquals(List.of("2:duplicate-field:edge.pop", "3:duplicate-field:edge", "4:duplicate-field:ttfb",
                "5:duplicate-field:status", "6:duplicate-field:reqId"), fields, response.body());
        assertEquals(List.of("cdn:other-cdn:q-1"), sink.events().stream().map(IngestEvent::id).toList());
        assertEquals(5, endpoint.status().errorCount("duplicate-field"));
    }

    /**
     * Values a CDN never writes are refused by the field that holds them, never bent into another
     * value: a fractional status is not the status below it, a time past what epoch nanoseconds reach
     * is not a time (not a record from the far future), and an id that is an object is not the record
     * having none (which would give it an id from the batch and take it).
     */
    @Test
    void valuesNoCdnWritesAreRefusedByTheirFieldNotBent() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        String body = String.join("\n",
                "{\"RayID\":\"v1\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeResponseStatus\":200.5}",
                "{\"RayID\":\"v2\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeStartTimestamp\":1e30}",
                "{\"RayID\":{\"id\":\"v3\"},\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20}",
                "{\"RayID\":[\"v4\"],\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20}",
                "{\"RayID\":\"v5\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeResponseStatus\":\"200\"}");
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", body.getBytes(StandardCharsets.UTF_8), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        List<String> fields = new java.util.ArrayList<>();
        answer.get("lines").forEach(l -> fields.add(l.get("line").asInt() + ":" + l.get("reason").asText() + ":" + l.get("field").asText()));
        assertEquals(List.of("1:bad-value:EdgeResponseStatus", "2:bad-value:EdgeStartTimestamp", "3:bad-value:RayID",
                "4:bad-value:RayID"), fields, response.body());
        assertTrue(answer.get("lines").get(1).get("detail").asText().contains("1e30") 
                || answer.get("lines").get(1).get("detail").asText().contains("1.0E30"), response.body());
        assertEquals(List.of("cdn:cloudflare:v5"), sink.events().stream().map(IngestEvent::id).toList());
        assertEquals(4, endpoint.status().errorCount("bad-value"));
    }

    /** A time of 0 or -1 is refused as the CDN wrote it, not as the double it was read into ("0.0", "-1.0"). */
    @Test
    void aTimeOfZeroOrMinusOneIsRefusedAsWritten() throws Exception {
        endpoint(cloudflare(null));
        String body = String.join("\n",
                "{\"RayID\":\"z1\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeStartTimestamp\":0}",
                "{\"RayID\":\"z2\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeStartTimestamp\":-1}",
                "{\"RayID\":\"z3\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeStartTimestamp\":\"0\"}");
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", body.getBytes(StandardCharsets.UTF_8), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode lines = JSON.readTree(response.body()).get("lines");
        assertEquals(3, lines.size(), response.body());
        assertEquals("EdgeStartTimestamp is not a time: 0", lines.get(0).get("detail").asText(), response.body());
        assertEquals("EdgeStartTimestamp is not a time: -1", lines.get(1).get("detail").asText(), response.body());
        assertEquals("EdgeStartTimestamp is not a time: \"0\"", lines.get(2).get("detail").asText(), response.body());
        assertTrue(sink.events().isEmpty(), "no record was taken: " + sink.events());
    }

    /**
     * A latency or a time too large for a double is refused with the number the CDN wrote (in its exact
     * decimal form), not as the "Infinity" a double makes of it; a time of 0 still reads 0.
     */
    @Test
    void aNumberTooLargeForADoubleIsRefusedAsWritten() throws Exception {
        endpoint(cloudflare(null));
        String body = String.join("\n",
                "{\"RayID\":\"i1\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":1e400}",
                "{\"RayID\":\"i2\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeStartTimestamp\":1e400}",
                "{\"RayID\":\"i3\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":\"1e400\"}",
                "{\"RayID\":\"i4\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20,\"EdgeStartTimestamp\":0}",
                "{\"RayID\":\"i5\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":20.5}");
        HttpResponse<String> response = post("/connectors/cdn/cloudflare", body.getBytes(StandardCharsets.UTF_8), SECRET, false);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode lines = JSON.readTree(response.body()).get("lines");
        assertEquals(4, lines.size(), response.body());
        assertEquals("EdgeTimeToFirstByteMs is too large to be a latency: 1E+400", lines.get(0).get("detail").asText(), response.body());
        assertEquals("EdgeStartTimestamp is not a time: 1E+400", lines.get(1).get("detail").asText(), response.body());
        assertEquals("EdgeTimeToFirstByteMs is too large to be a latency: \"1e400\"", lines.get(2).get("detail").asText(), response.body());
        assertEquals("EdgeStartTimestamp is not a time: 0", lines.get(3).get("detail").asText(), response.body());
        assertEquals(1, sink.events().size(), "the one good record was taken: " + sink.events());
        assertEquals(20.5, ((io.edgedeck.client.ingest.IngestEvent.Latency) sink.events().getFirst()).ms(), 0.0);
    }

    /** A custom mapping with no request id, for records that log the second and whole milliseconds. */
    private static CdnLogsConfig withoutIds() {
        return new CdnLogsConfig("edge", "custom", Secret.of(SECRET), null, Map.of("FRA", "fra"),
                new FieldMapping("pop", "ttfb", 1.0, "status", "ts", null), null, null);
    }

    /** How many requests the node counts of what the endpoint handed over: its intake takes an id once. */
    private long counted() {
        return sink.events().stream().map(IngestEvent::id).distinct().count();
    }

    /** At hundreds of requests a second, many at one PoP log the very same line; each is a request. */
    @Test
    void identicalRecordsWithoutAnIdInOneBatchEachCount() throws Exception {
        CdnLogsConfig config = withoutIds();
        endpoint(config);
        String same = "{\"pop\":\"FRA\",\"ttfb\":23,\"status\":200,\"ts\":1777665600}\n";
        String batch = same.repeat(4) + "{\"pop\":\"FRA\",\"ttfb\":31,\"status\":200,\"ts\":1777665600}\n" + same;
        HttpResponse<String> response = post(config.path(), batch.getBytes(StandardCharsets.UTF_8), SECRET, false);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(6, JSON.readTree(response.body()).get("accepted").asInt(), response.body());
        assertEquals(6, counted(), "every request of the batch counts: " + sink.events());
        assertEquals(5, sink.events(IngestEvent.Latency.class).stream().filter(e -> e.ms() == 23.0).count());
    }

    /** Logpush and Fastly send a batch again when they did not see it taken; the node counts it once. */
    @Test
    void aBatchWithoutIdsDeliveredAgainCountsOnce() throws Exception {
        CdnLogsConfig config = withoutIds();
        endpoint(config);
        String batch = "{\"pop\":\"FRA\",\"ttfb\":23,\"status\":200,\"ts\":1777665600}\n".repeat(3)
                + "{\"pop\":\"FRA\",\"ttfb\":40,\"status\":503,\"ts\":1777665600}\n";
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        assertEquals(200, post(config.path(), body, SECRET, false).statusCode());
        List<String> first = sink.events().stream().map(IngestEvent::id).toList();
        assertEquals(200, post(config.path(), body, SECRET, false).statusCode());
        // The same records sent again gzipped, as a shipper that compresses its retries would.
        assertEquals(200, post(config.path(), gzip(batch), SECRET, true).statusCode());
        // And as one JSON array, Fastly's other format.
        String array = "[" + String.join(",", batch.strip().split("\n")) + "]";
        assertEquals(200, post(config.path(), array.getBytes(StandardCharsets.UTF_8), SECRET, false).statusCode());

        List<String> ids = sink.events().stream().map(IngestEvent::id).toList();
        assertEquals(16, ids.size());
        assertEquals(first, ids.subList(4, 8), "a batch sent again carries the same ids");
        assertEquals(first, ids.subList(8, 12), "its records, however compressed, carry the same ids");
        assertEquals(first, ids.subList(12, 16), "and as an array too");
        assertEquals(4, counted(), "the node counts the batch once: " + ids);
    }

    /** The same line in two batches is two requests: one logged at the end of a batch, one at the start of the next. */
    @Test
    void theSameRecordInTwoDifferentBatchesCountsInEach() throws Exception {
        CdnLogsConfig config = withoutIds();
        endpoint(config);
        String same = "{\"pop\":\"FRA\",\"ttfb\":23,\"status\":200,\"ts\":1777665600}\n";
        assertEquals(200, post(config.path(), ("{\"pop\":\"FRA\",\"ttfb\":9,\"status\":200,\"ts\":1777665599}\n"
                + same.repeat(2)).getBytes(StandardCharsets.UTF_8), SECRET, false).statusCode());
        assertEquals(200, post(config.path(), (same + "{\"pop\":\"FRA\",\"ttfb\":12,\"status\":200,\"ts\":1777665601}\n")
                .getBytes(StandardCharsets.UTF_8), SECRET, false).statusCode());

        assertEquals(5, counted(), sink.events().toString());
    }

    @Test
    void aStoppedEndpointTakesNothing() throws Exception {
        CdnLogEndpoint endpoint = endpoint(cloudflare(null));
        endpoint.close();
        HttpResponse<String> response = post("/connectors/cdn/cloudflare",
                gzip(cloudflareLine("r1", "FRA", 40, 200, 1777665600L)), SECRET, true);
        assertEquals(503, response.statusCode());
        assertEquals(List.of(), sink.events());
        assertEquals(SourceState.STOPPED, endpoint.status().state());
        assertNull(CdnLogEndpoint.fastlyChallengeBody(List.of(endpoint.config())));
    }

}
