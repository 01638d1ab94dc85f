package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 point 1, as it happened: a real node process whose data directory is on a small
 * filesystem (a tmpfs this test mounts in a user namespace, so no root is needed) that fills up in
 * the middle of a show. Changes are refused
 * with a 503 problem and nothing of them applies; the node says it is read-only in /healthz,
 * /metrics and its frames, and keeps serving reads and frames; once space is freed it takes changes
 * again; killed with SIGKILL and started again, it has every change it acknowledged and nothing else.
 */
class FullDiskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SmallDisk disk;

    private record Node(NodeProcess process, URI base, String token) {
    }

    /**
     * A 1 MiB tmpfs this test mounts (SmallDisk: in a user namespace, or as root); where the machine
     * allows neither, the test is skipped saying exactly why, and WriteAheadTest covers the journal.
     */
    private SmallDisk smallDisk(Path dir) throws Exception {
        try {
            disk = SmallDisk.make(dir);
        } catch (SmallDisk.Unavailable e) {
            Assumptions.abort(e.getMessage());
        }
        return disk;
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    /** Starts a node inside the small disk's namespace on {@code data} there; its token read through the test's view. */
    private Node start(String data) throws Exception {
        NodeProcess p = NodeProcess.start(disk.enter(), List.of(), "--port", "0", "--scenario", "pop-outage", "--speed", "1",
                "--data-dir", disk.inside().resolve(data).toString());
        return new Node(p, p.base(), Files.readString(disk.view().resolve(data).resolve("token")).trim());
    }

    private HttpResponse<String> call(Node n, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.base().resolve(path.startsWith("/") && !path.startsWith("/api")
                        && !path.equals("/healthz") ? "/api/v1" + path : path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + n.token()).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What a change sets on each flag, without how far its last accepted version has reached the PoPs:
     * the show runs on while the node is read-only, so an acknowledged change keeps propagating.
     */
    private static JsonNode changeable(JsonNode flags) {
        JsonNode copy = flags.deepCopy();
        copy.forEach(f -> ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove(List.of("popsAcknowledged", "fullPropagationMillis")));
        return copy;
    }

    private JsonNode get(Node n, String path) throws Exception {
        HttpResponse<String> r = call(n, "GET", path, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode await(Node n, String path, Predicate<HttpResponse<String>> done) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        HttpResponse<String> r = call(n, "GET", path, null);
        while (!done.test(r) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            r = call(n, "GET", path, null);
        }
        assertTrue(done.test(r), path + ": " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    private static String patch(long version, int treatment, String reason) {
        return "{\"expectedVersion\":" + version + ",\"variants\":[{\"name\":\"control\",\"weight\":" + (10_000 - treatment)
                + "},{\"name\":\"treatment\",\"weight\":" + treatment + "}],\"operator\":\"ana\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void aFullDiskMakesTheNodeReadOnlyLosesNothingAcknowledgedAndAppliesNothingRefused(@TempDir Path dir) throws Exception {
        SmallDisk small = smallDisk(dir);
        Path data = small.view().resolve("data");
        Node first = start("data");
        JsonNode flag = get(first, "/flags").get(0);
        String key = flag.get("key").asText();
        long version = flag.get("version").asLong();

        Path filler = SmallDisk.fill(small.view());
        // The journal's last page may still have room for a few records: changes succeed until one does not.
        int accepted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<String> r = call(first, "PATCH", "/flags/" + key, patch(version, 1000 + i, "step " + i + " of a ramp"));
            if (r.statusCode() == 200) {
                version++;
                accepted++;
            } else {
                refused = r;
            }
        }
        assertTrue(refused != null, "the disk filled up");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(refused.body().contains("journal cannot be written"), refused.body());
        String journal = Files.readString(data.resolve("journal.jsonl"));
        assertTrue(journal.endsWith("\n"), "the failed write's partial record was cut");

        JsonNode health = await(first, "/healthz", r -> r.body().contains("\"read-only\""));
        assertTrue(health.get("detail").asText().contains("journal not writable"), health.toString());
        await(first, "/frames/latest", r -> r.body().contains("\"READ_ONLY\""));
        // /metrics reads the node's state as of its last exposition, which may trail the frame by a beat.
        HttpRequest metricsRequest = HttpRequest.newBuilder(first.base().resolve("/metrics")).header("Authorization",
                "Bearer " + Files.readString(data.resolve("read-key")).trim()).build();
        long metricsDeadline = System.currentTimeMillis() + 20_000;
        HttpResponse<String> metrics = http.send(metricsRequest, HttpResponse.BodyHandlers.ofString());
        while (!metrics.body().contains("edgedeck_node_state{state=\"read_only\"} 1") && System.currentTimeMillis() < metricsDeadline) {
            Thread.sleep(100);
            metrics = http.send(metricsRequest, HttpResponse.BodyHandlers.ofString());
        }
        assertTrue(metrics.body().contains("edgedeck_node_state{state=\"read_only\"} 1"), metrics.body().lines().limit(8).toList().toString());

        JsonNode flagsWhileFull = get(first, "/flags");
        int auditWhileFull = get(first, "/audit").size();
        List<HttpResponse<String>> refusals = new ArrayList<>();
        refusals.add(call(first, "PATCH", "/flags/" + key, patch(version, 4000, "refused ramp")));
        refusals.add(call(first, "POST", "/flags/" + key + "/kill", "{\"operator\":\"ana\",\"reason\":\"refused kill\"}"));
        refusals.add(call(first, "POST", "/guardrails/sentiment-guard/disarm", "{\"operator\":\"ben\",\"reason\":\"refused disarm\"}"));
        refusals.add(call(first, "POST", "/show/cues", "{\"type\":\"pop-outage\",\"pops\":[\"ams\"],\"magnitude\":0,"
                + "\"durationSeconds\":600,\"operator\":\"ben\"}"));
        refusals.add(call(first, "POST", "/show/pause", null));
        for (HttpResponse<String> r : refusals) {
            assertEquals(503, r.statusCode(), r.request().uri() + ": " + r.body());
            assertTrue(r.body().contains("journal cannot be written"), r.body());
        }
        assertEquals(changeable(flagsWhileFull), changeable(get(first, "/flags")), "nothing of a refused change applied");
        assertEquals(auditWhileFull, get(first, "/audit").size(), "and nothing of it was audited");
        long sequence = get(first, "/frames/latest").get("sequence").asLong();
        await(first, "/frames/latest", r -> r.statusCode() == 200 && frameSequence(r) > sequence + 4);

        Files.delete(filler);
        await(first, "/healthz", r -> r.body().contains("\"ok\""));
        HttpResponse<String> again = call(first, "PATCH", "/flags/" + key, patch(version, 3000, "after space was freed"));
        assertEquals(200, again.statusCode(), again.body());
        version++;
        accepted++;
        assertEquals(200, call(first, "POST", "/guardrails/sentiment-guard/disarm", "{\"operator\":\"ben\",\"reason\":\"by hand\"}")
                .statusCode());
        JsonNode flagsBefore = get(first, "/flags");
        JsonNode auditBefore = get(first, "/audit");

        System.out.printf("full disk: %d changes acknowledged (%d before the disk filled), %d refused with 503 while full,"
                + " %d audit entries kept across kill -9%n", accepted, accepted - 1, refusals.size() + 1, auditBefore.size());
        assertEquals(137, first.process().kill());
        Node second = start("data");
        try {
            assertEquals(flagsBefore.get(0).get("version"), get(second, "/flags").get(0).get("version"));
            assertEquals(flagsBefore.get(0).get("variants"), get(second, "/flags").get(0).get("variants"));
            assertEquals(version, get(second, "/flags").get(0).get("version").asLong(), accepted + " changes acknowledged");
            JsonNode auditAfter = get(second, "/audit");
            assertEquals(auditBefore.size(), auditAfter.size(), "every acknowledged change and nothing else");
            for (int i = 0; i < auditBefore.size(); i++) {
                assertEquals(auditBefore.get(i), auditAfter.get(i), "audit entry " + (i + 1));
            }
            assertFalse(auditAfter.toString().contains("refused"), "no refused change came back");
            assertFalse(get(second, "/guardrails").get(0).get("armed").asBoolean());
        } finally {
            second.process().close();
        }
    }

    private static long frameSequence(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body()).get("sequence").asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A full disk leaves room in the journal file's last block; a record short enough to fit there
     * must not be taken once a longer one was refused, or the node would accept and refuse changes at
     * random while it says it is read-only. The record sizes are set so the block has 200 bytes left.
     */
    @Test
    void aReadOnlyJournalTakesNothingUntilTheDiskReportsRoomNotEvenARecordThatFitsItsLastBlock(@TempDir Path dir) throws Exception {
        SmallDisk small = smallDisk(dir);
        Path file = small.view().resolve("journal.jsonl");
        try (io.edgedeck.engine.journal.FileJournal journal = io.edgedeck.engine.journal.FileJournal.open(file)) {
            journal.append(new io.edgedeck.engine.journal.JournalRecord.ShowStarted(1, 0, "", 3));
            long base = Files.size(file);
            long pad = Math.floorMod(4096 + 100 - 2 * base, 4096);
            journal.append(new io.edgedeck.engine.journal.JournalRecord.ShowStarted(2, 0, "p".repeat((int) pad), 3));
            assertEquals(100, Files.size(file) % 4096, "the journal ends 100 bytes into a block");
            Path filler = SmallDisk.fill(small.view());
            journal.append(new io.edgedeck.engine.journal.JournalRecord.ShowStarted(3, 0, "q".repeat((int) (3996 - 200 - base)), 3));
            assertEquals(4096 - 200, Files.size(file) % 4096, "200 bytes left in the journal's last block, none elsewhere");
            org.junit.jupiter.api.Assertions.assertThrows(io.edgedeck.engine.journal.JournalUnavailableException.class,
                    () -> journal.append(new io.edgedeck.engine.journal.JournalRecord.ShowStarted(4, 0, "r".repeat(1000), 3)));
            assertFalse(journal.condition().writable());
            org.junit.jupiter.api.Assertions.assertThrows(io.edgedeck.engine.journal.JournalUnavailableException.class,
                    () -> journal.append(new io.edgedeck.engine.journal.JournalRecord.ShowClock(4, 1000)),
                    "a 30-byte record fits the block's 200 bytes, but the node is read-only until the disk has room");
            assertEquals(4096 - 200, Files.size(file) % 4096, "nothing written while read-only");
            Files.delete(filler);
            journal.append(new io.edgedeck.engine.journal.JournalRecord.ShowClock(4, 2000));
            assertTrue(journal.condition().writable(), "writable again once space is freed");
        }
        assertEquals(4, io.edgedeck.engine.journal.FileJournal.readOnly(file).records().size());
    }
}
