package io.edgedeck.simulator.server;

import io.edgedeck.simulator.server.http.PeerValues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetFrames;
import io.edgedeck.simulator.fleet.NodeFrame;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.server.metrics.FleetExposition;
import io.edgedeck.simulator.server.ofrep.OfrepEvaluator;
import io.edgedeck.simulator.server.ofrep.OfrepLane;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * OFREP at the fleet's aggregator ({@code /ofrep/v1}): each evaluation is answered by a node of the fleet, so an
 * application pointed at the aggregator gets exactly the variant the edge serves that unit, and the evaluation is
 * that unit's exposure at that node, counted in the evidence the node's guardrails and the fleet's decide on. The
 * aggregator itself evaluates nothing: it has neither the flags' salts nor a PoP's own version while a change
 * propagates, which the node has.
 *
 * <p>Which node answers:
 * <ul>
 *   <li>the nodes heard from within {@link FleetFrames#STALE_MILLIS} whose frames say where their API is
 *   ({@link NodeFrame#url()}), and of those, when the context names a {@code pop}, the ones that serve it; while the
 *   aggregator cannot reach Kafka no node is called silent that was not already silent when it last could, and every
 *   node that was fresh then and whose last frame says where it is may answer;</li>
 *   <li>ranked for the context's {@code targetingKey} by rendezvous hashing, so a unit goes to the same node
 *   every time while the live nodes stay the same (its exposures are counted at one node), and only the units of
 *   a node that goes silent move;</li>
 *   <li>a node that refuses the connection, or does not take it within {@link #CONNECT_TIMEOUT}, is passed over
 *   for the next: it cannot have counted anything. A node that took the request and did not answer within
 *   {@link #ANSWER_TIMEOUT} is not retried elsewhere, since it may have counted the exposure: the answer is 504.</li>
 *   <li>a node whose connection failed that way is remembered for {@link #PASSED_OVER_FOR} and passed over without being
 *   called, so that each evaluation does not wait out the connect timeout again (a stopped node while the aggregator
 *   cannot reach Kafka stays where its last frame put it); the first evaluation for it after that, or after a frame of
 *   the node reached the aggregator, calls it again, while the others still pass it over until that one's call ends.
 *   Counted per node on {@code /metrics}.</li>
 * </ul>
 * The node's answer is relayed as it is (status, body, {@code ETag}), with {@value #NODE_HEADER} naming the node.
 * The aggregator's own failures are in OFREP's shapes ({@code errorCode} {@code GENERAL} or
 * {@code INVALID_CONTEXT}), so an OpenFeature provider reads them as evaluation errors and serves its default.
 * The aggregator calls the nodes with the key given to it for them ({@code serve --fleet --nodes-read-key}).
 */
final class FleetOfrep implements AutoCloseable {
    /** The header naming the node that answered an evaluation. */
    static final String NODE_HEADER = "X-EdgeDeck-Node";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /** How long a node whose connection failed is passed over before an evaluation calls it again. */
    static final Duration PASSED_OVER_FOR = Duration.ofSeconds(5);
    private static final String PREFIX = "/ofrep/v1";

    private final Supplier<Map<String, NodeFrame>> nodes;
    private final Supplier<FleetAggregator.Outage> kafka;
    private final LongSupplier clock;
    private final LongSupplier ticks;
    private final String nodesKey;
    private final HttpClient http;
    /** By node id, the nodes whose connection failed and are passed over now, or being called again. */
    private final Map<String, Unreachable> unreachable = new ConcurrentHashMap<>();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    /** Why a connection to a node failed, by the cause the HTTP client gives: its label on /metrics, and its words. */
    enum Failure {
        REFUSED("refused", "connection refused", "refused its connection"),
        UNREACHABLE("unreachable", "no route to the node's host", "had no route to its host"),
        UNRESOLVED("unresolved", "its URL's host name does not resolve", "its URL's host name did not resolve"),
        TIMEOUT("timeout", "no connection within " + CONNECT_TIMEOUT.toMillis() + " ms", "did not take its connection");

        final String label;
        /** Said of a node called now: "node-a at http://edge-7:8787 (no route to the node's host)". */
        final String now;
        /** Said of a node passed over, before "3 s ago". */
        final String then;

        Failure(String label, String now, String then) {
            this.label = label;
            this.now = now;
            this.then = then;
        }

        /**
         * The failure of a connection the HTTP client could not open: it wraps every failure to connect in a
         * {@link ConnectException}, so the causes tell a name that does not resolve and a host with no route to it
         * from a refusal (which JDK 25 gives as a {@link java.nio.channels.ClosedChannelException}, with no words).
         */
        static Failure of(IOException e) {
            if (e instanceof HttpConnectTimeoutException) {
                return TIMEOUT;
            }
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                String said = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
                if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                    return UNRESOLVED;
                }
                if (t instanceof NoRouteToHostException || said.contains("unreachable") || said.contains("no route")) {
                    return UNREACHABLE;
                }
            }
            return REFUSED;
        }
    }

    /**
     * A node whose connection failed: at its URL then, while the aggregator held {@code frame} as its newest, at
     * {@code atMillis} on the aggregator's wall clock, for {@code failure}; passed over until {@code untilMillis} on its
     * forward-only clock, or until a newer frame of the node reaches the aggregator. While {@code calling}, one
     * evaluation is calling it again and {@code untilMillis} bounds that call, after which the next evaluation calls it.
     */
    private record Unreachable(String url, NodeFrame frame, long atMillis, Failure failure, long untilMillis, boolean calling) {
        /** "refused its connection 3 s ago; called again in 2 s", "did not take its connection 3 s ago (none within 1000 ms); ...". */
        String words(long nowMillis, long nowTicks) {
            long ago = Math.max(0, nowMillis - atMillis) / 1000;
            return failure.then + " " + ago + " s ago"
                    + (failure == Failure.TIMEOUT ? " (none within " + CONNECT_TIMEOUT.toMillis() + " ms)" : "") + "; "
                    + (calling ? "being called again now" : "called again in " + seconds(untilMillis - nowTicks) + " s");
        }

        /**
         * Whether an evaluation passes the node over at {@code nowTicks} while the aggregator holds {@code newest} as its
         * newest frame: not at a new URL, not after its time, and not after a frame that reached the aggregator since the
         * failure (the node may be back: one evaluation calls it, so a node that publishes while its API refuses costs
         * one failed connection per frame), unless an evaluation is calling it now.
         */
        boolean passesOver(NodeFrame newest, long nowTicks) {
            return newest != null && url.equals(newest.url()) && nowTicks < untilMillis && (calling || frame == newest);
        }
    }

    /** What {@link #passOver} decided: the failure for which the node is passed over, or the call this evaluation claimed. */
    private record Turn(Unreachable passedOver, Unreachable claimed) {
    }

    /** One node's failed connections by why, and the evaluations sent past it, since the aggregator started. */
    private record Counts(Map<Failure, LongAdder> failed, LongAdder passedOver) {
        Counts() {
            this(new EnumMap<>(Failure.class), new LongAdder());
            for (Failure f : Failure.values()) {
                failed.put(f, new LongAdder());
            }
        }
    }

    /**
     * @param nodes    each node's newest frame, by node id
     * @param kafka    the aggregator's outage of Kafka going on now, null while Kafka answers it
     * @param clock    the aggregator's clock, epoch ms, against which a node's frame is fresh or not
     * @param ticks    a clock in ms that only goes forward (the wall clock may be set back), against which a node is
     *                 passed over for {@link #PASSED_OVER_FOR}
     * @param nodesKey the read key the nodes take
     */
    FleetOfrep(Supplier<Map<String, NodeFrame>> nodes, Supplier<FleetAggregator.Outage> kafka, LongSupplier clock,
               LongSupplier ticks, String nodesKey) {
        this.nodes = nodes;
        this.kafka = kafka;
        this.clock = clock;
        this.ticks = ticks;
        this.nodesKey = nodesKey;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    List<Route> routes() {
        return List.of(
                Route.get("/configuration", c -> OfrepLane.reply(OfrepEvaluator.configurationAnswer(c.headerList("If-None-Match")))),
                Route.post("/evaluate/flags", c -> forward(c, null, "/evaluate/flags")),
                Route.post("/evaluate/flags/{key}", c -> forward(c, c.param(0),
                        "/evaluate/flags/" + URLEncoder.encode(c.param(0), StandardCharsets.UTF_8).replace("+", "%20"))));
    }

    /** Where an evaluation places its unit: its key and PoP as the context gives them, null where it gives none. */
    record Placement(String targetingKey, String pop) {
        /** The context's key and PoP; a body a node would refuse places nothing, and the node chosen says why. */
        static Placement of(byte[] body) {
            try {
                JsonNode root = body == null || body.length == 0 ? null : JsonBodies.MAPPER.readTree(body);
                JsonNode ctx = root == null ? null : root.get("context");
                if (ctx == null || !ctx.isObject()) {
                    return new Placement(null, null);
                }
                return new Placement(text(ctx.get("targetingKey")), text(ctx.get("pop")));
            } catch (IOException e) {
                return new Placement(null, null);
            }
        }

        private static String text(JsonNode v) {
            return v != null && v.isTextual() ? v.asText() : null;
        }
    }

    private Reply forward(Call c, String flag, String path) throws InterruptedException {
        byte[] body = c.body();
        Placement at = Placement.of(body);
        long now = clock.getAsLong();
        Map<String, NodeFrame> frames = nodes.get();
        if (at.pop() != null && frames.values().stream().noneMatch(f -> f.pops().contains(at.pop()))) {
            TreeSet<String> pops = new TreeSet<>();
            frames.values().forEach(f -> pops.addAll(f.pops()));
            return failure(400, flag, "INVALID_CONTEXT", "context.pop "
                    + PeerValues.quoted(at.pop(), '\'')
                    + " is served by no node of the fleet; PoPs: " + (pops.isEmpty() ? "none heard of yet" : String.join(", ", pops)));
        }
        FleetAggregator.Outage outage = kafka.get();
        List<NodeFrame> ranked = ranked(frames, at, outage, now);
        String where = at.pop() == null ? "" : " serving " + at.pop();
        if (ranked.isEmpty()) {
            return failure(503, flag, "GENERAL", (outage == null ? "no node" + where + " has been heard from in the last "
                    + FleetFrames.STALE_MILLIS / 1000 + " s: " : "no node" + where + " can be called: ")
                    + heardOf(frames, at, outage, now) + asLastHeard(outage, now)).with("Retry-After", "1");
        }
        List<String> unreached = new ArrayList<>();
        long retryAtTicks = Long.MAX_VALUE;
        for (NodeFrame node : ranked) {
            // Read again for each node: calling the one before may have taken the connect timeout.
            long nowMillis = clock.getAsLong();
            long nowTicks = ticks.getAsLong();
            Turn turn = passOver(node, nowTicks);
            Unreachable known = turn.passedOver();
            if (known != null) {
                counts(node.node()).passedOver().increment();
                unreached.add(node.node() + " at " + node.url() + " (" + known.words(nowMillis, nowTicks) + ")");
                retryAtTicks = Math.min(retryAtTicks, known.calling() ? nowTicks : known.untilMillis());
                continue;
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + PREFIX + path)).timeout(ANSWER_TIMEOUT)
                        .header("Authorization", "Bearer " + nodesKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                String ifNoneMatch = c.headerList("If-None-Match");
                if (ifNoneMatch != null) {
                    request.header("If-None-Match", ifNoneMatch);
                }
                HttpResponse<byte[]> answer;
                try {
                    answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (HttpConnectTimeoutException | ConnectException e) {
                    Failure why = Failure.of(e);
                    counts(node.node()).failed().get(why).increment();
                    NodeFrame newest = nodes.get().get(node.node());
                    Unreachable failed = new Unreachable(node.url(), newest == null ? node : newest, clock.getAsLong(), why,
                            ticks.getAsLong() + PASSED_OVER_FOR.toMillis(), false);
                    unreachable.put(node.node(), failed);
                    unreached.add(node.node() + " at " + node.url() + " (" + why.now + ")");
                    retryAtTicks = Math.min(retryAtTicks, failed.untilMillis());
                    continue;
                } catch (HttpTimeoutException e) {
                    reached(node);
                    return failure(504, flag, "GENERAL", "node " + node.node() + " took the evaluation and did not answer within "
                            + ANSWER_TIMEOUT.toSeconds() + " s; it may have counted the exposure").with(NODE_HEADER, node.node());
                } catch (IOException | IllegalArgumentException e) {
                    reached(node);
                    return failure(502, flag, "GENERAL", "node " + node.node() + " at " + node.url() + " failed: " + e.getMessage())
                            .with(NODE_HEADER, node.node());
                }
                reached(node);
                if (answer.statusCode() == 401 || answer.statusCode() == 403) {
                    return failure(502, flag, "GENERAL", "node " + node.node() + " refused the key the aggregator calls the nodes with"
                            + " (HTTP " + answer.statusCode() + "): give the aggregator the nodes' read key with --nodes-read-key FILE,"
                            + " or every node the aggregator's read key").with(NODE_HEADER, node.node());
                }
                Reply.Whole relayed = Reply.bytes(answer.statusCode(), answer.body().length == 0 ? null
                        : answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
                String etag = answer.headers().firstValue("ETag").orElse(null);
                return (etag == null ? relayed : relayed.with("ETag", etag)).with(NODE_HEADER, node.node());
            } finally {
                // A call this evaluation claimed that ended without saying whether the node took the connection
                // (interrupted, or an error of the aggregator's own): the node is due, so the next evaluation calls it.
                Unreachable claimed = turn.claimed();
                if (claimed != null) {
                    unreachable.replace(node.node(), claimed, new Unreachable(claimed.url(), claimed.frame(), claimed.atMillis(),
                            claimed.failure(), ticks.getAsLong(), false));
                }
            }
        }
        // Retry-After: when the first of them is called again (a node being called again now: in a second).
        return failure(503, flag, "GENERAL", "no node" + where + " could be reached: " + String.join(", ", unreached)
                + asLastHeard(outage, clock.getAsLong())).with("Retry-After", Long.toString(seconds(retryAtTicks - ticks.getAsLong())));
    }

    /**
     * Whether {@code node} is passed over now, and for which failure; else it is to be called: never failed, failed at
     * another URL (its frames name a new one), or due to be called again (its time is up, or a frame of it reached the
     * aggregator since), which this evaluation then claims while the others go on passing it over.
     */
    private Turn passOver(NodeFrame node, long nowTicks) {
        while (true) {
            Unreachable known = unreachable.get(node.node());
            if (known == null) {
                return new Turn(null, null);
            }
            if (!known.url().equals(node.url())) {
                unreachable.remove(node.node(), known);
            } else if (known.passesOver(node, nowTicks)) {
                return new Turn(known, null);
            } else {
                Unreachable claimed = new Unreachable(known.url(), node, known.atMillis(), known.failure(),
                        nowTicks + CONNECT_TIMEOUT.toMillis() + ANSWER_TIMEOUT.toMillis(), true);
                if (unreachable.replace(node.node(), known, claimed)) {
                    return new Turn(null, claimed);
                }
            }
        }
    }

    /** The node took the aggregator's connection: it is called again from now on. */
    private void reached(NodeFrame node) {
        unreachable.computeIfPresent(node.node(), (id, known) -> known.url().equals(node.url()) ? null : known);
    }

    private Counts counts(String node) {
        return counts.computeIfAbsent(node, id -> new Counts());
    }

    /** Whole seconds from a span in ms, rounded up, at least 1: a Retry-After, or when a node is called again. */
    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** The nodes' failed connections and evaluations sent past them, in Prometheus' text format, by node. */
    String metrics() {
        long nowTicks = ticks.getAsLong();
        Map<String, NodeFrame> frames = nodes.get();
        List<FleetExposition.OfrepNode> out = new ArrayList<>();
        new TreeSet<>(counts.keySet()).forEach(node -> {
            Counts c = counts.get(node);
            Unreachable known = unreachable.get(node);
            Map<String, Long> failed = new LinkedHashMap<>();
            c.failed().forEach((why, n) -> failed.put(why.label, n.sum()));
            out.add(new FleetExposition.OfrepNode(node, failed, c.passedOver().sum(),
                    known != null && known.passesOver(frames.get(node), nowTicks)));
        });
        return FleetExposition.renderOfrep(out, CONNECT_TIMEOUT.toMillis(), PASSED_OVER_FOR.toMillis());
    }

    /** While Kafka is out of the aggregator's reach, what the nodes are known by, in the words of the fleet's frames. */
    private static String asLastHeard(FleetAggregator.Outage kafka, long nowMillis) {
        return kafka == null ? "" : "; " + FleetFrames.unreachable(kafka, nowMillis) + ": the nodes are as last heard of, and may be serving";
    }

    /**
     * The nodes that can answer for {@code at}, the unit's own first: the fresh ones; while the aggregator cannot reach
     * Kafka ({@code kafka} not null) the ones that were fresh when it last could, called by their last frames' URLs (one
     * that stopped refuses the connection and is passed over). A node already silent then, retired or replaced, is not
     * called: its host may be gone, and each call would wait out {@link #CONNECT_TIMEOUT}.
     */
    static List<NodeFrame> ranked(Map<String, NodeFrame> frames, Placement at, FleetAggregator.Outage kafka, long nowMillis) {
        String unit = at.targetingKey() == null ? "" : at.targetingKey();
        return frames.values().stream()
                .filter(f -> f.url() != null && !silentAsKnown(f, kafka, nowMillis)
                        && (at.pop() == null || f.pops().contains(at.pop())))
                .sorted(Comparator.comparingLong((NodeFrame f) -> weight(unit, f.node())).reversed()
                        .thenComparing(NodeFrame::node))
                .toList();
    }

    /**
     * Whether a node is silent as far as the aggregator can know: at {@code nowMillis} while Kafka answers it; while it
     * does not, as the node stood when Kafka last answered, since no frame has reached it since.
     */
    private static boolean silentAsKnown(NodeFrame f, FleetAggregator.Outage kafka, long nowMillis) {
        return FleetFrames.silent(f.atMillis(), kafka == null ? nowMillis : Math.min(nowMillis, kafka.sinceMillis()));
    }

    /**
     * A node's rendezvous weight for a unit: FNV-1a over the unit's and the node's characters, then a 64-bit finaliser
     * (SplitMix64's), so that each node is first for an even share of units and removing one node moves only its units.
     */
    static long weight(String unit, String node) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < unit.length(); i++) {
            h = (h ^ unit.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xFFFF) * 0x100000001b3L;
        for (int i = 0; i < node.length(); i++) {
            h = (h ^ node.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /**
     * "node node-a silent 12 s, node-b names no URL...": the nodes that could have answered and why none did, a silent
     * one counted from its newest frame in the words of the fleet's frames ({@link FleetFrames#silence}); while the
     * aggregator cannot reach Kafka, not silent but not heard ({@link FleetFrames#unheard}), unless it was silent already
     * when the aggregator last could.
     */
    private static String heardOf(Map<String, NodeFrame> frames, Placement at, FleetAggregator.Outage kafka, long nowMillis) {
        List<String> out = new ArrayList<>();
        frames.values().stream().filter(f -> at.pop() == null || f.pops().contains(at.pop()))
                .sorted(Comparator.comparing(NodeFrame::node)).forEach(f -> out.add(f.url() == null
                        ? f.node() + " names no URL in its frames (a node of an older version)"
                        : kafka != null && !silentAsKnown(f, kafka, nowMillis)
                        ? FleetFrames.unheard(f.node(), Math.max(0, nowMillis - f.atMillis()))
                        : FleetFrames.silence(f.node(), f.atMillis(), nowMillis)));
        return out.isEmpty() ? "no node heard of yet" : String.join(", ", out);
    }

    /** An evaluation that failed at the aggregator, in OFREP's shape: with the flag's key for a single evaluation. */
    private static Reply.Whole failure(int status, String flag, String code, String details) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        if (flag != null) {
            node.put("key", flag);
        }
        node.put("errorCode", code).put("errorDetails", details);
        return Reply.json(status, node);
    }

    @Override
    public void close() {
        http.close();
    }
}
