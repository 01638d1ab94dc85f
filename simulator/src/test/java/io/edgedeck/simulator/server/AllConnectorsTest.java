package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.connectors.probe.LoopbackProbeTargets;
import io.edgedeck.simulator.connectors.obs.LoopbackObsServer;
import io.edgedeck.simulator.connectors.twitch.LoopbackIrcServer;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.edgedeck.simulator.connectors.ConnectorFixtures.gzip;
import static io.edgedeck.simulator.connectors.ConnectorFixtures.fastestP5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose only sources are its connectors, every one against a real server of its protocol on
 * loopback: a Cloudflare Logpush batch pushed to the node's endpoint, HTTP probes to three PoPs, a
 * Twitch channel on an IRC server, OBS on an obs-websocket 5 server. Together they drive what the
 * console shows: the PoP tiles (requests, latency), the Jitter view's history over HTTP (the
 * audience's rows and the probes' beside them), chat
 * sentiment, the encoder tile, and the Sources panel's counters.
 */
class AllConnectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "logpush-secret-for-the-test";

    @Test
    void everyConnectorFeedsTheNodeAndTheConsoleSeesIt(@TempDir Path dir) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            // Three PoPs answering probes, each with its own latency and a little jitter.
            LoopbackProbeTargets probed = new LoopbackProbeTargets(Map.of("fra", 8, "par", 12, "iad", 30));
            open.add(probed);
            LoopbackIrcServer irc = new LoopbackIrcServer(null);
            open.add(irc);
            LoopbackObsServer obs = new LoopbackObsServer(null);
            open.add(obs);
            obs.stream(true, false, 1_000_000, 2, 1000);
            obs.stats(12.5, 60, 9.8, 0, 2000, 0, 1000);

            String nodeConfig = """
                    {"name": "friday-drop",
                     "connectors": {
                       "cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "%s",
                                    "pops": {"FRA": "fra", "CDG": "par", "IAD": "iad"}}],
                       "probes": {"count": 5, "intervalMillis": 1000, "timeoutMillis": 500,
                                  "targets": [{"pop": "fra", "url": "%s"}, {"pop": "par", "url": "%s"},
                                              {"pop": "iad", "url": "%s"}]},
                       "twitch": [{"channel": "somechannel", "host": "127.0.0.1", "port": %d, "tls": false}],
                       "obs": {"host": "127.0.0.1", "port": %d, "pollMillis": 250}
                     }}
                    """.formatted(SECRET, probed.url("fra"), probed.url("par"), probed.url("iad"), irc.port(), obs.port());
            ConnectorsConfig connectors = ConnectorsConfig.readNodeConfig(nodeConfig);
            ShowDefinition show;
            try (InputStream in = getClass().getResourceAsStream("/io/edgedeck/simulator/server/connectors-show.json")) {
                show = ShowDefinition.of(ScenarioParser.parse(in));
            }
            EdgeNode node = EdgeNode.start(new EdgeNode.Config(show, 1, InetAddress.getLoopbackAddress(), 0, dir)
                    .withConnectors(connectors));
            open.add(node);

            // CDN: a gzipped Logpush batch, as Cloudflare sends it, with one PoP the mapping does not name.
            long now = System.currentTimeMillis();
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                String colo = i % 3 == 0 ? "FRA" : i % 3 == 1 ? "CDG" : "IAD";
                batch.append(JSON.writeValueAsString(Map.of("RayID", "ray-" + i, "EdgeColoCode", colo,
                        "EdgeTimeToFirstByteMs", 20 + i % 7, "EdgeResponseStatus", 200, "EdgeStartTimestamp", now - 2000 + i,
                        "ClientRequestHost", "live.example.com"))).append('\n');
            }
            batch.append("{\"RayID\":\"ray-x\",\"EdgeColoCode\":\"SYD\",\"EdgeTimeToFirstByteMs\":40,\"EdgeResponseStatus\":200}\n");
            HttpResponse<String> pushed;
            try (HttpClient http = HttpClient.newHttpClient()) {
                pushed = http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/connectors/cdn/cloudflare"))
                        .header("X-EdgeDeck-Secret", SECRET).header("Content-Encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(batch.toString()))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, pushed.statusCode(), pushed.body());
                JsonNode answer = JSON.readTree(pushed.body());
                assertEquals(60, answer.get("accepted").asLong(), pushed.body());
                assertEquals(1, answer.get("unknownPops").get("SYD").asLong(), pushed.body());
                HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/connectors/cdn/cloudflare"))
                        .header("X-EdgeDeck-Secret", "guess").POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, wrong.statusCode(), wrong.body());
                assertEquals("application/problem+json", wrong.headers().firstValue("Content-Type").orElse(""));
            }

            // Twitch: chat as the show's audience writes it.
            irc.awaitJoined(1, Duration.ofSeconds(20));
            String[] lines = {"this drop is amazing", "love it, great show", "wow so good", "best stream ever", "awesome!!"};
            for (int i = 0; i < lines.length; i++) {
                irc.privmsg("somechannel", "emotes=;id=m-" + i + ";tmi-sent-ts=" + System.currentTimeMillis() + ";user-id=" + (100 + i),
                        "viewer" + i, lines[i]);
            }

            LiveNode.await("probes, the CDN batch, chat and OBS in the frames", () -> {
                MetricsFrame f = node.latestFrame();
                return f != null && f.encoder() != null && f.chat().messages() >= lines.length
                        && f.pops().stream().allMatch(p -> p.requests() >= 20)
                        && node.sources().stream().anyMatch(s -> s.kind().equals("probes") && s.events() >= 45);
            });
            MetricsFrame frame = node.latestFrame();
            // Tiles: every PoP has the audience's requests the CDN reported, at the latency it reported; probes are apart.
            for (var p : frame.pops()) {
                assertEquals(20, p.requests(), p.toString());
                assertTrue(p.last60s().p50Ms() >= 20 && p.last60s().p50Ms() <= 27, p.toString());
            }
            // Sentiment: five glowing lines read as positive.
            assertTrue(frame.chat().netSentiment() > 0, frame.chat().toString());
            // The encoder tile: OBS streaming within its thresholds.
            EncoderHealth encoder = frame.encoder();
            assertEquals(EncoderHealth.Level.OK, encoder.level(), encoder.toString());
            assertEquals(16.7, encoder.frameTimeMs(), 0.1);

            try (HttpEdgeConnection console = HttpEdgeConnection.open(node.baseUri(),
                    java.nio.file.Files.readString(node.tokenFile()).trim())) {
                LiveNode.await("the console is online", () -> console.status().online());
                LiveNode.await("the encoder in the console's frames", () -> console.latestFrame().map(f -> f.encoder() != null).orElse(false));
                // The Jitter view: fra's history over HTTP holds the CDN's seconds, and the probes' series beside them, with jitter.
                long second = node.latestFrame().engineMillis() / 1000;
                PopHistory fra = console.history("fra", 0, second + 1).get(10, TimeUnit.SECONDS);
                assertEquals(20, Arrays.stream(fra.requests()).sum(), fra.toString());
                assertTrue(Arrays.stream(fra.probes().requests()).sum() >= 10, fra.probes().toString());
                assertTrue(Arrays.stream(fra.probes().jitterMs()).filter(v -> !Double.isNaN(v)).max().orElse(0) > 0, "probe latencies vary, so fra's probes have jitter: "
                        + Arrays.toString(fra.probes().jitterMs()));
                PopHistory iad = console.history("iad", 0, second + 1).get(10, TimeUnit.SECONDS);
                assertTrue(fastestP5(iad.probes()) > fastestP5(fra.probes()) + 10, "iad is the slow one to its probes: "
                        + Arrays.toString(iad.probes().p5Ms()) + " against " + Arrays.toString(fra.probes().p5Ms()));
                // The Sources panel: each connector with its events, the unknown PoP counted.
                List<SourceStatus> sources = console.sources().get(10, TimeUnit.SECONDS);
                Map<String, SourceStatus> byKind = new java.util.HashMap<>();
                sources.forEach(s -> byKind.put(s.kind(), s));
                assertEquals(List.of("simulator", "cdn-logs", "probes", "twitch", "obs", "core"),
                        sources.stream().map(SourceStatus::kind).toList());
                assertEquals(60, byKind.get("cdn-logs").events());
                assertEquals(1, byKind.get("cdn-logs").unknownPops().get("SYD"));
                assertEquals(SourceState.LISTENING, byKind.get("cdn-logs").state());
                assertTrue(byKind.get("probes").events() >= 15, byKind.get("probes").toString());
                assertEquals(lines.length, byKind.get("twitch").events());
                assertEquals(SourceState.CONNECTED, byKind.get("obs").state(), byKind.get("obs").toString());
                assertEquals(0, byKind.get("core").errorTotal(), "the core refused nothing: " + byKind.get("core"));
                assertEquals(0, byKind.get("simulator").events(), "no simulated audience in this show");
            }
            HttpResponse<String> metrics;
            try (HttpClient http = HttpClient.newHttpClient()) {
                metrics = http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/metrics"))
                        .header("Authorization", "Bearer " + java.nio.file.Files.readString(node.readKeyFile()).trim()).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertTrue(metrics.body().contains("edgedeck_connector_events_total{kind=\"cdn-logs\",name=\"cloudflare\"} 60"), metrics.body());
            assertTrue(metrics.body().contains("edgedeck_connector_unknown_pop_requests_total{kind=\"cdn-logs\",name=\"cloudflare\",code=\"SYD\"} 1"));
            assertNotNull(frame);
        } finally {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        }
    }

}
