package io.edgedeck.simulator.server.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which web origins a browser may call the node's browser-facing lanes from (OFREP and ingest), as
 * the node config's {@code cors.allowedOrigins} lists them: cross-origin resource sharing. A
 * preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) under one
 * of those lanes is answered without a key: 204 granting the origin, the lane's methods and the
 * request headers its clients send, or a 403 problem naming an origin not listed. An answer to an
 * allowed origin's request carries {@code Access-Control-Allow-Origin} (the origin itself, never
 * {@code *}) and the headers a client reads. No credentials are granted: the keys travel in
 * {@code Authorization} or {@code X-API-Key}, never a cookie. Other lanes (the control API) get
 * nothing of this. With no origins listed, no origin is granted anything: a preflight is still
 * answered without a key, with the 403 naming the origin and where to list it.
 */
public final class Cors {
    /** The request headers a browser client may send: the keys, the body's type and encoding, an ETag to match. */
    public static final String ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, If-None-Match, X-API-Key";
    /** The answer's headers a browser client may read: the bulk evaluation's tag, a 429's wait, a 405's methods. */
    public static final String EXPOSED_HEADERS = "ETag, Retry-After, Allow, WWW-Authenticate";
    /** How long a browser may reuse a preflight's answer, in seconds. */
    public static final int MAX_AGE_SECONDS = 600;
    /** No browser-facing lane: every request, a preflight too, is any other request. */
    public static final Cors NONE = new Cors(List.of(), Map.of(), null, null);

    private final Set<String> origins;
    /** Lane prefix to the methods a preflight grants under it. */
    private final Map<String, String> lanes;
    /**
     * How the server was started with no {@code cors.allowedOrigins} at all ("this aggregator was started without
     * --node-config"), and the options that give it some; null when it was given a node config.
     */
    private final String startedWithout;
    private final String startAgainWith;

    private Cors(List<String> origins, Map<String, String> lanes, String startedWithout, String startAgainWith) {
        this.origins = Set.copyOf(origins);
        this.lanes = Map.copyOf(lanes);
        this.startedWithout = startedWithout;
        this.startAgainWith = startAgainWith;
    }

    /**
     * The policy for {@code origins} (each already checked by {@link io.edgedeck.simulator.scenario.NodeConfig#originProblem}) on the lanes whose prefix
     * maps to the methods a preflight grants there.
     */
    public static Cors of(List<String> origins, Map<String, String> methodsByLane) {
        List<String> normal = new ArrayList<>();
        for (String o : origins) {
            normal.add(normalise(o));
        }
        return new Cors(normal, new LinkedHashMap<>(methodsByLane), null, null);
    }

    /**
     * The policy of a server started with no node config, so no {@code cors.allowedOrigins}: no origin is granted, and
     * a refused preflight says so ({@code startedWithout}: "this aggregator was started without --node-config") and to
     * start it again with {@code startAgainWith} ("--node-config FILE") naming a node config that lists the origin.
     */
    public static Cors withoutNodeConfig(Map<String, String> methodsByLane, String startedWithout, String startAgainWith) {
        return new Cors(List.of(), new LinkedHashMap<>(methodsByLane), startedWithout, startAgainWith);
    }

    /** As a browser writes it: scheme and host in lower case, the scheme's default port left out. */
    private static String normalise(String origin) {
        URI uri = URI.create(origin);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** The methods a preflight grants for {@code path}, or null when the path is under no browser-facing lane. */
    String methodsFor(String path) {
        if (path == null) {
            return null;
        }
        for (Map.Entry<String, String> lane : lanes.entrySet()) {
            if (path.equals(lane.getKey()) || path.startsWith(lane.getKey() + "/")) {
                return lane.getValue();
            }
        }
        return null;
    }

    /** The longest origin a browser can send: {@code https://}, a 253-character host and {@code :65535}. */
    private static final int MAX_ORIGIN_CHARS = "https://".length() + 253 + ":65535".length();

    /** True when the node lists {@code origin}, as the browser sent it. */
    boolean allows(String origin) {
        return origins.contains(origin);
    }

    /** The answer to a preflight from {@code origin} for a path under a lane granting {@code methods}. */
    Reply.Whole preflight(String origin, String methods, String path) {
        if (!allows(origin)) {
            // The advice is copied into a node config, so an origin of a real host's length is repeated whole; only
            // one longer than any origin can be (a 253-character host, its scheme and port) is cut as peers' values are.
            String shown = origin.length() <= MAX_ORIGIN_CHARS ? '"' + origin + '"' : PeerValues.quoted(origin);
            return Reply.problem(ApiException.forbidden(ApiException.ORIGIN_NOT_ALLOWED, null, "Origin", "the origin "
                    + PeerValues.quoted(origin, '\'') + " may not call " + path + " from a browser: " + (startedWithout != null
                    ? startedWithout + ", so it lists no origin; to let pages on this one call it,"
                            + " start it again with " + startAgainWith + " whose cors.allowedOrigins lists " + shown
                    : origins.isEmpty()
                    ? "the node config's cors.allowedOrigins lists no origin; to let pages on this one call it, add "
                            + shown + " there and start the node again"
                    : "it is not in the node config's cors.allowedOrigins")))
                    .with("Vary", "Origin");
        }
        return Reply.noContent().with("Access-Control-Allow-Origin", origin).with("Vary", "Origin")
                .with("Access-Control-Allow-Methods", methods).with("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .with("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
    }

    /** The headers an answer to an allowed origin's (non-preflight) request carries. */
    static Map<String, String> granted(String origin) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Access-Control-Allow-Origin", origin);
        h.put("Vary", "Origin");
        h.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        return h;
    }
}
