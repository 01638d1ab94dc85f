package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.PopHistory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/** What the connector tests share: a connectors object using every kind and field, gzip as CDNs send it, a robust latency. */
public final class ConnectorFixtures {
    /** A connectors object with every connector kind, presets and a custom mapping, for a node with PoPs fra, par and iad. */
    public static final String FULL = """
            {
              "cdnLogs": [
                {"name": "cloudflare", "format": "cloudflare", "secret": "logpush-secret",
                 "pops": {"FRA": "fra", "CDG": "par", "IAD": "iad"}},
                {"name": "fastly", "format": "fastly", "secret": "fastly-secret", "secretHeader": "Fastly-Secret",
                 "pops": {"FRA": "fra"}, "fastlyServiceIds": ["SU1Z0isxPaozGVKXdv0eY"],
                 "limits": {"maxBodyBytes": 4194304, "maxLineBytes": 4096}},
                {"name": "other-cdn", "format": "custom", "secret": "s", "pops": {"AMS1": "par"},
                 "fields": {"pop": "edge.pop", "latency": "timing.ttfbUs", "latencyScale": 0.001, "timestamp": "ts", "id": "reqId"}}
              ],
              "probes": {"count": 20, "intervalMillis": 5000, "timeoutMillis": 2000, "maxConcurrent": 4,
                         "targets": [{"pop": "fra", "url": "https://fra.edge.example.com/healthz"},
                                     {"pop": "par", "tcp": "par.edge.example.com:443"},
                                     {"pop": "iad", "url": "http://127.0.0.1:8080/iad", "tcp": "[::1]:443"}]},
              "twitch": [{"channel": "#SomeChannel", "tls": true, "idleMillis": 60000, "backoff": {"initialMillis": 500}}],
              "chatWebhooks": [{"name": "youtube", "secret": "bridge-secret", "channel": "youtube:my-show"}],
              "obs": {"host": "127.0.0.1", "port": 4455, "password": "obs-password", "pollMillis": 2000, "windowSeconds": 60}
            }
            """;

    private ConnectorFixtures() {
    }

    /** {@code text} gzipped, as Logpush sends a batch. */
    public static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * The fastest second's p5 of a history's rows that hold a measurement: as SmokePing reads its
     * minimum, a busy machine can only add to it, so it tells a slow PoP from a fast one under load.
     */
    public static double fastestP5(PopHistory h) {
        return IntStream.range(0, h.rows()).filter(i -> h.requests()[i] > 0).mapToDouble(i -> h.p5Ms()[i]).min().orElseThrow();
    }
}
