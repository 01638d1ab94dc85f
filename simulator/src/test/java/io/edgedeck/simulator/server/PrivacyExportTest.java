package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.simulator.bundle.Bundle;
import io.edgedeck.simulator.bundle.BundleWriter;
import io.edgedeck.simulator.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node in a process of its own is fed ids that name people (a targeting key, a chat user,
 * checkout ids, an event id built from them) through OFREP, ingest batches and a one-click checkout.
 * Once its raw retention window has passed, none of them is anywhere that leaves the node (the
 * answers of every read API, /metrics, a frame from the stream, a diagnostic bundle, the report, the
 * node's own log output, the replay command's output), nor anywhere in its data directory, the
 * journal and the scrubbed ingest log included; the unit keys the core uses inside never leave it
 * either, and the node's figures show the events did count.
 */
class PrivacyExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RAW = "alice.smith@example.com";
    static final String RAW_USER = "twitch:alice-smith-4242";
    static final String RAW_CHECKOUT = "order-of-alice-smith";
    static final String RAW_QUEUED = "queued-order-of-alice-smith";
    static final String RAW_TOKEN_CHECKOUT = "token-order-of-alice-smith";
    private static final List<String> RAW_IDS = List.of(RAW, RAW_USER, RAW_CHECKOUT, RAW_QUEUED, RAW_TOKEN_CHECKOUT,
            "alice", "smith");
    static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "privacy-test",
             "pops": [{"id": "fra", "region": "eu"}, {"id": "iad", "region": "na"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "triggers": [{"id": "hot-buyer", "kinds": ["click", "click", "click"], "count": 3, "withinSeconds": 20,
                           "ordered": false, "action": "surface-checkout"}],
             "privacy": {"rawRetentionSeconds": 1}}""";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Keys(String admin, String read, String ingest) {
    }

    private HttpResponse<String> send(URI base, String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    private JsonNode frame(URI base, Keys keys) {
        try {
            return JSON.readTree(send(base, "GET", "/api/v1/frames/latest", keys.admin(), null).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noRawIdLeavesTheNodeOrStaysOnItsDiskPastTheWindow(@TempDir Path dir, @TempDir Path work) throws Exception {
        Path config = work.resolve("node.json");
        Files.writeString(config, CONFIG);
        Map<String, String> surfaces = new LinkedHashMap<>();
        NodeProcess process = NodeProcess.start("--live", "--node-config", config.toString(), "--port", "0", "--data-dir", dir.toString());
        try (process) {
            URI base = process.base();
            Keys keys = new Keys(Files.readString(dir.resolve("token")).trim(), Files.readString(dir.resolve("read-key")).trim(),
                    Files.readString(dir.resolve("ingest-key")).trim());
            // The audience's apps: an evaluation, three clicks (the trigger fires), a chat line, checkouts.
            HttpResponse<String> eval = send(base, "POST", "/ofrep/v1/evaluate/flags/offer-banner", keys.read(),
                    "{\"context\":{\"targetingKey\":\"" + RAW + "\",\"pop\":\"fra\"}}");
            assertEquals(200, eval.statusCode(), eval.body());
            String batch = "[" + String.join(",",
                    "{\"id\":\"click-1-" + RAW + "\",\"type\":\"conversion\",\"name\":\"click\",\"targetingKey\":\"" + RAW + "\"}",
                    "{\"id\":\"click-2-" + RAW + "\",\"type\":\"conversion\",\"name\":\"click\",\"targetingKey\":\"" + RAW + "\"}",
                    "{\"id\":\"click-3-" + RAW + "\",\"type\":\"conversion\",\"name\":\"click\",\"targetingKey\":\"" + RAW + "\"}",
                    "{\"id\":\"chat-" + RAW + "\",\"type\":\"chat\",\"text\":\"love this drop\",\"targetingKey\":\"" + RAW
                            + "\",\"user\":\"" + RAW_USER + "\",\"channel\":\"twitch:show\"}",
                    "{\"id\":\"co-1\",\"type\":\"checkout\",\"checkoutId\":\"" + RAW_CHECKOUT + "\",\"pop\":\"fra\",\"state\":\"started\"}",
                    "{\"id\":\"co-2\",\"type\":\"checkout\",\"checkoutId\":\"" + RAW_CHECKOUT + "\",\"pop\":\"fra\",\"state\":\"started\"}",
                    "{\"id\":\"co-3\",\"type\":\"checkout\",\"checkoutId\":\"" + RAW_QUEUED + "\",\"pop\":\"iad\",\"state\":\"queued\"}") + "]";
            HttpResponse<String> taken = send(base, "POST", "/ingest/v1/events", keys.ingest(), batch);
            assertEquals(200, taken.statusCode(), taken.body());
            JsonNode answer = JSON.readTree(taken.body());
            assertEquals(6, answer.get("accepted").asInt(), taken.body());
            // The sender hears back in its own ids: the refusal and the action are its own.
            assertEquals("co-2", answer.get("refused").get(0).get("id").asText(), taken.body());
            assertEquals(RAW, answer.get("actions").get(0).get("targetingKey").asText(), taken.body());
            // The trigger surfaced a one-click checkout: the answer carries the unit's token, which buys one checkout.
            String offered = answer.get("actions").get(0).get("checkoutToken").asText();
            HttpResponse<String> bought = send(base, "POST", "/ingest/v1/checkouts", keys.ingest(),
                    "{\"token\":\"" + offered + "\",\"targetingKey\":\"" + RAW + "\"}");
            assertEquals(200, bought.statusCode(), bought.body());
            HttpResponse<String> token = send(base, "POST", "/api/v1/checkout-tokens", keys.admin(),
                    "{\"targetingKey\":\"" + RAW + "\"}");
            assertEquals(200, token.statusCode(), token.body());
            HttpResponse<String> redeemed = send(base, "POST", "/ingest/v1/checkouts", keys.ingest(),
                    "{\"token\":\"" + JSON.readTree(token.body()).get("token").asText() + "\",\"targetingKey\":\"" + RAW
                            + "\",\"checkoutId\":\"" + RAW_TOKEN_CHECKOUT + "\",\"pop\":\"fra\"}");
            assertEquals(200, redeemed.statusCode(), redeemed.body());

            // They counted: the node's figures move.
            await("the events count", () -> {
                JsonNode f = frame(base, keys);
                return f.path("chat").path("messages").asLong() == 1 && f.path("checkouts").path("queued").asLong() == 1
                        && f.path("checkouts").path("tokens").path("accepted").asLong() == 2;
            });
            // The window passes: every raw record of the ingest log is scrubbed.
            await("the ingest log holds no raw record", () -> {
                try {
                    JsonNode p = JSON.readTree(send(base, "GET", "/api/v1/privacy", keys.admin(), null).body());
                    return p.get("oldestRawIngestEpochMillis").isNull() && p.get("scrubbedRecords").asLong() >= 2;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            for (String path : List.of("/api/v1/pops", "/api/v1/flags", "/api/v1/guardrails", "/api/v1/audit", "/api/v1/sources",
                    "/api/v1/report", "/api/v1/frames/latest", "/api/v1/ingest/stats", "/api/v1/privacy",
                    "/api/v1/checkout-tokens/keys", "/api/v1/pops/fra/history")) {
                HttpResponse<String> r = send(base, "GET", path, keys.admin(), null);
                assertEquals(200, r.statusCode(), path + ": " + r.body());
                surfaces.put("GET " + path, r.body());
            }
            HttpResponse<String> metrics = send(base, "GET", "/metrics", keys.read(), null);
            assertEquals(200, metrics.statusCode());
            surfaces.put("/metrics", metrics.body());
            surfaces.put("a frame from the stream", firstStreamedFrame(base, keys.admin()));
            surfaces.put("a diagnostic bundle", bundle(base, keys.admin(), work.resolve("bundle.zip")));
            // The refusal of the second start names the checkout by its pseudonym, never its id or key.
            assertTrue(surfaces.get("GET /api/v1/sources").matches("(?s).*checkout 'u1-[0-9a-f]{16}' has started already.*"),
                    surfaces.get("GET /api/v1/sources"));
        }
        surfaces.put("the node's log output", String.join("\n", process.output));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int replay = Main.run(new String[] {"replay", "--journal", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        surfaces.put("replay's output (exit " + replay + ")", out.toString(StandardCharsets.UTF_8));

        Pattern key = Pattern.compile("k\\.[A-Za-z0-9_-]{22}");
        List<String> found = new ArrayList<>();
        surfaces.forEach((where, text) -> {
            RAW_IDS.forEach(id -> {
                if (text.contains(id)) found.add(where + " holds '" + id + "'");
            });
            if (key.matcher(text).find()) found.add(where + " holds a unit key");
        });
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                RAW_IDS.forEach(id -> {
                    if (text.contains(id)) found.add(dir.relativize(f) + " holds '" + id + "'");
                });
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
        assertTrue(surfaces.get("/metrics").contains("edgedeck_checkout_tokens_total{outcome=\"accepted\"} 2"), surfaces.get("/metrics"));
        assertTrue(Files.readString(dir.resolve("journal.jsonl")).contains("\"ref\":\"k."),
                "the queued checkout is journaled under its key");
    }

    /** The first frame the SSE stream sends. */
    private String firstStreamedFrame(URI base, String token) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/frames/stream"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    return line;
                }
            }
        }
        throw new AssertionError("the stream sent no frame");
    }

    /** The bundle the console's export writes for a live node, and the text of every file in it. */
    private static String bundle(URI base, String token, Path file) throws Exception {
        try (HttpEdgeConnection c = HttpEdgeConnection.open(base, token)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.latestFrame().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            MetricsFrame frame = c.latestFrame().orElseThrow();
            Map<String, PopHistory> history = new LinkedHashMap<>();
            for (PopMetrics p : frame.pops()) {
                history.put(p.id(), c.history(p.id(), 0, frame.engineMillis() / 1000 + 1).get(10, TimeUnit.SECONDS));
            }
            Bundle bundle = BundleWriter.assemble("privacy-test", frame.scenario(), frame.seed(), c.mode().name(), c.target(),
                    frame.engineMillis(), history, frame.timeline(), c.audit().get(10, TimeUnit.SECONDS),
                    c.flags().get(10, TimeUnit.SECONDS), frame, Map.of());
            BundleWriter.write(bundle, file, BundleWriter.Progress.NONE);
        }
        StringBuilder text = new StringBuilder();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                text.append("== ").append(e.getName()).append('\n').append(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertFalse(text.isEmpty());
        return text.toString();
    }
}
