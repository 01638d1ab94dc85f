package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.cli.Main;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.server.operators.OperatorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node's privacy controls: the salt rotated by an operator (journaled, audited, kept across a
 * restart; refused to a viewer and without a reason), the raw retention window (records past it
 * scrubbed, the node's figures the same after a restart), and a retention window of zero refused.
 */
class PrivacyNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LiveNodeFixture live;
    private EdgeNode node;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private EdgeNode start(Path dir) throws Exception {
        if (live == null) {
            live = new LiveNodeFixture(PrivacyExportTest.CONFIG, dir);
        }
        live.stopNode();
        node = live.start();
        return node;
    }

    private String key(String file) throws Exception {
        return live.key(file);
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        return live.send(method, path, bearer, body);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        LiveNodeFixture.await(what, condition);
    }

    private String person(Role role) throws Exception {
        Path file = Files.createTempDirectory("privacy-tokens").resolve(role.id() + ".token");
        new OperatorStore(node.dataDir(), Clock.systemUTC()).add("pat-" + role.id(), role, file);
        return Files.readString(file).trim();
    }

    /** The pseudonym the node's sources give the checkout it refused last. */
    private String refusedCheckoutName() throws Exception {
        String sources = send("GET", "/api/v1/sources", key("token"), null).body();
        var m = java.util.regex.Pattern.compile("checkout '(u\\d+-[0-9a-f]{16})' has started already").matcher(sources);
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }

    private void startTwice(String id, String checkout) throws Exception {
        HttpResponse<String> r = send("POST", "/ingest/v1/events", key("ingest-key"), "[{\"id\":\"" + id
                + "-a\",\"type\":\"checkout\",\"checkoutId\":\"" + checkout + "\",\"state\":\"started\"},{\"id\":\"" + id
                + "-b\",\"type\":\"checkout\",\"checkoutId\":\"" + checkout + "\",\"state\":\"started\"}]");
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void anOperatorRotatesTheSaltJournaledAndAuditedAndPseudonymsChange(@TempDir Path dir) throws Exception {
        start(dir);
        startTwice("one", "order-1");
        await("the refusal is listed", () -> { try { return refusedCheckoutName() != null; } catch (Exception e) { throw new AssertionError(e); } });
        String before = refusedCheckoutName();
        assertTrue(before.startsWith("u1-"), before);

        String viewer = person(Role.VIEWER);
        HttpResponse<String> refused = send("POST", "/api/v1/privacy/salt/rotate", viewer, "{\"reason\":\"quarterly\"}");
        assertEquals(403, refused.statusCode(), refused.body());
        HttpResponse<String> noReason = send("POST", "/api/v1/privacy/salt/rotate", key("token"), "{}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertEquals("reason", JSON.readTree(noReason.body()).get("field").asText());
        assertEquals(1, JSON.readTree(send("GET", "/api/v1/privacy", viewer, null).body()).get("saltGeneration").asLong(),
                "nothing changed");

        String operator = person(Role.OPERATOR);
        HttpResponse<String> rotated = send("POST", "/api/v1/privacy/salt/rotate", operator, "{\"reason\":\"a bundle went to a vendor\"}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals(2, JSON.readTree(rotated.body()).get("toGeneration").asLong());
        JsonNode audit = JSON.readTree(send("GET", "/api/v1/audit", operator, null).body());
        JsonNode entry = audit.get(audit.size() - 1);
        assertEquals("privacy.salt.rotate", entry.get("action").asText(), audit.toString());
        assertEquals("pat-operator", entry.get("actor").asText());
        assertEquals("generation 1", entry.get("before").asText());
        assertEquals("generation 2", entry.get("after").asText());
        assertEquals(1, audit.findValues("action").stream().filter(a -> a.asText().equals("privacy.salt.rotate")).count());
        String journal = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(journal.contains("privacy.salt.rotate"), "journaled");
        assertTrue(send("GET", "/metrics", key("read-key"), null).body().contains("edgedeck_privacy_salt_generation 2"));

        startTwice("two", "order-1");
        await("the refusal names the new pseudonym", () -> { try { return refusedCheckoutName().startsWith("u2-"); } catch (Exception e) { throw new AssertionError(e); } });
        assertNotEquals(before.substring(3), refusedCheckoutName().substring(3), "the same checkout, a new name");

        live.stopNode();
        start(dir);
        assertEquals(2, JSON.readTree(send("GET", "/api/v1/privacy", key("token"), null).body()).get("saltGeneration").asLong());
        JsonNode again = JSON.readTree(send("GET", "/api/v1/audit", key("token"), null).body());
        assertEquals(1, again.findValues("action").stream().filter(a -> a.asText().equals("privacy.salt.rotate")).count(),
                "the restarted node shows the rotation once");
    }

    /**
     * A rotation stopped part-way: the node on its data directory as a stop leaves it after the
     * rotation was journaled (the salt still the old one, the new one prepared beside it) starts with
     * the journaled salt; as a stop leaves it before the record (a prepared salt the journal does not
     * name), with the salt the audit trail says is in use.
     */
    @Test
    void aRotationAStopInterruptedIsSettledByTheJournal(@TempDir Path dir) throws Exception {
        start(dir);
        Path salt = dir.resolve("privacy-salt");
        Path next = dir.resolve("privacy-salt.next");
        byte[] first = Files.readAllBytes(salt);
        HttpResponse<String> rotated = send("POST", "/api/v1/privacy/salt/rotate", key("token"), "{\"reason\":\"a vendor saw a bundle\"}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        live.stopNode();
        // Stopped after the record: generation 2 journaled, its file not yet moved over generation 1's.
        Files.move(salt, next);
        Files.write(salt, first);
        start(dir);
        assertEquals(2, JSON.readTree(send("GET", "/api/v1/privacy", key("token"), null).body()).get("saltGeneration").asLong(),
                "the journaled rotation is completed");
        assertFalse(Files.exists(next));
        live.stopNode();

        // Stopped before the record: a generation 3 prepared that the journal does not name.
        Files.writeString(next, Files.readString(salt).replace("\"generation\" : 2", "\"generation\" : 3"));
        assertTrue(Files.readString(next).contains("\"generation\" : 3"), "a salt of generation 3 prepared");
        start(dir);
        assertEquals(2, JSON.readTree(send("GET", "/api/v1/privacy", key("token"), null).body()).get("saltGeneration").asLong(),
                "nothing was journaled, nothing changed");
        assertFalse(Files.exists(next));
        JsonNode audit = JSON.readTree(send("GET", "/api/v1/audit", key("token"), null).body());
        assertEquals(1, audit.findValues("action").stream().filter(a -> a.asText().equals("privacy.salt.rotate")).count());
    }

    @Test
    void scrubbedRecordsCountTheSameAfterARestart(@TempDir Path dir) throws Exception {
        start(dir);
        HttpResponse<String> eval = send("POST", "/ofrep/v1/evaluate/flags/offer-banner", key("read-key"),
                "{\"context\":{\"targetingKey\":\"viewer-1\"}}");
        String variant = JSON.readTree(eval.body()).get("variant").asText();
        HttpResponse<String> batch = send("POST", "/ingest/v1/events", key("ingest-key"), "["
                + "{\"id\":\"c1\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"viewer-1\"},"
                + "{\"id\":\"m1\",\"type\":\"chat\",\"text\":\"great\",\"targetingKey\":\"viewer-1\",\"user\":\"twitch:1\"},"
                + "{\"id\":\"q1\",\"type\":\"checkout\",\"checkoutId\":\"order-9\",\"pop\":\"iad\",\"state\":\"queued\"},"
                + "{\"id\":\"l1\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":42},"
                // Refused as they were read: their refusals are kept beside the events, and the scrub keeps them.
                + "{\"id\":\"l2\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":1e400,\"targetingKey\":\"viewer-1\"},"
                + "{\"id\":\"l3\",\"type\":\"latency\",\"pop\":\"fra\",\"ms\":\"fast\",\"targetingKey\":\"viewer-1\"}]");
        assertEquals(4, JSON.readTree(batch.body()).get("accepted").asInt(), batch.body());
        await("the conversion counts", () -> conversions(variant) == 1);
        LiveIntakeFigures before = figures(variant);
        assertEquals(1, before.latencyRefused(), before.toString());
        assertEquals(1, before.unreadable(), before.toString());
        await("every record is scrubbed", () -> node.intake().orElseThrow().log().oldestRawEpochMillis().isEmpty()
                && node.intake().orElseThrow().scrubbedRecords() >= 2);
        assertTrue(!Files.readString(dir.resolve("ingest.log"), StandardCharsets.ISO_8859_1).contains("viewer-1"));
        live.stopNode();
        start(dir);
        await("the restarted node has its figures back", () -> node.latestFrame() != null && conversions(variant) == 1);
        assertEquals(before, figures(variant));
        // The unit is the same unit: a second conversion after the restart counts for the variant it was exposed to.
        send("POST", "/ingest/v1/events", key("ingest-key"),
                "[{\"id\":\"c2\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"viewer-1\"}]");
        await("the unit's second conversion counts for its variant", () -> conversions(variant) == 2);
        // Reconciling the checkout queued before the restart (by its raw id) works against its scrubbed record.
        HttpResponse<String> reconciled = send("POST", "/ingest/v1/events", key("ingest-key"),
                "[{\"id\":\"r1\",\"type\":\"checkout\",\"checkoutId\":\"order-9\",\"pop\":\"iad\",\"state\":\"reconciled\"}]");
        assertEquals(1, JSON.readTree(reconciled.body()).get("accepted").asInt(), reconciled.body());
    }

    private record LiveIntakeFigures(long exposures, long conversions, long chat, long queued, long latencyAccepted,
                                     long latencyRefused, long unreadable) {
    }

    private long conversions(String variant) {
        MetricsFrame f = node.latestFrame();
        return f == null ? -1 : f.variants().stream().filter(v -> v.variant().equals(variant)).findFirst().orElseThrow().conversions();
    }

    private LiveIntakeFigures figures(String variant) {
        MetricsFrame f = node.latestFrame();
        var v = f.variants().stream().filter(x -> x.variant().equals(variant)).findFirst().orElseThrow();
        var stats = node.intake().orElseThrow().stats();
        return new LiveIntakeFigures(v.exposures(), v.conversions(), f.chat().messages(), f.checkouts().queued(),
                stats.kind("latency").accepted(), stats.kind("latency").refused(), stats.unreadable());
    }

    /** Sixty units each evaluate, convert and chat; answers the figures the node shows once all count. */
    private LiveIntakeFigures sixtyUnits() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> eval = send("POST", "/ofrep/v1/evaluate/flags/offer-banner", key("read-key"),
                    "{\"context\":{\"targetingKey\":\"viewer-" + i + "\"}}");
            assertEquals(200, eval.statusCode(), eval.body());
            batch.append(i == 0 ? "" : ",").append("{\"id\":\"c-viewer-").append(i)
                    .append("\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"viewer-").append(i).append("\"},")
                    .append("{\"id\":\"m-viewer-").append(i).append("\",\"type\":\"chat\",\"text\":\"great\",\"user\":\"twitch:viewer-")
                    .append(i).append("\"}");
        }
        HttpResponse<String> r = send("POST", "/ingest/v1/events", key("ingest-key"), batch.append("]").toString());
        assertEquals(120, JSON.readTree(r.body()).get("accepted").asInt(), r.body());
        await("every unit counts", () -> node.latestFrame() != null && totals().conversions() == 60 && totals().chat() == 60);
        return totals();
    }

    /** Exposures and conversions over both variants, and chat lines, as the newest frame shows them. */
    private LiveIntakeFigures totals() {
        MetricsFrame f = node.latestFrame();
        return new LiveIntakeFigures(f.variants().stream().mapToLong(v -> v.exposures()).sum(),
                f.variants().stream().mapToLong(v -> v.conversions()).sum(), f.chat().messages(), 0, 0, 0, 0);
    }

    /** A node that keeps raw ids for an hour and for the share {@code rate} of units, fed by sixty units. */
    private LiveIntakeFigures sixtyUnitsWithARawSampleOf(String rate, Path dir) throws Exception {
        live = new LiveNodeFixture(PrivacyExportTest.CONFIG.replace("\"rawRetentionSeconds\": 1",
                "\"rawRetentionSeconds\": 3600, \"rawSampleRate\": " + rate), dir);
        start(dir);
        return sixtyUnits();
    }

    /** The node stopped and started again on its data directory shows the figures it showed before. */
    private void restartShows(LiveIntakeFigures before, Path dir) throws Exception {
        live.stopNode();
        start(dir);
        await("the restarted node has its figures back", () -> node.latestFrame() != null && totals().conversions() == 60);
        assertEquals(before, totals(), "keyed and raw records count the same after a restart");
    }

    @Test
    void aRawSampleKeepsItsUnitsIdsOnDiskAndKeysEveryOtherUnitBeforeItIsWritten(@TempDir Path dir) throws Exception {
        LiveIntakeFigures before = sixtyUnitsWithARawSampleOf("0.5", dir);
        JsonNode status = JSON.readTree(send("GET", "/api/v1/privacy", key("token"), null).body());
        assertEquals(0.5, status.get("rawSampleRate").asDouble());
        assertTrue(send("GET", "/metrics", key("read-key"), null).body().contains("edgedeck_privacy_raw_sample_rate 0.5"));

        var sample = new io.edgedeck.simulator.server.privacy.RawSample(
                io.edgedeck.simulator.server.privacy.UnitKeys.loadOrCreate(dir), 0.5);
        String log = Files.readString(dir.resolve("ingest.log"), StandardCharsets.ISO_8859_1);
        int kept = 0;
        for (int i = 0; i < 60; i++) {
            boolean evaluatorRaw = log.contains("\"viewer-" + i + "\"");
            assertEquals(sample.inSample("viewer-" + i), evaluatorRaw, "viewer-" + i + " is raw on disk only in the sample");
            assertEquals(sample.inSample("twitch:viewer-" + i), log.contains("\"twitch:viewer-" + i + "\""), "twitch:viewer-" + i);
            kept += evaluatorRaw ? 1 : 0;
        }
        assertTrue(kept > 10 && kept < 50, kept + " of 60 units kept raw");

        restartShows(before, dir);
    }

    @Test
    void aRawSampleOfZeroWritesNoRawIdAtAll(@TempDir Path dir) throws Exception {
        LiveIntakeFigures before = sixtyUnitsWithARawSampleOf("0", dir);
        String log = Files.readString(dir.resolve("ingest.log"), StandardCharsets.ISO_8859_1);
        assertTrue(log.contains("purchase"), "the records are there");
        assertFalse(log.contains("viewer-"), "no unit's id reached the disk");
        JsonNode status = JSON.readTree(send("GET", "/api/v1/privacy", key("token"), null).body());
        assertTrue(status.get("oldestRawIngestEpochMillis").isNull(), status.toString());
        assertEquals(0, status.get("scrubbedRecords").asLong(), "nothing is left for the window to scrub");
        restartShows(before, dir);
    }

    @Test
    void aRetentionWindowOfZeroIsBadInputNamingTheField(@TempDir Path dir) throws Exception {
        String zero = PrivacyExportTest.CONFIG.replace("\"rawRetentionSeconds\": 1", "\"rawRetentionSeconds\": 0");
        var e = assertThrows(ScenarioValidationException.class, () -> NodeConfigParser.parse(zero.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("$.privacy.rawRetentionSeconds"), e.getMessage());
        String shortRotation = PrivacyExportTest.CONFIG.replace("\"privacy\"",
                "\"checkoutTokens\": {\"ttlSeconds\": 60, \"keyRotationSeconds\": 30}, \"privacy\"");
        var r = assertThrows(ScenarioValidationException.class,
                () -> NodeConfigParser.parse(shortRotation.getBytes(StandardCharsets.UTF_8)));
        assertTrue(r.getMessage().contains("$.checkoutTokens.keyRotationSeconds"), r.getMessage());
        for (String rate : new String[] {"1.5", "-0.1", "\"half\""}) {
            String bad = PrivacyExportTest.CONFIG.replace("\"rawRetentionSeconds\": 1", "\"rawRetentionSeconds\": 1, \"rawSampleRate\": " + rate);
            var s = assertThrows(ScenarioValidationException.class, () -> NodeConfigParser.parse(bad.getBytes(StandardCharsets.UTF_8)));
            assertTrue(s.getMessage().contains("$.privacy.rawSampleRate"), rate + ": " + s.getMessage());
        }

        Path file = dir.resolve("zero.json");
        Files.writeString(file, zero);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"serve", "--live", "--node-config", file.toString(), "--port", "0", "--data-dir",
                dir.resolve("data").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("privacy.rawRetentionSeconds"), err.toString(StandardCharsets.UTF_8));
    }
}
