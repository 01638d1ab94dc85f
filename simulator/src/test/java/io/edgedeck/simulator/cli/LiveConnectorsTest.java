package io.edgedeck.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.ingest.IngestStats;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.simulator.connectors.obs.LoopbackObsServer;
import io.edgedeck.simulator.connectors.probe.LoopbackProbeTargets;
import io.edgedeck.simulator.connectors.twitch.LoopbackIrcServer;
import io.edgedeck.simulator.connectors.twitch.TwitchChatConnector;
import io.edgedeck.simulator.connectors.twitch.TwitchUsersTest;
import io.edgedeck.simulator.server.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.edgedeck.simulator.connectors.ConnectorFixtures.gzip;
import static io.edgedeck.simulator.connectors.ConnectorFixtures.fastestP5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connectors on a live node, started the way {@code serve --live --node-config FILE} starts it
 * (the command's own reading of the options and the file, then the node), against real loopback
 * servers of each protocol: a Cloudflare Logpush batch, HTTP probes, a Twitch channel on an IRC
 * server, OBS on an obs-websocket 5 server. Nothing else feeds the node. The PoP nobody feeds says
 * "no data"; an event id sent through the ingest API and again by a connector counts once.
 */
class LiveConnectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "logpush-secret-for-the-test";

    @Test
    void aLiveNodesConnectorsAloneFeedItsTilesHistoryAndSourcesAndOneIntakeCountsAnIdOnce(@TempDir Path dir) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            LoopbackProbeTargets probed = new LoopbackProbeTargets(Map.of("fra", 5, "iad", 40));
            open.add(probed);
            LoopbackIrcServer irc = new LoopbackIrcServer(null);
            open.add(irc);
            LoopbackObsServer obs = new LoopbackObsServer(null);
            open.add(obs);
            obs.stream(true, false, 1_000_000, 0, 1000);
            obs.stats(10, 60, 8, 0, 1000, 0, 1000);

            Path config = dir.resolve("node.json");
            Files.writeString(config, """
                    {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "friday-live",
                     "pops": [{"id": "fra", "region": "eu"}, {"id": "par", "region": "eu"}, {"id": "iad", "region": "na"},
                              {"id": "syd", "region": "ap"}],
                     "connectors": {
                       "cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "%s",
                                    "pops": {"FRA": "fra", "CDG": "par", "IAD": "iad"}}],
                       "probes": {"count": 5, "intervalMillis": 1000, "timeoutMillis": 500,
                                  "targets": [{"pop": "fra", "url": "%s"}, {"pop": "iad", "url": "%s"}]},
                       "twitch": [{"channel": "somechannel", "host": "127.0.0.1", "port": %d, "tls": false}],
                       "obs": {"host": "127.0.0.1", "port": %d, "pollMillis": 250}
                     }}
                    """.formatted(SECRET, probed.url("fra"), probed.url("iad"), irc.port(), obs.port()));

            ServeCommand serve = new ServeCommand(new PrintStream(OutputStream.nullOutputStream()), System.err);
            new CommandLine(serve).parseArgs("--live", "--node-config", config.toString(), "--port", "0",
                    "--data-dir", dir.resolve("data").toString());
            EdgeNode.Config nodeConfig = serve.nodeConfig();
            assertNotNull(nodeConfig, "the command read the node config");
            assertNotNull(nodeConfig.live());
            EdgeNode node = EdgeNode.start(nodeConfig);
            open.add(node);
            String ingestKey = Files.readString(node.ingestKeyFile()).trim();

            try (HttpClient http = HttpClient.newHttpClient()) {
                // The ingest API first takes a request the CDN will report again: the same id.
                HttpResponse<String> ingested = http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/ingest/v1/events"))
                        .header("Authorization", "Bearer " + ingestKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[{\"type\": \"latency\", \"id\": \"cdn:cloudflare:ray-0\","
                                + " \"pop\": \"fra\", \"ms\": 20, \"status\": 200, \"source\": \"cdn\"}]")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ingested.statusCode(), ingested.body());
                assertEquals(1, JSON.readTree(ingested.body()).get("accepted").asInt(), ingested.body());

                // The CDN's batch: 30 requests, 10 per mapped PoP, ray-0 among them.
                long now = System.currentTimeMillis();
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 30; i++) {
                    String colo = i % 3 == 0 ? "FRA" : i % 3 == 1 ? "CDG" : "IAD";
                    batch.append(JSON.writeValueAsString(Map.of("RayID", "ray-" + i, "EdgeColoCode", colo,
                            "EdgeTimeToFirstByteMs", 20 + i % 5, "EdgeResponseStatus", 200, "EdgeStartTimestamp", now - 1000 + i)))
                            .append('\n');
                }
                HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/connectors/cdn/cloudflare"))
                        .header("X-EdgeDeck-Secret", SECRET).header("Content-Encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(batch.toString()))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, pushed.statusCode(), pushed.body());
            }

            irc.awaitJoined(1, Duration.ofSeconds(20));
            String[] lines = {"this drop is amazing", "love it, great show", "best stream ever"};
            for (int i = 0; i < lines.length; i++) {
                irc.privmsg("somechannel", "emotes=;id=m-" + i + ";tmi-sent-ts=" + System.currentTimeMillis() + ";user-id=" + (100 + i),
                        "viewer" + i, lines[i]);
            }

            await("the CDN batch, probes, chat and OBS in the frames", () -> {
                MetricsFrame f = node.latestFrame();
                return f != null && f.encoder() != null && f.chat().messages() >= lines.length && f.pop("par").requests() >= 10
                        && node.sources().stream().anyMatch(s -> s.kind().equals("probes") && s.events() >= 10);
            });
            MetricsFrame frame = node.latestFrame();
            // One keyed intake: ray-0 came through ingest and again from the CDN, and counts once.
            assertEquals(10, frame.pop("fra").requests(), "10 CDN requests at fra, ray-0 once: " + frame.pop("fra"));
            assertEquals(10, frame.pop("iad").requests(), "the audience's count holds no probes");
            IngestStats stats = node.intake().orElseThrow().stats();
            assertEquals(1, stats.duplicates(), "the CDN's ray-0 was the ingest API's ray-0: " + stats);
            // Tiles: latency from the CDN's records; the PoP nothing feeds says so.
            assertTrue(frame.pop("par").last60s().p50Ms() >= 20 && frame.pop("par").last60s().p50Ms() <= 25, frame.pop("par").toString());
            await("syd has no data", () -> node.latestFrame().pop("syd").health() == PopHealth.NO_DATA);
            assertEquals(0, node.latestFrame().pop("syd").requests());
            assertTrue(frame.chat().netSentiment() > 0, frame.chat().toString());
            // The viewers the Twitch connector remembers across restarts (saved before their chat reached the
            // node) are on disk as the node's keys only: a login and an id for each.
            String viewers = Files.readString(TwitchChatConnector.viewersFile(dir.resolve("data"), "somechannel"));
            assertEquals(2 * lines.length, viewers.lines().count(), viewers);
            TwitchUsersTest.assertKeysOnly(viewers, "viewer0", "viewer1", "viewer2");

            try (HttpEdgeConnection console = HttpEdgeConnection.open(node.baseUri(), Files.readString(node.tokenFile()).trim())) {
                await("the console is online", () -> console.status().online());
                long second = node.latestFrame().engineMillis() / 1000 + 1;
                // History: fra's audience rows and its probe series beside them; iad's probes the slower.
                PopHistory fra = console.history("fra", 0, second).get(10, TimeUnit.SECONDS);
                assertEquals(10, Arrays.stream(fra.requests()).sum(), fra.toString());
                assertNotNull(fra.probes(), "fra is probed");
                assertTrue(Arrays.stream(fra.probes().requests()).sum() >= 5, fra.probes().toString());
                PopHistory iad = console.history("iad", 0, second).get(10, TimeUnit.SECONDS);
                assertTrue(fastestP5(iad.probes()) > fastestP5(fra.probes()) + 20, "iad's probes are the slower: "
                        + Arrays.toString(iad.probes().p5Ms()) + " against " + Arrays.toString(fra.probes().p5Ms()));
                assertNull(console.history("par", 0, second).get(10, TimeUnit.SECONDS).probes(), "nobody probes par: no probe series");
                // Sources: the ingest lane per kind of event, then the connectors and the core; no simulated audience on a live node.
                List<SourceStatus> all = console.sources().get(10, TimeUnit.SECONDS);
                assertTrue(all.stream().anyMatch(s -> s.kind().equals("ingest")), "the ingest lane is listed: " + all);
                List<SourceStatus> sources = all.stream().filter(s -> !s.kind().equals("ingest")).toList();
                assertEquals(List.of("cdn-logs", "probes", "twitch", "obs", "core"), sources.stream().map(SourceStatus::kind).toList());
                assertEquals(29, sources.getFirst().events(), "30 records, ray-0 the ingest API's already: a duplicate");
                SourceStatus latency = all.stream().filter(s -> s.kind().equals("ingest") && s.name().equals("latency")).findFirst()
                        .orElseThrow();
                assertEquals(1, latency.events(), "the ingest row counts the one event the ingest API took, no probe or CDN record");
                assertEquals(lines.length, sources.get(2).events());
                assertEquals(0, sources.getLast().errorTotal(), "the core refused nothing: " + sources.getLast());
            }
        } finally {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        }
    }

    @Test
    void aConnectorMappingToAPopTheNodeDoesNotHaveStopsTheStartWithExit2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n",
                 "pops": [{"id": "fra", "region": "eu"}, {"id": "par", "region": "eu"}],
                 "connectors": {
                   "cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "s",
                                "pops": {"FRA": "fra", "CDG": "parr"}}]}}""");
        CliRun live = CliRun.of("serve", "--live", "--node-config", config.toString(), "--port", "0", "--data-dir",
                dir.resolve("data").toString());
        assertEquals(2, live.code());
        assertTrue(live.err().contains(config + ":5:") && live.err().contains("$.connectors.cdnLogs[0].pops.CDG")
                && live.err().contains("'cloudflare'") && live.err().contains("'parr'") && live.err().contains("did you mean 'par'?"),
                live.err());
        assertFalse(Files.exists(dir.resolve("data").resolve("ingest-key")), "refused before anything was made");

        Path connectors = dir.resolve("connectors.json");
        Files.writeString(connectors, """
                {"probes": {"targets": [{"pop": "fra", "url": "https://fra.example/"},
                                        {"pop": "frx", "url": "https://frx.example/"}]}}""");
        CliRun rehearsal = CliRun.of("serve", "--scenario", "steady-show", "--connectors", connectors.toString(), "--port", "0",
                "--data-dir", dir.resolve("rehearsal").toString());
        assertEquals(2, rehearsal.code());
        assertTrue(rehearsal.err().contains(connectors + ":2:") && rehearsal.err().contains("$.probes.targets[1].pop")
                && rehearsal.err().contains("'frx'") && rehearsal.err().contains("did you mean 'fra'?"), rehearsal.err());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
