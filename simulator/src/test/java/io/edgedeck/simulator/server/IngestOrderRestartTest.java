package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.MetricsFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A conversion sent right after its unit's evaluation was answered counts for the unit's variant
 * after a restart too, however late the engine thread got to the exposure: the ingest log keeps the
 * order in which the engine took them, and a restart replays that order.
 */
class IngestOrderRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private long conversions(String variant) {
        MetricsFrame f = live.node().latestFrame();
        return f == null ? -1 : f.variants().stream().filter(v -> v.variant().equals(variant)).findFirst().orElseThrow().conversions();
    }

    @Test
    void aConversionRightAfterItsEvaluationCountsForTheVariantAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(PrivacyExportTest.CONFIG, dir);
        live.start();
        // The engine thread is busy (a long frame, a slow machine) while the unit is evaluated and converts.
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        live.node().runner().submit(show -> {
            held.countDown();
            try {
                busy.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        held.await(10, TimeUnit.SECONDS);
        HttpResponse<String> eval = live.send("POST", "/ofrep/v1/evaluate/flags/offer-banner", live.key("read-key"),
                "{\"context\":{\"targetingKey\":\"viewer-7\"}}");
        assertEquals(200, eval.statusCode(), eval.body());
        String variant = JSON.readTree(eval.body()).get("variant").asText();
        CompletableFuture<HttpResponse<String>> converted = live.http().sendAsync(live.request("POST", "/ingest/v1/events",
                live.key("ingest-key"), "[{\"id\":\"c7\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"viewer-7\"}]"),
                HttpResponse.BodyHandlers.ofString());
        // Give the batch every chance to reach the log before the engine takes the exposure up.
        Thread.sleep(300);
        busy.countDown();
        HttpResponse<String> batch = converted.get(20, TimeUnit.SECONDS);
        assertEquals(200, batch.statusCode(), batch.body());
        assertEquals(1, JSON.readTree(batch.body()).get("accepted").asInt(), batch.body());
        await("the conversion counts for " + variant, () -> conversions(variant) == 1);

        live.stopNode();
        live.start();
        await("the restarted node counts the conversion for " + variant + " again", () -> conversions(variant) == 1);
    }
}
