package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.NodeInfo;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetGuardrails;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code serve --fleet}: the fleet aggregator. It reads every node's aggregates and frames from
 * the fleet's topics ({@link FleetAggregator}) and serves what it knows: {@code GET /healthz},
 * {@code GET /api/v1/fleet} (the fleet per PoP, per variant and per node, with each node's health),
 * {@code GET /metrics}, and the read side of the Edge Control API a node serves, so a console connected
 * here watches the whole fleet: {@code /api/v1/me}, the fleet's metrics frames
 * ({@code /api/v1/frames/stream}, {@code /frames/latest}, made by {@link io.edgedeck.simulator.fleet.FleetFrames}),
 * and the PoPs, flags and guardrails in them. OFREP evaluations are answered by the node that serves the
 * viewer ({@link FleetOfrep}), so they count as exposures where the node's evidence is. Every other operation of
 * a node's API is refused with a problem that says where to go ({@link FleetRefusals}): changes on a node's API. Every
 * answer carries {@value #SERVER_HEADER}: {@value #SERVER_KIND}. It keeps no state of its own on disk
 * besides its keys: started again, it reads the topics again and rebuilds the same state.
 *
 * <p>Data directory: {@code node.lock}, {@code token} (the admin token) and {@code read-key}, as a
 * node's. The read key or the admin token opens {@code /api/v1}, both as viewers (but the admin token alone fires a show cue
 * for every node, {@link FleetCues}); the read key {@code /metrics}
 * and {@code /ofrep/v1}. The aggregator calls the nodes' OFREP with the nodes' read key, given as a file
 * ({@code --nodes-read-key}), or else with its own read key, which then must be every node's too.
 */
public final class FleetServer implements AutoCloseable {

    /** The span of the fleet's recent figures, in seconds of event time. */
    public static final int WINDOW_SECONDS = 60;
    /** The header every answer of the aggregator carries, so a client can tell it from a node before it offers anything. */
    public static final String SERVER_HEADER = "X-EdgeDeck-Server";
    /** {@link #SERVER_HEADER}'s value, and the role {@code /healthz} names. */
    public static final String SERVER_KIND = "fleet-aggregator";

    private final DataDirectoryLock lock;
    private final FleetAggregator aggregator;
    private final FleetFrameSource frames;
    private final NodeHttpServer http;
    private final NodeToken token;
    private final NodeToken readKey;

    private final FleetDecisions decisions;
    private final FleetOfrep ofrep;
    private final FleetCues cues;

    private FleetServer(DataDirectoryLock lock, FleetAggregator aggregator, FleetFrameSource frames, NodeHttpServer http,
                        NodeToken token, NodeToken readKey, FleetDecisions decisions, FleetOfrep ofrep, FleetCues cues) {
        this.lock = lock;
        this.aggregator = aggregator;
        this.frames = frames;
        this.http = http;
        this.token = token;
        this.readKey = readKey;
        this.decisions = decisions;
        this.ofrep = ofrep;
        this.cues = cues;
    }

    /** An aggregator that decides no guardrail: each node decides its own. */
    public static FleetServer start(FleetOptions options, InetAddress bind, int port, Path dataDir, long sinceMillis)
            throws IOException, EdgeNode.StartException {
        return start(options, bind, port, dataDir, sinceMillis, null, null);
    }

    /**
     * Takes the data directory, starts reading the fleet (Kafka need not be reachable yet) and serves.
     *
     * @param sinceMillis read the topics from this time on (epoch ms), 0 for everything retained
     * @param guardrails  the rules this aggregator decides on the fleet's evidence ({@link FleetDecisions#rules}),
     *                    or null for none
     * @param nodesReadKey the file holding the read key the nodes take, with which the aggregator calls their OFREP;
     *                    null for the aggregator's own read key
     */
    public static FleetServer start(FleetOptions options, InetAddress bind, int port, Path dataDir, long sinceMillis,
                                    FleetGuardrails guardrails, Path nodesReadKey) throws IOException, EdgeNode.StartException {
        return start(options, bind, port, dataDir, sinceMillis, guardrails, nodesReadKey, List.of());
    }

    /**
     * The same, letting browsers call {@code /ofrep/v1} from {@code allowedOrigins} (the {@code cors.allowedOrigins} of the
     * node config the aggregator is given; null when it is given none), as a node does: a preflight from any other
     * origin, none listed too, is a 403 naming it, never a 401 asking for a key a preflight cannot send.
     */
    public static FleetServer start(FleetOptions options, InetAddress bind, int port, Path dataDir, long sinceMillis,
                                    FleetGuardrails guardrails, Path nodesReadKey, List<String> allowedOrigins)
            throws IOException, EdgeNode.StartException {
        EdgeNode.refuseTakenAddress(bind, port);
        Path dir = dataDir.toAbsolutePath();
        // A start refused before the aggregator serves leaves the directory as it found it, as a node's does.
        DirectoryAsFound.Taken taken = DirectoryAsFound.take(dir);
        DataDirectoryLock lock = taken.lock();
        boolean serving = false;
        List<io.edgedeck.simulator.server.http.NodeToken> settled = new java.util.ArrayList<>();
        FleetAggregator aggregator = null;
        FleetFrameSource frames = null;
        FleetDecisions decisions = null;
        FleetOfrep ofrep = null;
        FleetCues cues = null;
        NodeHttpServer http = null;
        try {
            // Read, or made when not there; a mode tightened or a crash's leftover removed only once the start goes on.
            NodeToken token = NodeToken.read(dir.resolve("token"));
            NodeToken readKey = NodeToken.read(dir.resolve("read-key"));
            String nodesKey = readKeyFile(nodesReadKey != null ? nodesReadKey : readKey.file());
            aggregator = new FleetAggregator(options.topics(), options.kafkaBase(), WINDOW_SECONDS, sinceMillis);
            if (guardrails != null) {
                decisions = FleetDecisions.open(options, aggregator, guardrails);
            }
            frames = new FleetFrameSource(aggregator, decisions);
            ofrep = new FleetOfrep(aggregator::nodeFrames, aggregator::outage, System::currentTimeMillis,
                    () -> System.nanoTime() / 1_000_000, nodesKey);
            cues = new FleetCues(options, aggregator);
            HttpLimits limits = HttpLimits.defaults();
            http = NodeHttpServer.start(new InetSocketAddress(bind, port), null, limits,
                    new Router(lanes(aggregator, token, readKey, frames, ofrep, cues), limits, Map.of(SERVER_HEADER, SERVER_KIND),
                            cors(allowedOrigins)));
            aggregator.start();
            frames.start();
            if (decisions != null) {
                decisions.start();
            }
            try {
                taken.settle(settled, token, readKey);
            } catch (IOException e) {
                throw new EdgeNode.StartException(EdgeNode.keysNotSettled(dir, e), e);
            }
            // Serving from here: what the start made is the aggregator's data.
            serving = true;
            return new FleetServer(lock, aggregator, frames, http, token, readKey, decisions, ofrep, cues);
        } catch (IOException | RuntimeException | EdgeNode.StartException e) {
            // One way out for every refusal: close what started, take back what the start made, then say why. The modes
            // go back, and what the start made is taken back, while the start still holds the directory's lock, let go of
            // last: a start that takes it next finds the directory as it was and settles it itself, rather than having its
            // modes set back and its new files removed under it.
            try {
                DirectoryAsFound.Taken.closing(e, http == null ? null : http::close, cues == null ? null : cues::close,
                        ofrep == null ? null : ofrep::close, decisions == null ? null : decisions::close,
                        frames == null ? null : frames::close, aggregator == null ? null : aggregator::close);
            } finally {
                taken.letGo(serving, e, settled);
            }
            String kafka = io.edgedeck.simulator.fleet.FleetKafka.refusal(e);
            if (kafka != null) {
                throw new EdgeNode.StartException("cannot read the fleet from --kafka " + options.bootstrap() + ": " + kafka, e);
            }
            throw e;
        }
    }

    /**
     * Who may call {@code /ofrep/v1} from a browser: the origins of the aggregator's node config, or, started without one,
     * none, a refused preflight saying to start it again with {@code --node-config}.
     */
    private static io.edgedeck.simulator.server.http.Cors cors(List<String> allowedOrigins) {
        Map<String, String> lanes = Map.of("/ofrep/v1", "GET, POST");
        return allowedOrigins == null
                ? io.edgedeck.simulator.server.http.Cors.withoutNodeConfig(lanes,
                        "this aggregator was started without --node-config", "--node-config FILE")
                : io.edgedeck.simulator.server.http.Cors.of(allowedOrigins, lanes);
    }

    /** The key in {@code file}, trimmed; a file that is missing or empty stops the start, naming it. */
    private static String readKeyFile(Path file) throws EdgeNode.StartException {
        String key;
        try {
            key = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new EdgeNode.StartException("--nodes-read-key " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (key.isEmpty()) {
            throw new EdgeNode.StartException("--nodes-read-key " + file + " is empty: give the file of the nodes' read key", null);
        }
        return key;
    }

    private static List<Lane> lanes(FleetAggregator aggregator, NodeToken token, NodeToken readKey, FleetFrameSource frames,
                                    FleetOfrep ofrep, FleetCues cues) {
        // Everyone views at the aggregator: it takes no change, so its admin token has a viewer's rights too.
        Access readKeyOrToken = Access.readKeyOr(readKey, Access.bearerOrApiKey(token, new Caller(Caller.ADMIN, Role.VIEWER),
                "the aggregator's read key or admin token is required (Authorization: Bearer <key>)"));
        // Probes and scrapers add query parameters of their own (a load balancer's health check, Prometheus's
        // params:); this route reads none and changes nothing, so it refuses none.
        Lane health = new Lane("/healthz", Access.anyone(), List.of(Route.get("", c -> {
            String error = aggregator.lastError();
            ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", error == null ? "ok" : "failed")
                    .put("role", SERVER_KIND).put("lag", aggregator.lag());
            if (error != null) {
                // The reader stopped: a supervisor should start the aggregator again, which rebuilds from the topics.
                body.put("detail", error);
                return Reply.json(503, body);
            }
            String unanswered = aggregator.unanswered();
            if (unanswered != null) {
                // It runs and serves what it read; lag -1 says the fleet's figures may be behind, and this says why.
                body.put("detail", unanswered);
            }
            return Reply.ok(body);
        }).takingAnyQuery()));
        Lane fleet = new Lane("/api/v1/fleet", readKeyOrToken, List.of(Route.get("", c -> {
            FleetSnapshot s = aggregator.snapshot(System.currentTimeMillis());
            ObjectNode body = JsonBodies.MAPPER.valueToTree(s);
            body.put("lag", aggregator.lag());
            // How long a cue fired here may take to be answered: its window is the aggregator's --cue-window.
            body.put("cueAnswerWithinMillis", cues.answerWithin().toMillis());
            // Whether the aggregator reaches Kafka: while it does not, no node is heard, whatever the nodes do.
            FleetAggregator.Outage outage = aggregator.outage();
            ObjectNode kafka = body.putObject("kafka").put("reachable", outage == null);
            if (outage != null) {
                kafka.put("unreachableSinceMillis", outage.sinceMillis()).put("detail", outage.detail());
            }
            return Reply.ok(body);
        })));
        Lane metrics = new Lane("/metrics", readKeyOnly(readKey, token, "/metrics"), List.of(Route.get("", c ->
                Reply.bytes(200, PrometheusExposition.CONTENT_TYPE, (FleetExposition.render(
                        aggregator.snapshot(System.currentTimeMillis()), aggregator.lag()) + ofrep.metrics())
                        .getBytes(StandardCharsets.UTF_8)))));
        NodeInfo self = NodeBuild.info(NodeInfo.FLEET_AGGREGATOR);
        List<Route> api = new ArrayList<>(List.of(
                Route.get("/me", c -> Reply.ok(c.caller())),
                Route.get("/node", c -> Reply.ok(self)),
                Route.get("/frames/stream", frames.stream()::answer),
                Route.get("/frames/latest", c -> Reply.ok(frames.latest())),
                Route.get("/pops", c -> Reply.ok(frames.latest().pops())),
                Route.get("/flags", c -> Reply.ok(frames.latest().flags())),
                Route.get("/guardrails", c -> Reply.ok(frames.latest().guardrails())),
                // The one change the aggregator takes: a show cue, for every node (its admin token).
                cues.route()));
        api.addAll(FleetRefusals.api(api, () -> nodesAndPops(aggregator)));
        Lane evaluations = new Lane("/ofrep/v1", readKeyOnly(readKey, token, "/ofrep/v1"), ofrep.routes());
        Lane ingest = new Lane("/ingest/v1", Access.anyone(), FleetRefusals.ingest(() -> nodesAndPops(aggregator)));
        return List.of(health, fleet, new Lane("/api/v1", readKeyOrToken, api), evaluations, ingest, metrics);
    }

    /**
     * The read key alone, as a node's {@code /metrics} and {@code /ofrep/v1} take it: the aggregator's admin token
     * there is known, and told so (403, saying which key opens what), where a key it does not know is a 401.
     */
    private static Access readKeyOnly(NodeToken readKey, NodeToken token, String lane) {
        return Access.bearerOrApiKey(readKey, Access.READ_KEY,
                "the aggregator's read key is required (Authorization: Bearer, or X-API-Key)").forbidding(List.of(token),
                "this key does not open " + lane + ": the aggregator's read key opens /metrics and /ofrep/v1, its read key"
                        + " and admin token /api/v1");
    }

    /** "node-a (ams, fra), node-b (lhr)": the nodes the aggregator has heard of, for a refusal to point at. */
    private static String nodesAndPops(FleetAggregator aggregator) {
        List<String> out = new ArrayList<>();
        for (FleetSnapshot.NodeView n : aggregator.snapshot(System.currentTimeMillis()).nodes()) {
            out.add(n.node() + (n.pops().isEmpty() ? "" : " (" + String.join(", ", n.pops()) + ")"));
        }
        return out.isEmpty() ? "none heard from yet" : String.join(", ", out);
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

    /** The guardrails this aggregator decides, if any. */
    public java.util.Optional<FleetGuardrails> guardrails() {
        return java.util.Optional.ofNullable(decisions).map(FleetDecisions::guardrails);
    }

    @Override
    public void close() {
        if (decisions != null) {
            decisions.close();
        }
        frames.close();
        http.close();
        ofrep.close();
        cues.close();
        aggregator.close();
        try {
            lock.close();
        } catch (IOException ignored) {
            // the process is ending; the lock file goes with it
        }
    }
}
