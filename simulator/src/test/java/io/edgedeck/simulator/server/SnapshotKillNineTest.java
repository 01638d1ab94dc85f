package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.journal.CrashPoint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots and compaction in a real node process, killed with SIGKILL: in the middle of writing a
 * snapshot, in the middle of compacting its journal, and after a long show. Each time the restarted
 * node has every change it acknowledged, with its whole audit trail, and nothing else; after a long
 * show it replays only the journal records after its newest snapshot.
 */
class SnapshotKillNineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESTORED = Pattern.compile("state from snapshot snapshot-(\\d+)\\.jsonl \\(records 1 to (\\d+),"
            + " (\\d+) entries\\) and the (\\d+) journal records after it");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Node(NodeProcess process, URI base, String token) {
        static Node of(NodeProcess p, Path data) throws Exception {
            return new Node(p, p.base(), Files.readString(data.resolve("token")).trim());
        }
    }

    private HttpResponse<String> call(Node n, String method, String path, String body, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(n.base().resolve("/api/v1" + path)).timeout(timeout)
                .header("Authorization", "Bearer " + n.token()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(Node n, String path) throws Exception {
        HttpResponse<String> r = call(n, "GET", path, null, Duration.ofSeconds(10));
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String patch(long version, int treatment, String reason) {
        return "{\"expectedVersion\":" + version + ",\"variants\":[{\"name\":\"control\",\"weight\":" + (10_000 - treatment)
                + "},{\"name\":\"treatment\",\"weight\":" + treatment + "}],\"operator\":\"ana\",\"reason\":\"" + reason + "\"}";
    }

    /** What the node acknowledged: the flag's last version and the reasons of the changes. */
    private record Acknowledged(String key, long version, List<String> reasons) {
    }

    /** Ramps the flag one step at a time until {@code stop} says so or a change is not answered in time. */
    private Acknowledged ramp(Node n, int steps, java.util.function.BooleanSupplier stop) throws Exception {
        JsonNode flag = get(n, "/flags").get(0);
        String key = flag.get("key").asText();
        long version = flag.get("version").asLong();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < steps && !stop.getAsBoolean(); i++) {
            String reason = "ramp step " + version;
            HttpResponse<String> r;
            try {
                r = call(n, "PATCH", "/flags/" + key, patch(version, 100 + (int) (version % 90) * 100, reason), Duration.ofSeconds(3));
            } catch (java.net.http.HttpTimeoutException slow) {
                if (stop.getAsBoolean()) {
                    break;
                }
                // Not halted, only slow (a loaded machine): the change was not acknowledged, and may or
                // may not have been made; the flag's version says which, and the ramp goes on from it.
                try {
                    version = get(n, "/flags").get(0).get("version").asLong();
                } catch (java.io.IOException halted) {
                    break;
                }
                continue;
            }
            if (r.statusCode() == 409 && !stop.getAsBoolean()) {
                // a change that timed out earlier was made after all: go on from the flag's version
                version = get(n, "/flags").get(0).get("version").asLong();
                continue;
            }
            if (r.statusCode() != 200) {
                break;
            }
            version++;
            reasons.add(reason);
        }
        return new Acknowledged(key, version, reasons);
    }

    private void assertRestored(Node n, Acknowledged acked, JsonNode auditBefore) throws Exception {
        assertRestored(n, acked, auditBefore, false);
    }

    /** @param finished the show had ended before the kill: the node, having played it to its end again, refuses changes as it did */
    private void assertRestored(Node n, Acknowledged acked, JsonNode auditBefore, boolean finished) throws Exception {
        JsonNode flag = get(n, "/flags").get(0);
        assertEquals(acked.version(), flag.get("version").asLong(), "every acknowledged change and nothing else");
        JsonNode audit = get(n, "/audit");
        if (auditBefore != null) {
            assertEquals(auditBefore, audit, "the whole audit trail, entry for entry");
        }
        List<String> reasons = new ArrayList<>();
        audit.forEach(e -> reasons.add(e.get("reason").asText()));
        assertTrue(reasons.containsAll(acked.reasons()), "every acknowledged change is in the audit trail");
        // The node takes changes again where it left off; a show that had ended refuses them, as before the kill.
        HttpResponse<String> next = call(n, "PATCH", "/flags/" + acked.key(), patch(acked.version(), 500, "after the restart"),
                Duration.ofSeconds(10));
        if (finished) {
            assertEquals(409, next.statusCode(), next.body());
            assertTrue(next.body().contains("the show ended"), next.body());
        } else {
            assertEquals(200, next.statusCode(), next.body());
        }
    }

    @ParameterizedTest
    // the journal's own points; PLAYBOOK_OWED is PlaybookKillNineTest's
    @EnumSource(value = CrashPoint.class, names = {"SNAPSHOT_WRITTEN", "COMPACTION_WRITTEN", "COMPACTION_RENAMED"})
    void killedInTheMiddleOfASnapshotOrACompactionItLosesNothingAcknowledgedAndStarts(CrashPoint at, @TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        NodeProcess halting = NodeProcess.start(List.of("-Dedgedeck.crash-test.halt-at=" + at.name()), "--port", "0",
                "--scenario", "pop-outage", "--speed", "1", "--snapshot-every-records", "20", "--data-dir", data.toString());
        Node first = Node.of(halting, data);
        Acknowledged acked = ramp(first, 400, () -> halting.output.contains("halted at " + at.name()));
        long deadline = System.currentTimeMillis() + 20_000;
        while (!halting.output.contains("halted at " + at.name()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(halting.output.contains("halted at " + at.name()), "the node reached " + at + ": " + halting.output);
        assertTrue(acked.reasons().size() >= 10, acked.reasons().size() + " changes acknowledged before the halt");
        switch (at) {
            case SNAPSHOT_WRITTEN -> assertTrue(Files.list(data).anyMatch(f -> f.getFileName().toString().endsWith(".jsonl.tmp")));
            case COMPACTION_WRITTEN -> assertTrue(Files.exists(data.resolve("journal.jsonl.compacting")));
            case COMPACTION_RENAMED -> assertTrue(Files.readAllLines(data.resolve("journal.jsonl")).getFirst().matches(
                    "\\{\"type\":\"[a-z.]+\",\"seq\":([2-9]|\\d\\d+),.*"), "the journal starts after its first record");
        }
        assertEquals(137, halting.kill());

        NodeProcess restarted = NodeProcess.start("--port", "0", "--scenario", "pop-outage", "--speed", "1",
                "--snapshot-every-records", "20", "--data-dir", data.toString());
        try {
            assertRestored(Node.of(restarted, data), acked, null);
            String log = String.join("\n", restarted.output);
            switch (at) {
                case SNAPSHOT_WRITTEN -> assertTrue(log.contains("a snapshot a crash interrupted before it was whole"), log);
                case COMPACTION_WRITTEN -> assertTrue(log.contains("a compaction a crash interrupted"), log);
                case COMPACTION_RENAMED -> assertTrue(RESTORED.matcher(log).find(), log);
            }
            System.out.printf("kill -9 at %s: %d changes acknowledged, all back after the restart%n", at, acked.reasons().size());
        } finally {
            restarted.close();
        }
    }

    /**
     * Killed right after a snapshot whose last record a tick of the show wrote (a checkout queued,
     * stamped with the tick's start), with nothing journaled after it: the snapshot is dated where the
     * show was when it was written, a tick later, so the restarted rehearsal plays its show again to
     * there rather than stopping a tick short, with that tick's checkouts already counted, and
     * resuming from the journal alone ("the checkouts differ").
     */
    @Test
    void killedRightAfterASnapshotARehearsalPlaysItsShowAgain(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        // Checkouts queue behind a slow acquirer all show long: at full speed nearly every record is a tick's own.
        String scenario = Path.of("..", "docs", "scenarios", "long-slowdown.json").toAbsolutePath().normalize().toString();
        // The second snapshot's compaction halts the node: that snapshot is whole and nothing is journaled after it.
        NodeProcess halting = NodeProcess.start(List.of("-Dedgedeck.crash-test.halt-at=" + CrashPoint.COMPACTION_WRITTEN.name()),
                "--port", "0", "--scenario", scenario, "--speed", "max", "--snapshot-every-records", "200",
                "--data-dir", data.toString());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!halting.output.contains("halted at COMPACTION_WRITTEN") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(halting.output.contains("halted at COMPACTION_WRITTEN"), String.join("\n", halting.output));
        assertEquals(137, halting.kill());
        List<String> journal = Files.readAllLines(data.resolve("journal.jsonl"));
        JsonNode last = JSON.readTree(journal.getLast());
        JsonNode header = JSON.readTree(Files.readAllLines(data.resolve("snapshot-" + last.get("seq").asLong() + ".jsonl")).getFirst());
        // Rarely the node's once-a-second show clock is the record that made the snapshot due: then this is not the case.
        org.junit.jupiter.api.Assumptions.assumeTrue(last.get("type").asText().equals("checkout.queued"),
                "the snapshot's last record is a tick's own: " + last);
        assertTrue(header.get("atMillis").asLong() > last.get("atMillis").asLong(),
                "the snapshot is dated after the tick its last record was made in: " + header + " after " + last);

        NodeProcess restarted = NodeProcess.start("--port", "0", "--scenario", scenario, "--speed", "1",
                "--snapshot-every-records", "200", "--data-dir", data.toString());
        try {
            Node n = Node.of(restarted, data);
            HttpResponse<String> r = call(n, "GET", "/node", null, Duration.ofSeconds(10));
            for (long until = System.currentTimeMillis() + 60_000; r.statusCode() == 503 && System.currentTimeMillis() < until; ) {
                Thread.sleep(100);
                r = call(n, "GET", "/node", null, Duration.ofSeconds(10));
            }
            assertEquals(200, r.statusCode(), r.body());
            JsonNode node = JSON.readTree(r.body());
            assertEquals(null, node.get("restart"), "the rehearsal played its show again: " + node);
            String log = String.join("\n", restarted.output);
            assertTrue(log.contains("Rehearsal played again from its start to " + header.get("atMillis").asLong() + " ms"), log);
        } finally {
            restarted.close();
        }
    }

    @Test
    void afterALongShowARestartReplaysOnlyTheRecordsAfterTheNewestSnapshot(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        // A show whose checkouts queue behind a slow acquirer all show long: thousands of journal records.
        String scenario = Path.of("..", "docs", "scenarios", "long-slowdown.json").toAbsolutePath().normalize().toString();
        String[] args = {"--port", "0", "--scenario", scenario, "--speed", "max", "--snapshot-every-records", "500",
                "--data-dir", data.toString()};
        Node first = Node.of(NodeProcess.start(args), data);
        Acknowledged acked = ramp(first, 60, () -> false);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!get(first, "/frames/latest").get("state").asText().equals("FINISHED") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals("FINISHED", get(first, "/frames/latest").get("state").asText(), "the show played to its end");
        JsonNode auditBefore = get(first, "/audit");
        assertEquals(137, first.process().kill());

        NodeProcess restarted = NodeProcess.start(args);
        try {
            Node again = Node.of(restarted, data);
            // Restored at the journal's last record, it plays the rest of the show again (at full speed, a moment).
            long until = System.currentTimeMillis() + 60_000;
            while (!get(again, "/frames/latest").get("state").asText().equals("FINISHED") && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            assertEquals("FINISHED", get(again, "/frames/latest").get("state").asText(), "played to its end again");
            assertRestored(again, acked, auditBefore, true);
            Matcher m = RESTORED.matcher(String.join("\n", restarted.output));
            assertTrue(m.find(), String.join("\n", restarted.output));
            long covered = Long.parseLong(m.group(2));
            long entries = Long.parseLong(m.group(3));
            long tail = Long.parseLong(m.group(4));
            System.out.printf("long show: %d journal records, restart loaded a snapshot of %d entries and replayed %d records%n",
                    covered + tail, entries, tail);
            assertTrue(covered + tail > 3_000, "a long journal: " + (covered + tail) + " records");
            assertTrue(tail < 500, "only the records after the snapshot are replayed: " + tail);
        } finally {
            restarted.close();
        }
    }
}
