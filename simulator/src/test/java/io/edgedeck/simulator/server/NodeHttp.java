package io.edgedeck.simulator.server;

import io.edgedeck.simulator.fleet.EmbeddedKafka;
import io.edgedeck.simulator.fleet.Eventually;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.apache.kafka.clients.admin.Admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls on a node in a process of its own ({@link NodeProcess}), with the keys its data directory holds: the admin
 * {@code token} or the {@code read-key}. Shared by the tests that start fleet nodes as processes.
 */
final class NodeHttp {
    /** A small node's JVM: a fleet test starts several on a shared machine. */
    static final List<String> JVM = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * Makes the fleet's topics on {@code kafka} (if they are not there yet) and writes {@code config} (a node config) to
     * {@code dir/NODEID.json}, on every call: the {@code serve} arguments of fleet node {@code nodeId} with that config and
     * its data directory {@code dir/DATA}, then {@code more}.
     */
    static String[] fleetNode(EmbeddedKafka kafka, Path dir, String config, String nodeId, String data, String... more)
            throws Exception {
        return fleetNode(kafka, kafka.bootstrapServers(), dir, config, nodeId, data, more);
    }

    /** As above, the node given {@code bootstrap} as {@code --kafka} (a relay in front of one of the broker's listeners). */
    static String[] fleetNode(EmbeddedKafka kafka, String bootstrap, Path dir, String config, String nodeId, String data,
                              String... more) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new FleetTopics(FleetTopics.DEFAULT_PREFIX, 1, (short) 1).ensure(admin, Duration.ofSeconds(30));
        }
        Path file = dir.resolve(nodeId + ".json");
        Files.writeString(file, config);
        List<String> args = new ArrayList<>(List.of("--live", "--node-config", file.toString(), "--port", "0", "--data-dir",
                dir.resolve(data).toString(), "--kafka", bootstrap, "--node-id", nodeId));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A request to {@code base}, with the key in {@code data}'s file {@code keyFile}; {@code body} null for none. */
    HttpRequest request(URI base, Path data, String method, String path, String keyFile, String body) throws Exception {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + Files.readString(data.resolve(keyFile)).trim())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Sends a request with the admin token. */
    HttpResponse<String> send(URI base, Path data, String method, String path, String body) throws Exception {
        return http.send(request(base, data, method, path, "token", body), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient client() {
        return http;
    }

    /** The value of metric {@code name} on the node's {@code /metrics}, or {@link Long#MIN_VALUE} while it has none. */
    long metric(URI base, Path data, String name) throws Exception {
        HttpResponse<String> r = http.send(request(base, data, "GET", "/metrics", "read-key", null), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + " (-?\\d+)").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : Long.MIN_VALUE;
    }

    /** Waits for {@code condition}, checked every 100 ms for up to 90 s (a node process on a busy machine). */
    static void await(String what, Eventually.Check condition) throws Exception {
        Eventually.await(what, Duration.ofSeconds(90), Duration.ofMillis(100), condition);
    }
}
