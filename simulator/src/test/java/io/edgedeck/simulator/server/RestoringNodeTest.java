package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.SnapshotJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.RestoreProgress;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal node started again on its data directory answers while it plays its show again, on a
 * real server on loopback: every route, {@code /healthz} included, 503 problem+json saying it is
 * restoring and how far, with a Retry-After, and nothing taken; once restored, 200 as before. The
 * restore is held halfway by its progress, so what is seen then is the node mid-restore.
 */
class RestoringNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> send(URI base, String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRestoring(HttpResponse<String> r) throws Exception {
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retry >= 1 && retry <= 5, "Retry-After " + retry);
        JsonNode problem = JSON.readTree(r.body());
        assertEquals("urn:edgedeck:problem:restoring", problem.path("type").asText(), r.body());
        assertEquals(503, problem.path("status").asInt(), r.body());
        // Held at 0:30 of the 1:30 the journal reached.
        assertEquals("played 0:30 of 1:30 of the show again", problem.path("restoring").asText(), r.body());
        assertEquals("restoring", problem.path("phase").asText(), "a show it had, not a new node starting: " + r.body());
        assertTrue(problem.path("detail").asText().startsWith("restoring: played 0:30 of 1:30 of the show again"), r.body());
    }

    @Test
    void aRestartingRehearsalSaysItIsRestoringAndHowFarThenServes(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("node"));
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0, data))) {
            assertEquals(200, send(node.baseUri(), "GET", "/healthz", null, null).statusCode());
        }
        // Where the show had come to when it stopped: a restart plays it again to here.
        try (SnapshotJournal journal = SnapshotJournal.open(data, new SnapshotJournal.Policy(Long.MAX_VALUE, Duration.ofDays(1)))) {
            journal.append(new JournalRecord.ShowClock(journal.nextSeq(), 90_000));
        }
        // Restored from a backup open to other users: it holds the journal and the audit trail.
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        java.util.Map<String, String> refusedWhileRestoring = new java.util.HashMap<>();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RestoreProgress progress = new RestoreProgress() {
            @Override
            public void reached(long millis) {
                super.reached(Math.min(millis, 30_000));
                if (millis >= 30_000 && held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        CompletableFuture<EdgeNode> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), port, data), progress);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(held.await(60, TimeUnit.SECONDS), "the restore never came to 0:30");
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
                    "closed to other users as soon as the start took it, not once the restore is done");
            URI base = URI.create("http://127.0.0.1:" + port);
            String token = Files.readString(data.resolve("token")).trim();
            assertRestoring(send(base, "GET", "/healthz", null, null));
            assertRestoring(send(base, "GET", "/api/v1/flags", token, null));
            assertRestoring(send(base, "GET", "/api/v1/frames/latest", token, null));
            // A change sent now is not taken: the node has nothing it could make it durable in yet.
            assertRestoring(send(base, "POST", "/api/v1/show/cues", token, "{\"type\":\"surge\",\"magnitude\":2,"
                    + "\"durationSeconds\":10,\"operator\":\"stage-producer\"}"));
            // The keys are the node's from before it listens: a caller without one its lane takes is refused as a running
            // node refuses it, not told how far the restore has come: 401, or 403 for a key of another lane (the admin
            // token at OFREP).
            String readKey = Files.readString(data.resolve("read-key")).trim();
            for (String[] call : new String[][] {{"GET", "/api/v1/flags", null}, {"GET", "/api/v1/flags", "wrong"},
                    {"POST", "/api/v1/show/cues", null}, {"GET", "/api/v1/sources", null}, {"GET", "/ofrep/v1/configuration", null},
                    {"GET", "/ofrep/v1/configuration", token}, {"GET", "/metrics", "wrong"}}) {
                HttpResponse<String> r = send(base, call[0], call[1], call[2], call[0].equals("POST") ? "{}" : null);
                boolean otherLanes = token.equals(call[2]);
                assertEquals(otherLanes ? 403 : 401, r.statusCode(), String.join(" ", call[0], call[1]) + ": " + r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
                if (!otherLanes) {
                    assertEquals("Bearer realm=\"edgedeck\"", r.headers().firstValue("WWW-Authenticate").orElse(""), r.body());
                }
                refusedWhileRestoring.put(String.join(" ", call[0], call[1], String.valueOf(call[2])), r.body());
            }
            // A key that opens the lane is told the node is restoring.
            assertRestoring(send(base, "GET", "/ofrep/v1/configuration", readKey, null));
            assertRestoring(send(base, "GET", "/metrics", readKey, null));
            assertRestoring(send(base, "GET", "/api/v1/sources", readKey, null));
            assertFalse(starting.isDone());
        } finally {
            release.countDown();
        }
        try (EdgeNode node = starting.get(60, TimeUnit.SECONDS)) {
            HttpResponse<String> health = send(node.baseUri(), "GET", "/healthz", null, null);
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("ok", JSON.readTree(health.body()).path("status").asText(), health.body());
            HttpResponse<String> flags = send(node.baseUri(), "GET", "/api/v1/flags",
                    Files.readString(node.tokenFile()).trim(), null);
            assertEquals(200, flags.statusCode(), flags.body());
            // Refused as the restored node refuses the same calls, word for word where a lane has one key.
            for (String call : List.of("GET /api/v1/sources null", "GET /ofrep/v1/configuration null",
                    "GET /ofrep/v1/configuration " + Files.readString(node.tokenFile()).trim(), "GET /metrics wrong")) {
                String[] c = call.split(" ");
                HttpResponse<String> now = send(node.baseUri(), c[0], c[1], c[2].equals("null") ? null : c[2], null);
                assertEquals(c[2].equals("null") || c[2].equals("wrong") ? 401 : 403, now.statusCode(), call + ": " + now.body());
                assertEquals(refusedWhileRestoring.get(call), now.body(), call);
            }
            // The cue sent while it restored was never journaled.
            assertTrue(node.journal().records().stream().noneMatch(r -> r instanceof JournalRecord.CueFired), "a cue was taken");
        }
    }
}
