package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.edgedeck.simulator.server.LiveNodeFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PoP goes down at the drop and its apps report thousands of checkouts queued in one batch. The
 * node takes the batch without holding its engine thread for seconds: the batch's checkout records
 * go to the journal in one forced write, not one per queued checkout (3,000 of them kept a producer's
 * kill waiting about 9 s, and 5,000 would have had it cancelled at 10 s), and a kill sent while the
 * batch is applied is answered. After a restart every queued checkout still waits at its PoP.
 */
class QueuedCheckoutSurgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUED = 3_000;
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private long pendingAtFra() {
        return live.framePop("fra").get("pendingCheckouts").asLong();
    }

    @Test
    void aSurgeOfQueuedCheckoutsDoesNotHoldTheProducersCommands(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(IngestRefusedAfterRestartTest.CONFIG, dir);
        live.start();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < QUEUED; i++) {
            batch.append("{\"id\":\"q").append(i).append("\",\"type\":\"checkout\",\"checkoutId\":\"order-").append(i)
                    .append("\",\"pop\":\"fra\",\"state\":\"queued\"}\n");
        }
        long writesBefore = live.node().journal().file().writes();
        CompletableFuture<HttpResponse<String>> surge = live.http().sendAsync(
                live.request("POST", "/ingest/v1/events", live.key("ingest-key"), batch.toString()),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1_000); // the batch is read and logged by then, and being applied
        HttpResponse<String> kill = live.send("POST", "/api/v1/flags/offer-banner/kill", live.key("token"),
                "{\"reason\":\"fra is down: stop the offer\"}");
        assertEquals(200, kill.statusCode(), kill.body());
        HttpResponse<String> answer = surge.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(QUEUED, JSON.readTree(answer.body()).get("accepted").asInt(), answer.body());
        // The batch's 3,000 records in one write, the kill's in another, and the show's own records (its
        // position, now and then) in a few more: never one write per queued checkout.
        long writes = live.node().journal().file().writes() - writesBefore;
        assertTrue(writes < 50, "the journal made " + writes + " forced writes for the batch and the kill");
        await("fra's frame shows every queued checkout", () -> pendingAtFra() == QUEUED);

        live.stopNode();
        live.start();
        await("the restarted node still has every checkout waiting at fra", () -> pendingAtFra() == QUEUED);
    }
}
