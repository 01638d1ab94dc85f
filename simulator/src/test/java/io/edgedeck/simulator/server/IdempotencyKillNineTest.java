package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real live node (docs/examples/node-config.json) takes a salt rotation and a playbook run, each
 * with an {@code Idempotency-Key}, writes snapshots until the journal no longer holds those keys, and
 * is killed with SIGKILL. Started again on its data directory, it answers each retry with the first
 * answer, {@code Idempotent-Replayed: true}, and changes nothing; the same key with another request is
 * a 422; a request that changed nothing (a 404) runs again; a new key makes the change.
 */
class IdempotencyKillNineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = Path.of("..", "docs", "examples", "node-config.json");
    private static final String ROTATE = "/privacy/salt/rotate";
    private static final String RUN = "/playbooks/stop-the-bleed/run";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static NodeProcess start(Path dir) throws Exception {
        // A snapshot every 4 records: the keys have left the journal file for a snapshot before the kill.
        return NodeProcess.start("--live", "--node-config", CONFIG.toString(), "--port", "0", "--data-dir", dir.toString(),
                "--snapshot-every-records", "4");
    }

    private HttpResponse<String> send(NodeProcess node, Path dir, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.base().resolve("/api/v1" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + Files.readString(dir.resolve("token")).trim())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<AuditEntry> audit(NodeProcess node, Path dir) throws Exception {
        HttpResponse<String> r = send(node, dir, "GET", "/audit", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return List.of(JSON.readValue(r.body(), AuditEntry[].class));
    }

    private static long count(List<AuditEntry> audit, String action) {
        return audit.stream().filter(e -> e.action().equals(action)).count();
    }

    private long saltGeneration(NodeProcess node, Path dir) throws Exception {
        HttpResponse<String> r = send(node, dir, "GET", "/privacy", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("saltGeneration").asLong();
    }

    /**
     * Every snapshot file's text. The node is still running and writes a new snapshot, then deletes the
     * one it replaces, so a file listed may be gone when read: the listing is then taken again.
     */
    private static String snapshots(Path dir) throws Exception {
        for (int attempt = 0; ; attempt++) {
            StringBuilder all = new StringBuilder();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().matches("snapshot-\\d+\\.jsonl")).toList()) {
                    all.append(Files.readString(f));
                }
                return all.toString();
            } catch (java.nio.file.NoSuchFileException replaced) {
                if (attempt == 20) {
                    throw replaced;
                }
            }
        }
    }

    private static void assertReplayed(HttpResponse<String> first, HttpResponse<String> retry) {
        assertEquals(first.statusCode(), retry.statusCode(), retry.body());
        assertEquals(first.body(), retry.body(), "the first answer, byte for byte");
        assertEquals(first.headers().firstValue("Content-Type"), retry.headers().firstValue("Content-Type"));
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
    }

    @Test
    void aRetryAfterSigkillGetsTheFirstAnswerAndChangesNothing(@TempDir Path dir) throws Exception {
        HttpResponse<String> rotated;
        HttpResponse<String> ran;
        HttpResponse<String> missing;
        List<AuditEntry> before;
        try (NodeProcess first = start(dir)) {
            assertEquals(1, saltGeneration(first, dir));
            rotated = send(first, dir, "POST", ROTATE, "salt-once", "{\"reason\":\"rotate before the drop\"}");
            assertEquals(200, rotated.statusCode(), rotated.body());
            assertEquals("{\"fromGeneration\":1,\"toGeneration\":2}", rotated.body());
            ran = send(first, dir, "POST", RUN, "bleed-once", "{\"reason\":\"chat hurts in Europe\"}");
            assertEquals(200, ran.statusCode(), ran.body());
            missing = send(first, dir, "POST", "/playbooks/no-such-playbook/run", "nothing-changed", "{\"reason\":\"typo\"}");
            assertEquals(404, missing.statusCode(), missing.body());
            before = audit(first, dir);
            assertEquals(1, count(before, "privacy.salt.rotate"));
            assertEquals(1, count(before, "playbook.run"));

            LiveNodeFixture.await("the keys were compacted out of the journal into a snapshot", () -> {
                try {
                    return !Files.readString(dir.resolve("journal.jsonl")).contains("\"salt-once\"");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(snapshots(dir).contains("\"key\":\"salt-once\""), "kept in the snapshot while remembered");
            assertFalse(snapshots(dir).contains("nothing-changed"), "a request that changed nothing is not journaled");
            assertEquals(137, first.kill());
        }

        try (NodeProcess second = start(dir)) {
            assertReplayed(rotated, send(second, dir, "POST", ROTATE, "salt-once", "{\"reason\":\"rotate before the drop\"}"));
            assertReplayed(ran, send(second, dir, "POST", RUN, "bleed-once", "{\"reason\":\"chat hurts in Europe\"}"));
            assertEquals(2, saltGeneration(second, dir), "rotated once");
            List<AuditEntry> after = audit(second, dir);
            assertEquals(1, count(after, "privacy.salt.rotate"), "audited once: " + after);
            assertEquals(1, count(after, "playbook.run"), "run once: " + after);
            assertEquals(before, after.subList(0, before.size()), "the same trail");
            assertEquals(before.size(), after.stream().filter(e -> !e.action().equals("connectors.set")).count(),
                    "no entry added by the retries");

            HttpResponse<String> reused = send(second, dir, "POST", ROTATE, "salt-once", "{\"reason\":\"another rotation\"}");
            assertEquals(422, reused.statusCode(), reused.body());
            JsonNode problem = JSON.readTree(reused.body());
            assertEquals("Idempotency-Key", problem.path("field").asText());
            assertEquals(2, saltGeneration(second, dir), "the different request changed nothing");

            HttpResponse<String> again = send(second, dir, "POST", "/playbooks/no-such-playbook/run", "nothing-changed",
                    "{\"reason\":\"typo\"}");
            assertEquals(404, again.statusCode(), again.body());
            assertTrue(again.headers().firstValue("Idempotent-Replayed").isEmpty(),
                    "a request that changed nothing was remembered in memory only, and runs again after the restart");

            HttpResponse<String> fresh = send(second, dir, "POST", ROTATE, "salt-twice", "{\"reason\":\"a new rotation\"}");
            assertEquals("{\"fromGeneration\":2,\"toGeneration\":3}", fresh.body());
            assertEquals(137, second.kill());
        }
    }
}
