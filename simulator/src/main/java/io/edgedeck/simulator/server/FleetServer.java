package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetSnapshot;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.HttpLimits;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeHttpServer;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.server.http.Router;
import io.edgedeck.simulator.server.metrics.FleetExposition;
import io.edgedeck.simulator.server.metrics.PrometheusExposition;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code serve --fleet}: the fleet aggregator. It reads every node's aggregates and frames from
 * the fleet's topics ({@link FleetAggregator}) and serves what it knows: {@code GET /healthz},
 * {@code GET /api/v1/fleet} (the fleet per PoP, per variant and per node, with each node's health)
 * and {@code GET /metrics}. It keeps no state of its own on disk besides its keys: started again,
 * it reads the topics again and rebuilds the same state.
 *
 * <p>Data directory: {@code node.lock}, {@code token} (the admin token) and {@code read-key}, as a
 * node's. The read key or the admin token opens {@code /api/v1/fleet}; the read key {@code /metrics}.
 */
public final class FleetServer implements AutoCloseable {

    /** The span of the fleet's recent figures, in seconds of event time. */
    public static final int WINDOW_SECONDS = 60;

    private final DataDirectoryLock lock;
    private final FleetAggregator aggregator;
    private final NodeHttpServer http;
    private final NodeToken token;
    private final NodeToken readKey;

    private FleetServer(DataDirectoryLock lock, FleetAggregator aggregator, NodeHttpServer http, NodeToken token,
                        NodeToken readKey) {
        this.lock = lock;
        this.aggregator = aggregator;
        this.http = http;
        this.token = token;
        this.readKey = readKey;
    }

    /**
     * Takes the data directory, starts reading the fleet (Kafka need not be reachable yet) and serves.
     *
     * @param sinceMillis read the topics from this time on (epoch ms), 0 for everything retained
     */
    public static FleetServer start(FleetOptions options, InetAddress bind, int port, Path dataDir, long sinceMillis)
            throws IOException, EdgeNode.StartException {
        Path dir = dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        DataDirectoryLock lock;
        try {
            lock = DataDirectoryLock.acquire(dir);
        } catch (DataDirectoryLock.HeldException e) {
            throw new EdgeNode.StartException(e.getMessage(), e);
        }
        FleetAggregator aggregator = null;
        try {
            NodeToken token = NodeToken.loadOrCreate(dir.resolve("token"));
            NodeToken readKey = NodeToken.loadOrCreate(dir.resolve("read-key"));
            aggregator = new FleetAggregator(options.topics(), options.kafkaBase(), WINDOW_SECONDS, sinceMillis);
            HttpLimits limits = HttpLimits.defaults();
            NodeHttpServer http = NodeHttpServer.start(new InetSocketAddress(bind, port), null, limits,
                    new Router(lanes(aggregator, token, readKey), limits));
            aggregator.start();
            return new FleetServer(lock, aggregator, http, token, readKey);
        } catch (org.apache.kafka.common.KafkaException e) {
            lock.close();
            throw new EdgeNode.StartException("cannot read the fleet from --kafka " + options.bootstrap() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (aggregator != null) {
                aggregator.close();
            }
            lock.close();
            throw e;
        }
    }

    private static List<Lane> lanes(FleetAggregator aggregator, NodeToken token, NodeToken readKey) {
        Access readKeyOrToken = Access.readKeyOr(readKey, Access.bearerOrApiKey(token, new io.edgedeck.client.model.Caller(
                io.edgedeck.client.model.Caller.ADMIN, io.edgedeck.client.model.Role.ADMIN), "the aggregator's read key or admin token is required"
                + " (Authorization: Bearer <key>)"));
        Lane health = new Lane("/healthz", Access.anyone(), List.of(Route.get("", c -> {
            String error = aggregator.lastError();
            ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", error == null ? "ok" : "failed")
                    .put("role", "fleet-aggregator").put("lag", aggregator.lag());
            if (error != null) {
                // The reader stopped: a supervisor should start the aggregator again, which rebuilds from the topics.
                body.put("detail", error);
                return Reply.json(503, body);
            }
            return Reply.ok(body);
        })));
        Lane fleet = new Lane("/api/v1/fleet", readKeyOrToken, List.of(Route.get("", c -> {
            FleetSnapshot s = aggregator.snapshot(System.currentTimeMillis());
            ObjectNode body = JsonBodies.MAPPER.valueToTree(s);
            body.put("lag", aggregator.lag());
            return Reply.ok(body);
        })));
        Lane metrics = new Lane("/metrics", Access.bearerOrApiKey(readKey, Access.READ_KEY,
                "the aggregator's read key is required (Authorization: Bearer, or X-API-Key)"), List.of(Route.get("", c ->
                Reply.bytes(200, PrometheusExposition.CONTENT_TYPE, FleetExposition.render(
                        aggregator.snapshot(System.currentTimeMillis()), aggregator.lag()).getBytes(StandardCharsets.UTF_8)))));
        return List.of(health, fleet, metrics);
    }

    public URI baseUri() {
        return http.baseUri();
    }

    public Path tokenFile() {
        return token.file();
    }

    public Path readKeyFile() {
        return readKey.file();
    }

    public FleetAggregator aggregator() {
        return aggregator;
    }

    @Override
    public void close() {
        http.close();
        aggregator.close();
        try {
            lock.close();
        } catch (IOException ignored) {
            // the process is ending; the lock file goes with it
        }
    }
}
