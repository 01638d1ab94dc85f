package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 point 7 on a real node: a command the engine does not take within the action timeout
 * is answered 503 and never applies, and a retry with its Idempotency-Key learns that same fate
 * instead of applying it a second time.
 */
class CommandFateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static long rollbacksAudited(LiveNode live, String reason) throws Exception {
        long n = 0;
        for (JsonNode entry : JSON.readTree(live.send("GET", "/audit", null).body())) {
            if (entry.get("action").asText().equals("flag.rollback") && entry.get("reason").asText().contains(reason)) {
                n++;
            }
        }
        return n;
    }

    private static HttpRequest rollback(LiveNode live, String key, String reason) {
        return live.request("/rollbacks").timeout(Duration.ofSeconds(30)).header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"flag\":\"checkout-button\",\"variant\":\"treatment\","
                        + "\"operator\":\"maya\",\"reason\":\"" + reason + "\"}")).build();
    }

    @Test
    void aCommandAnswered503NeverAppliesAndARetryLearnsTheSameFate(@TempDir Path dir) throws Exception {
        try (LiveNode live = LiveNode.start(dir, 2, 0, c -> c.withActionTimeout(Duration.ofMillis(500)))) {
            LiveNode.await("a first frame", () -> live.node.latestFrame() != null);
            // the engine is busy for 2 s: longer than the action timeout
            var busy = live.node.runner().submit(s -> {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            String reason = "fate " + UUID.randomUUID();
            String key = UUID.randomUUID().toString();
            HttpResponse<String> first = live.send(rollback(live, key, reason));
            assertEquals(503, first.statusCode(), first.body());
            assertTrue(JSON.readTree(first.body()).get("detail").asText().contains("nothing changed"), first.body());
            busy.join();
            live.node.runner().submit(s -> null).join();
            assertEquals(0, rollbacksAudited(live, reason), "the engine reached the cancelled command later and left it alone");

            HttpResponse<String> retry = live.send(rollback(live, key, reason));
            assertEquals(503, retry.statusCode());
            assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
            assertEquals(first.body(), retry.body());
            assertEquals(0, rollbacksAudited(live, reason), "a retry with the same key does not apply it");

            HttpResponse<String> again = live.send(rollback(live, UUID.randomUUID().toString(), reason));
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(1, rollbacksAudited(live, reason), "sent again with a new key, it applies once");
        }
    }
}
