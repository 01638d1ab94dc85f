package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch the core took and a PoP-local rollback made after it, between the same two ticks, count after a
 * kill -9 and a restart as they counted live: the journal says how many ingest log records the core
 * had applied when it made the change, and the restart makes it right there, not before the first
 * event of its tick (where the rollback has changed what fra serves, so the units' repeated exposures
 * would count again).
 * The node's clock runs at 1/500 of the wall clock's pace, so one tick lasts 5 s of wall time and the
 * batch and the change sent just after a tick starts are in it.
 */
class ChangeAmongBatchesRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Engine ms per wall ms: one tick of engine time lasts 5 s of wall time. */
    private static final double RATE = 0.002;
    private static final long TICK_MILLIS = io.edgedeck.engine.CoreConfig.DEFAULT_TICK_MILLIS;
    private static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "change-among-batches",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "checkout-button", "owner": "growth", "control": "control",
                        "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}]}],
             "playbooks": [{"id": "fra-to-control", "description": "The treatment back to control at fra.",
                            "actions": [{"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra"]}]}]}""";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void repeatsTakenBeforeAPopRollbackInTheSameTickCountAsLiveAfterAKillNine(@TempDir Path dir, @TempDir Path configDir)
            throws Exception {
        Path config = configDir.resolve("node.json");
        Files.writeString(config, CONFIG);
        String[] serve = {"--live", "--speed", Double.toString(RATE), "--node-config", config.toString(), "--port", "0",
                "--data-dir", dir.toString()};
        JsonNode before;
        try (NodeProcess first = NodeProcess.start(serve)) {
            URI base = first.base();
            long epoch = Long.parseLong(Files.readString(dir.resolve("live-epoch")).trim().split("\\s+")[0]);
            ingest(base, dir, exposures("x"));
            // The next tick of engine time starts at this wall time; the repeats and the rollback come just after it.
            long tick = (long) Math.floor((System.currentTimeMillis() - epoch) * RATE / TICK_MILLIS) + 1;
            long tickStart = epoch + (long) Math.ceil(tick * TICK_MILLIS / RATE);
            Thread.sleep(Math.max(0, tickStart + 50 - System.currentTimeMillis()));
            // Exposed again to the arm they are in, at the flag version fra runs: repeats, counted once.
            ingest(base, dir, exposures("y"));
            HttpResponse<String> rollback = send(base, "POST", "/api/v1/playbooks/fra-to-control/run", key(dir, "token"),
                    "{\"reason\": \"chat turned at fra\"}");
            assertEquals(200, rollback.statusCode(), rollback.body());
            assertTrue(System.currentTimeMillis() < epoch + (long) ((tick + 1) * TICK_MILLIS / RATE),
                    "the repeats and the rollback were taken in one tick of engine time");
            before = report(base, dir);
            assertEquals(10, count(before, "treatment", "exposures"), "live, the repeats came before the rollback: " + before);
            first.kill();
        }
        try (NodeProcess again = NodeProcess.start(serve)) {
            JsonNode after = report(again.base(), dir);
            assertEquals(before.get("variants"), after.get("variants"), "the exposures and conversions per variant");
        }
    }

    /** Ten units exposed to the treatment at fra, under event ids starting with {@code prefix}. */
    private static List<String> exposures(String prefix) {
        List<String> events = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            events.add("{\"id\": \"" + prefix + "-" + u + "\", \"type\": \"exposure\", \"flag\": \"checkout-button\","
                    + " \"variant\": \"treatment\", \"targetingKey\": \"u" + u + "\", \"pop\": \"fra\"}");
        }
        return events;
    }

    private void ingest(URI base, Path dir, List<String> events) throws Exception {
        HttpResponse<String> r = send(base, "POST", "/ingest/v1/events", key(dir, "ingest-key"), "[" + String.join(",", events) + "]");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(events.size(), JSON.readTree(r.body()).get("accepted").asInt(), r.body());
    }

    private JsonNode report(URI base, Path dir) throws Exception {
        HttpResponse<String> r = send(base, "GET", "/api/v1/report", key(dir, "token"), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static long count(JsonNode report, String variant, String field) {
        for (JsonNode v : report.get("variants")) {
            if (v.get("flag").asText().equals("checkout-button") && v.get("variant").asText().equals(variant)) {
                return v.get(field).asLong();
            }
        }
        throw new AssertionError("no variant checkout-button/" + variant + " in " + report);
    }

    private static String key(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve(file)).trim();
    }

    private HttpResponse<String> send(URI base, String method, String path, String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
