package io.edgedeck.simulator.server;

import com.sun.net.httpserver.HttpServer;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.connectors.obs.LoopbackObsServer;
import io.edgedeck.simulator.connectors.twitch.LoopbackIrcServer;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.show.ShowDefinition;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A node fed only by its connectors, each against the loopback server its tests use, running until
 * killed: what docs/screenshots.sh photographs for the Sources tab and the encoder tile. Probes answer
 * from three PoPs (iad slow), a Logpush batch arrives every 5 s (with one PoP code the mapping lacks),
 * chat flows on Twitch, a chat webhook is set up but silent, and OBS streams dropping 2.5% of frames.
 *
 * <p>Arguments: the node's port and data directory. Prints the console's {@code --connect} line.
 */
public final class ConnectorsShowcase {
    private ConnectorsShowcase() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        HttpServer probed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        probed.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        AtomicInteger n = new AtomicInteger();
        Map.of("fra", 9, "par", 14, "iad", 38).forEach((pop, base) -> probed.createContext("/" + pop, exchange -> {
            try {
                Thread.sleep(base + (n.incrementAndGet() % 5) * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        }));
        probed.start();
        LoopbackIrcServer irc = new LoopbackIrcServer(null);
        LoopbackObsServer obs = new LoopbackObsServer(null);
        String probeBase = "http://127.0.0.1:" + probed.getAddress().getPort();
        String config = """
                {"connectors": {
                   "cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "showcase-secret",
                                "pops": {"FRA": "fra", "CDG": "par", "IAD": "iad"}}],
                   "probes": {"count": 10, "intervalMillis": 2000, "timeoutMillis": 1000,
                              "targets": [{"pop": "fra", "url": "%s/fra"}, {"pop": "par", "url": "%s/par"}, {"pop": "iad", "url": "%s/iad"}]},
                   "twitch": [{"channel": "somechannel", "host": "127.0.0.1", "port": %d, "tls": false}],
                   "chatWebhooks": [{"name": "youtube", "secret": "showcase-secret", "channel": "youtube:my-show"}],
                   "obs": {"host": "127.0.0.1", "port": %d, "pollMillis": 1000}}}
                """.formatted(probeBase, probeBase, probeBase, irc.port(), obs.port());
        ShowDefinition show;
        try (InputStream in = ConnectorsShowcase.class.getResourceAsStream("/io/edgedeck/simulator/server/connectors-show.json")) {
            show = ShowDefinition.of(ScenarioParser.parse(in));
        }
        EdgeNode node = EdgeNode.start(new EdgeNode.Config(show, 1, InetAddress.getLoopbackAddress(), port, dir)
                .withConnectors(ConnectorsConfig.readNodeConfig(config)));
        System.out.println("--connect " + node.baseUri() + " --token-file " + node.tokenFile());
        System.out.flush();
        String[] chat = {"this drop is amazing", "love the new look", "wow", "so good", "lagging a bit for me", "best show"};
        long frames = 0;
        long bytes = 0;
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int round = 0; ; round++) {
                frames += 300;
                bytes += 750_000;
                obs.stream(true, false, bytes, frames / 40, frames);
                obs.stats(14.0, 60, 11.2, 0, frames * 2, frames / 200, frames);
                if (round % 5 == 0) {
                    StringBuilder batch = new StringBuilder();
                    long now = System.currentTimeMillis();
                    for (int i = 0; i < 200; i++) {
                        String colo = i % 7 == 6 ? "SYD" : i % 3 == 0 ? "FRA" : i % 3 == 1 ? "CDG" : "IAD";
                        batch.append("{\"RayID\":\"r").append(round).append('-').append(i).append("\",\"EdgeColoCode\":\"").append(colo)
                                .append("\",\"EdgeTimeToFirstByteMs\":").append(colo.equals("IAD") ? 41 + i % 9 : 12 + i % 6)
                                .append(",\"EdgeResponseStatus\":200,\"EdgeStartTimestamp\":").append(now - 3000 + i).append("}\n");
                    }
                    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                    try (OutputStream gz = new GZIPOutputStream(zipped)) {
                        gz.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                    }
                    http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/connectors/cdn/cloudflare"))
                            .header("X-EdgeDeck-Secret", "showcase-secret")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(), HttpResponse.BodyHandlers.discarding());
                }
                try {
                    irc.privmsg("somechannel", "emotes=;id=s-" + round + ";tmi-sent-ts=" + System.currentTimeMillis() + ";user-id=" + (round % 40),
                            "viewer" + round % 40, chat[round % chat.length]);
                } catch (AssertionError notJoinedYet) {
                    // the connector is still logging in
                }
                Thread.sleep(1000);
                if (Files.exists(dir.resolve("stop"))) {
                    break;
                }
            }
        }
        node.close();
        obs.close();
        irc.close();
        probed.stop(0);
    }
}
