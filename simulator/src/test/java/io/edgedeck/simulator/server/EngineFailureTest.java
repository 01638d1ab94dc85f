package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import io.edgedeck.simulator.show.ShowRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 point 3: the engine thread dies. Before, /healthz kept answering ok / RUNNING with a
 * frozen sequence and control calls waited 10 s for a 503. Here an error is thrown on the engine
 * thread (as a stack overflow or an out-of-memory error would be): the node publishes FAILED with the
 * cause, /healthz answers 503 naming it, /metrics says failed, the command queued behind it fails at
 * once, and a change sent afterwards is refused at once, not after the action timeout.
 */
class EngineFailureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDeadEngineIsFailedEverywhereAtOnce(@TempDir Path dir) throws Exception {
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("pop-outage")), 5,
                InetAddress.getLoopbackAddress(), 0, dir))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String token = Files.readString(node.tokenFile()).trim();
            String readKey = Files.readString(node.readKeyFile()).trim();
            assertEquals(200, http.send(HttpRequest.newBuilder(node.baseUri().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            CompletableFuture<Object> dying = node.runner().submit(s -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new StackOverflowError("injected into the engine thread");
            });
            CompletableFuture<Long> queuedBehind = node.runner().submit(s -> s.core().nowMillis());
            ExecutionException failed = assertThrows(ExecutionException.class, () -> queuedBehind.get(5, TimeUnit.SECONDS),
                    "a command waiting behind the failure fails at once");
            assertInstanceOf(ShowRunner.EngineFailedException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("StackOverflowError: injected into the engine thread"),
                    failed.getCause().getMessage());
            ExecutionException died = assertThrows(ExecutionException.class, () -> dying.get(5, TimeUnit.SECONDS));
            assertInstanceOf(ShowRunner.EngineFailedException.class, died.getCause(), "the failing command is answered too");

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode(), health.body());
            JsonNode body = JSON.readTree(health.body());
            assertEquals("failed", body.get("status").asText());
            assertEquals("FAILED", body.get("state").asText());
            assertTrue(body.get("detail").asText().contains("StackOverflowError: injected"), body.toString());
            assertEquals(ShowState.FAILED, node.latestFrame().state());
            assertEquals(NodeCondition.Status.FAILED, node.latestFrame().node().status());

            HttpResponse<String> kill = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/flags/checkout-button/kill"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"operator\":\"ana\",\"reason\":\"errors\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, kill.statusCode(), kill.body());
            // refused at once for the failure, not cancelled after waiting out the 10 s action timeout
            assertTrue(kill.body().contains("the edge node failed"), kill.body());
            assertFalse(kill.body().contains("cancelled"), kill.body());

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/metrics"))
                    .header("Authorization", "Bearer " + readKey).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode(), metrics.body());
            assertTrue(metrics.body().contains("edgedeck_node_state{state=\"failed\"} 1"), metrics.body());
        }
    }

    /**
     * The engine thread held by one task (a hung disk under an fsync, say) publishes no frame and so
     * no failure: /healthz said ok from the last frame for as long as it lasted, while every change
     * was refused. Past the time a change waits for the engine it answers 503 stalled, and ok again
     * once the engine goes on.
     */
    @Test
    void anEngineHeldByOneTaskIsStalledUntilItGoesOn(@TempDir Path dir) throws Exception {
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("pop-outage")), 1,
                InetAddress.getLoopbackAddress(), 0, dir).withActionTimeout(Duration.ofSeconds(2)))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest healthz = HttpRequest.newBuilder(node.baseUri().resolve("/healthz")).build();
            assertEquals(200, http.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode());
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Boolean> held = LiveNodeFixture.holdEngine(node.runner(), release);
            try {
                JsonNode stalled = awaitHealth(http, healthz, 503);
                assertEquals("stalled", stalled.get("status").asText(), stalled.toString());
                assertTrue(stalled.get("detail").asText().contains("changes are refused"), stalled.toString());
            } finally {
                release.countDown();
            }
            assertTrue(held.get(5, TimeUnit.SECONDS));
            assertEquals("ok", awaitHealth(http, healthz, 200).get("status").asText());
        }
    }

    private static JsonNode awaitHealth(HttpClient http, HttpRequest healthz, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            HttpResponse<String> r = http.send(healthz, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == status) {
                return JSON.readTree(r.body());
            }
            assertTrue(System.nanoTime() < deadline, "no " + status + " from /healthz in 15 s; last " + r.body());
            Thread.sleep(50);
        }
    }
}
