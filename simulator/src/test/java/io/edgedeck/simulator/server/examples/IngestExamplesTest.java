package io.edgedeck.simulator.server.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.server.EdgeNode;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README.md's Live mode examples, run against a real live node on loopback started from docs/examples/node-config.json. */
class IngestExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "io", "edgedeck", "simulator", "server", "examples",
            "IngestWithOkHttp.java");

    private static EdgeNode start(Path dir) throws Exception {
        return EdgeNode.start(EdgeNode.Config.live(NodeConfigParser.resolve(Path.of("..", "docs", "examples", "node-config.json").toString()),
                InetAddress.getLoopbackAddress(), 0, dir));
    }

    private static long treatment(EdgeNode node, java.util.function.ToLongFunction<VariantMetrics> what) {
        return node.latestFrame().variants().stream().filter(v -> v.variant().equals("treatment")).mapToLong(what).sum();
    }

    private static void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void theOkHttpExampleFeedsARealNode(@TempDir Path dir) throws Exception {
        try (EdgeNode node = start(dir)) {
            OkHttpClient client = new OkHttpClient();
            String ingestKey = Files.readString(node.ingestKeyFile()).trim();
            String batch = io.edgedeck.simulator.server.IngestSamples.everyShape("checkout-button");
            JsonNode answer = JSON.readTree(IngestWithOkHttp.send(client, node.baseUri().toString(), ingestKey, batch));
            assertEquals(6, answer.get("accepted").asInt(), answer.toString());
            await("the treatment shows the exposure and the conversion",
                    () -> treatment(node, VariantMetrics::exposures) == 1 && treatment(node, VariantMetrics::conversions) == 1);
            JsonNode again = JSON.readTree(IngestWithOkHttp.send(client, node.baseUri().toString(), ingestKey, batch));
            assertEquals(6, again.get("duplicates").asInt(), "sent again, the same ids count once");
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** What {@code navigator.sendBeacon(url, new Blob([ndjson], {type: "text/plain"}))} sends, byte for byte in what matters. */
    @Test
    void theBeaconsRequestIsTaken(@TempDir Path dir) throws Exception {
        try (EdgeNode node = start(dir); HttpClient http = HttpClient.newHttpClient()) {
            String ingestKey = Files.readString(node.ingestKeyFile()).trim();
            String body = "{\"id\":\"b-1\",\"type\":\"conversion\",\"name\":\"checkout\",\"targetingKey\":\"viewer-42\",\"value\":19.99}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events?key="
                            + URLEncoder.encode(ingestKey, StandardCharsets.UTF_8)))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("Origin", "https://shop.example.com")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, JSON.readTree(r.body()).get("accepted").asInt());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events?key=nope"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            String readKey = Files.readString(node.readKeyFile()).trim();
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events?key="
                    + URLEncoder.encode(readKey, StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, read.statusCode(), "the read key in the query cannot ingest either");
        }
    }

    @Test
    void theReadmeShowsTheExampleThatRuns() throws Exception {
        String example = Files.readString(EXAMPLE);
        Matcher m = Pattern.compile("// --8<-- \\[start:okhttp]\\n(.*?)\\n\\s*// --8<-- \\[end:okhttp]", Pattern.DOTALL).matcher(example);
        assertTrue(m.find());
        String snippet = m.group(1).stripIndent().strip();
        String readme = Files.readString(README);
        assertTrue(readme.contains(snippet), "README.md's Live mode shows IngestWithOkHttp's snippet as it is:\n" + snippet);
    }
}
