package io.edgedeck.simulator.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.Problem;
import io.edgedeck.client.model.RollbackRequest;
import io.edgedeck.client.model.SpeedChange;
import io.edgedeck.simulator.ofrep.OfrepEvaluator;
import io.edgedeck.simulator.prometheus.PrometheusExposition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Edge Control API v1 and {@code /healthz} over the JDK's own HTTP server: small, already in
 * the JDK, and enough for a control plane on loopback. Every call is one virtual thread, with a cap
 * on how many run at once. Actions go to an in-process {@link EdgeConnection} (the same code the
 * console uses in rehearsal), so the engine's rules and error kinds are the API's.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final String PREFIX = "/api/v1";
    /** Request bodies above this are refused with 413. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final long HEARTBEAT_MILLIS = 10_000;
    private static final int MAX_CONCURRENT_CALLS = 256;
    private static final int MAX_STREAMS = 64;
    private static final long ACTION_TIMEOUT_SECONDS = 10;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private final EdgeConnection engine;
    private final Supplier<MetricsFrame> latest;
    private final FrameRing ring;
    private final NodeToken token;
    private final IdempotencyCache idempotency;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore callSlots = new Semaphore(MAX_CONCURRENT_CALLS);
    private final AtomicInteger streams = new AtomicInteger();
    private final List<Route> routes = new ArrayList<>();

    /**
     * The read-only endpoints: OFREP flag evaluation and the Prometheus exposition. They accept the
     * node's read key (as a bearer token or an {@code X-API-Key}) or its admin token.
     *
     * @param metrics renders the exposition (on the engine thread)
     */
    record ReadOnly(OfrepEvaluator ofrep, Supplier<CompletableFuture<String>> metrics, NodeToken readKey) {
    }

    private final ReadOnly readOnly;

    ApiServer(EdgeConnection engine, Supplier<MetricsFrame> latest, FrameRing ring, NodeToken token,
              IdempotencyCache idempotency, InetSocketAddress address, ReadOnly readOnly) throws IOException {
        this.readOnly = readOnly;
        this.engine = engine;
        this.latest = latest;
        this.ring = ring;
        this.token = token;
        this.idempotency = idempotency;
        this.server = HttpServer.create(address, 0);
        // Bounded: the dispatcher waits for a free slot rather than piling up unbounded work.
        server.setExecutor(task -> {
            callSlots.acquireUninterruptibly();
            try {
                threads.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        callSlots.release();
                    }
                });
            } catch (RuntimeException rejected) {
                callSlots.release();
                throw rejected;
            }
        });
        server.createContext("/healthz", this::healthz);
        server.createContext(PREFIX + "/", this::api);
        server.createContext("/ofrep/v1/", this::ofrep);
        server.createContext("/metrics", this::metrics);
        server.createContext("/", exchange -> {
            try (exchange) {
                sendProblem(exchange, new ApiException(404, null, "no such resource: " + exchange.getRequestURI().getPath()));
            }
        });
        defineRoutes();
    }

    void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        ring.close();
        server.stop(0);
        threads.shutdownNow();
    }

    // ------------------------------------------------------------------ routes

    private interface Handler {
        Answer handle(Call call) throws Exception;
    }

    /** A matched request: path parameters and the body. */
    private record Call(HttpExchange exchange, List<String> params, byte[] body) {
        String param(int i) {
            return params.get(i);
        }
    }

    /** What a handler answers: a status and a JSON value, or nothing (204). */
    private record Answer(int status, Object body) {
        static Answer ok(Object body) {
            return new Answer(200, body);
        }

        static Answer noContent() {
            return new Answer(204, null);
        }
    }

    /** {@code template} segments in braces match any one segment. */
    private record Route(String method, String[] template, boolean mutation, Handler handler) {
        List<String> match(String[] segments) {
            if (segments.length != template.length) {
                return null;
            }
            List<String> params = new ArrayList<>();
            for (int i = 0; i < template.length; i++) {
                if (template[i].startsWith("{")) {
                    params.add(segments[i]);
                } else if (!template[i].equals(segments[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private void get(String path, Handler h) {
        routes.add(new Route("GET", split(path), false, h));
    }

    private void mutate(String method, String path, Handler h) {
        routes.add(new Route(method, split(path), true, h));
    }

    private static String[] split(String path) {
        return path.substring(1).split("/", -1);
    }

    private void defineRoutes() {
        get("/pops", c -> Answer.ok(Optional.ofNullable(latest.get()).map(MetricsFrame::pops).orElse(List.of())));
        get("/flags", c -> Answer.ok(await(engine.flags())));
        mutate("PATCH", "/flags/{key}", c -> {
            FlagChange change = body(c, FlagChange.class, "expectedVersion", "operator", "reason");
            return Answer.ok(await(engine.changeFlag(c.param(0), change)));
        });
        mutate("POST", "/flags/{key}/kill", c -> {
            OperatorAction a = body(c, OperatorAction.class, "operator", "reason");
            return Answer.ok(await(engine.setKilled(c.param(0), true, a.operator(), a.reason())));
        });
        mutate("POST", "/flags/{key}/unkill", c -> {
            OperatorAction a = body(c, OperatorAction.class, "operator", "reason");
            return Answer.ok(await(engine.setKilled(c.param(0), false, a.operator(), a.reason())));
        });
        get("/guardrails", c -> Answer.ok(await(engine.guardrails())));
        mutate("POST", "/guardrails/{id}/arm", c -> {
            OperatorAction a = body(c, OperatorAction.class, "operator", "reason");
            return Answer.ok(await(engine.setArmed(c.param(0), true, a.operator(), a.reason())));
        });
        mutate("POST", "/guardrails/{id}/disarm", c -> {
            OperatorAction a = body(c, OperatorAction.class, "operator", "reason");
            return Answer.ok(await(engine.setArmed(c.param(0), false, a.operator(), a.reason())));
        });
        mutate("POST", "/rollbacks", c -> {
            RollbackRequest r = body(c, RollbackRequest.class, "flag", "variant", "operator", "reason");
            return Answer.ok(await(engine.rollback(r.flag(), r.variant(), r.operator(), r.reason())));
        });
        get("/audit", c -> Answer.ok(await(engine.audit())));
        mutate("POST", "/show/pause", c -> {
            await(engine.pause());
            return Answer.noContent();
        });
        mutate("POST", "/show/resume", c -> {
            await(engine.resume());
            return Answer.noContent();
        });
        mutate("PUT", "/show/speed", c -> {
            SpeedChange s = body(c, SpeedChange.class, "speed");
            if (!(s.speed() >= 0 && s.speed() <= 10_000)) {
                throw ApiException.invalid("speed", "must be between 0 (as fast as possible) and 10000, was " + s.speed());
            }
            await(engine.setSpeed(s.speed()));
            return Answer.noContent();
        });
        mutate("POST", "/show/cues", c -> {
            CueRequest cue = body(c, CueRequest.class, "type", "durationSeconds", "operator");
            await(engine.fireCue(cue));
            return Answer.noContent();
        });
        get("/frames/latest", c -> {
            MetricsFrame f = latest.get();
            if (f == null) {
                throw new ApiException(404, null, "the show has not published a frame yet");
            }
            return Answer.ok(f);
        });
        get("/frames/stream", c -> {
            stream(c.exchange());
            return null;
        });
    }

    // ------------------------------------------------------------------ dispatch

    private void healthz(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                sendProblem(exchange, new ApiException(405, null, "use GET"));
                return;
            }
            MetricsFrame f = latest.get();
            ObjectNode body = JSON.createObjectNode().put("status", "ok");
            if (f != null) {
                body.put("scenario", f.scenario()).put("state", f.state().name()).put("sequence", f.sequence());
            }
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
        }
    }

    private boolean readAllowed(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return readOnly.readKey().accepts(authorization) || token.accepts(authorization)
                || readOnly.readKey().acceptsApiKey(exchange.getRequestHeaders().getFirst("X-API-Key"));
    }

    /** OpenFeature Remote Evaluation Protocol: errors in the protocol's own shapes, not problem+json. */
    private void ofrep(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!readAllowed(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"edgedeck\"");
                send(exchange, 401, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode()
                        .put("errorDetails", "the node's read key is required (Authorization: Bearer, or X-API-Key)")));
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            OfrepEvaluator.Response r;
            if (path.equals("/ofrep/v1/configuration")) {
                if (!method.equals("GET")) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    send(exchange, 405, "application/json", "{\"errorDetails\":\"use GET\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                r = readOnly.ofrep().configuration(ifNoneMatch);
            } else if (path.equals("/ofrep/v1/evaluate/flags") || path.startsWith("/ofrep/v1/evaluate/flags/")) {
                if (!method.equals("POST")) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                    send(exchange, 405, "application/json", "{\"errorDetails\":\"use POST\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                byte[] body;
                try {
                    body = readBody(exchange);
                } catch (ApiException tooLarge) {
                    send(exchange, tooLarge.status(), "application/json", JSON.writeValueAsBytes(JSON.createObjectNode()
                            .put("errorCode", "PARSE_ERROR").put("errorDetails", tooLarge.getMessage())));
                    return;
                }
                if (path.equals("/ofrep/v1/evaluate/flags")) {
                    r = readOnly.ofrep().evaluateAll(body, ifNoneMatch);
                } else {
                    String key = URLDecoder.decode(path.substring("/ofrep/v1/evaluate/flags/".length()), StandardCharsets.UTF_8);
                    r = readOnly.ofrep().evaluate(key, body);
                }
            } else {
                send(exchange, 404, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode()
                        .put("errorDetails", "no such OFREP resource: " + path)));
                return;
            }
            if (r.etag() != null) {
                exchange.getResponseHeaders().set("ETag", r.etag());
            }
            send(exchange, r.status(), r.body() == null ? null : "application/json",
                    r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("A client went away during an OFREP call: {}", e.toString());
        }
    }

    /** Prometheus text exposition. */
    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                sendProblem(exchange, new ApiException(405, null, "use GET"));
                return;
            }
            if (!readAllowed(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"edgedeck\"");
                sendProblem(exchange, new ApiException(401, null, "the node's read key is required (Authorization: Bearer)"));
                return;
            }
            String text;
            try {
                text = readOnly.metrics().get().get(ACTION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                sendProblem(exchange, new ApiException(503, null, "the engine did not answer in time"));
                return;
            }
            send(exchange, 200, PrometheusExposition.CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("A client went away during a scrape: {}", e.toString());
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try {
            if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"edgedeck\"");
                throw new ApiException(401, null, "a valid bearer token is required (Authorization: Bearer <token from the node's token file>)");
            }
            String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
            String[] segments = decode(split(path));
            String method = exchange.getRequestMethod();
            Set<String> allowed = new LinkedHashSet<>();
            for (Route route : routes) {
                List<String> params = route.match(segments);
                if (params == null) {
                    continue;
                }
                if (!route.method().equals(method)) {
                    allowed.add(route.method());
                    continue;
                }
                if (route.mutation()) {
                    runMutation(exchange, route, params);
                } else {
                    answer(exchange, route.handler().handle(new Call(exchange, params, new byte[0])));
                }
                return;
            }
            if (!allowed.isEmpty()) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                throw new ApiException(405, null, method + " is not allowed here; use " + String.join(" or ", allowed));
            }
            throw new ApiException(404, null, "no such resource: " + PREFIX + path);
        } catch (ApiException e) {
            sendProblem(exchange, e);
        } catch (IOException e) {
            LOG.debug("A client went away during {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
        } catch (Exception e) {
            LOG.error("The API failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            sendProblem(exchange, new ApiException(500, null, "the node failed: " + e.getClass().getSimpleName()));
        } finally {
            exchange.close();
        }
    }

    private static String[] decode(String[] segments) {
        String[] out = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            out[i] = URLDecoder.decode(segments[i], StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Runs a mutation once per Idempotency-Key: a retry gets the first answer, byte for byte. */
    private void runMutation(HttpExchange exchange, Route route, List<String> params) throws Exception {
        byte[] body = readBody(exchange);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            Rendered answer = render(() -> route.handler().handle(new Call(exchange, params, body)));
            send(exchange, answer.status(), answer.contentType(), answer.body());
            return;
        }
        if (key.isBlank() || key.length() > 200) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
        String fingerprint = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + sha256(body);
        switch (idempotency.claim(key)) {
            case IdempotencyCache.Claim.Replay replay -> {
                IdempotencyCache.Stored first = replay.answer().get(ACTION_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
                if (!first.fingerprint().equals(fingerprint)) {
                    throw new ApiException(422, "Idempotency-Key",
                            "this Idempotency-Key was used for a different request; use a new key for a new request");
                }
                exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
                send(exchange, first.status(), first.contentType(), first.body());
            }
            case IdempotencyCache.Claim.Fresh fresh -> {
                Rendered answer;
                try {
                    answer = render(() -> route.handler().handle(new Call(exchange, params, body)));
                } catch (RuntimeException e) {
                    idempotency.abandon(key, fresh.slot(), problemAnswer(new ApiException(500, null, "the node failed"), fingerprint));
                    throw e;
                }
                IdempotencyCache.Stored keyed = new IdempotencyCache.Stored(fingerprint, answer.status(), answer.contentType(), answer.body());
                if (answer.status() >= 500) {
                    idempotency.abandon(key, fresh.slot(), keyed);
                } else {
                    idempotency.complete(fresh.slot(), keyed);
                }
                send(exchange, answer.status(), answer.contentType(), answer.body());
            }
        }
    }

    private record Rendered(int status, String contentType, byte[] body) {
    }

    private Rendered render(Callable handler) throws Exception {
        try {
            Answer a = handler.call();
            if (a.status() == 204) {
                return new Rendered(204, null, new byte[0]);
            }
            return new Rendered(a.status(), "application/json", JSON.writeValueAsBytes(a.body()));
        } catch (ApiException e) {
            return problemAnswer(e);
        }
    }

    private interface Callable {
        Answer call() throws Exception;
    }

    private static Rendered problemAnswer(ApiException e) {
        try {
            return new Rendered(e.status(), Problem.MEDIA_TYPE, JSON.writeValueAsBytes(problem(e)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private IdempotencyCache.Stored problemAnswer(ApiException e, String fingerprint) {
        Rendered s = problemAnswer(e);
        return new IdempotencyCache.Stored(fingerprint, s.status(), s.contentType(), s.body());
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange, Answer a) throws IOException {
        if (a == null) {
            return;
        }
        if (a.status() == 204) {
            send(exchange, 204, null, new byte[0]);
        } else {
            send(exchange, a.status(), "application/json", JSON.writeValueAsBytes(a.body()));
        }
    }

    // ------------------------------------------------------------------ bodies

    /** Reads at most {@link #MAX_BODY_BYTES}; a longer body is refused whatever Content-Length claimed. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Content-Length", "is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (declared > MAX_BODY_BYTES) {
                throw tooLarge(exchange, in);
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge(exchange, in);
            }
            return body;
        }
    }

    /** Bytes of a refused body read and dropped so the client, still sending, gets to read the 413. */
    private static final long DISCARD_LIMIT = 1024 * 1024;

    private static ApiException tooLarge(HttpExchange exchange, InputStream in) throws IOException {
        // A client still writing its body when the socket closes sees a reset instead of the answer;
        // swallowing a bounded amount lets ordinary oversized requests read their 413.
        long left = DISCARD_LIMIT;
        while (left > 0) {
            long skipped = in.skip(Math.min(left, 16 * 1024));
            if (skipped <= 0) {
                break;
            }
            left -= skipped;
        }
        exchange.getResponseHeaders().set("Connection", "close");
        return tooLarge();
    }

    private static ApiException tooLarge() {
        return new ApiException(413, null, "the request body is larger than " + MAX_BODY_BYTES / 1024 + " KB");
    }

    /**
     * Parses a JSON object body into {@code type}, naming the field at fault when a required one is
     * missing or a value has the wrong type.
     */
    private static <T> T body(Call call, Class<T> type, String... required) {
        return parseBody(call.body(), type, required);
    }

    /**
     * A request body as a value of {@code type}: a JSON object with the required fields, of the
     * right types, with no unknown ones. Anything else is an {@link ApiException} (400) naming the
     * field; no other exception leaves here, whatever the bytes.
     */
    static <T> T parseBody(byte[] body, Class<T> type, String... required) {
        if (body.length == 0) {
            throw ApiException.invalid("body", "a JSON object is required");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalid("body", "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.invalid("body", "unreadable body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        for (String field : required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw ApiException.invalid(field, "is required");
            }
        }
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String field = path(e.getPath());
            throw ApiException.invalid(field.isEmpty() ? "body" : field, "wrong type or unknown field '" + (field.isEmpty() ? "body" : field)
                    + "': " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("body", e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("body", e.getMessage());
        }
    }

    /** Jackson's reference chain as {@code variants[1].weight}. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Waits for an engine action and turns its failure into the API's answer. */
    private static <T> T await(CompletableFuture<T> action) {
        try {
            return action.get(ACTION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, null, "the engine did not apply the request within " + ACTION_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, null, "the node is shutting down");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof EdgeException edge) {
                throw new ApiException(status(edge.kind()), edge.field(), edge.getMessage());
            }
            if (cause instanceof IllegalStateException closed) {
                throw new ApiException(503, null, closed.getMessage());
            }
            throw new ApiException(500, null, "the engine failed: " + cause);
        }
    }

    static int status(EdgeException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORISED -> 401;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNREACHABLE -> 503;
            case BAD_DATA -> 500;
        };
    }

    // ------------------------------------------------------------------ answers

    static Problem problem(ApiException e) {
        String kind = switch (e.status()) {
            case 400 -> "invalid";
            case 401 -> "unauthorised";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "too-large";
            case 422 -> "idempotency-key-reused";
            case 503 -> "unavailable";
            default -> "internal";
        };
        String title = switch (e.status()) {
            case 400 -> "Invalid request";
            case 401 -> "Unauthorised";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Request too large";
            case 422 -> "Idempotency key reused";
            case 503 -> "Unavailable";
            default -> "Internal error";
        };
        return new Problem("urn:edgedeck:problem:" + kind, title, e.status(), e.getMessage(), e.field());
    }

    private static void sendProblem(HttpExchange exchange, ApiException e) {
        try {
            Rendered s = problemAnswer(e);
            send(exchange, s.status(), s.contentType(), s.body());
        } catch (IOException gone) {
            LOG.debug("Could not send a problem answer: {}", gone.toString());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (status == 204) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // ------------------------------------------------------------------ the frame stream

    /**
     * Sends frames as server-sent events until the client goes away or the node stops, starting
     * after {@code Last-Event-ID} when the ring still has it. A comment every
     * {@link #HEARTBEAT_MILLIS} lets the client tell a quiet show from a dead connection.
     */
    private void stream(HttpExchange exchange) throws IOException {
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            throw new ApiException(503, null, "too many frame streams open (" + MAX_STREAMS + ")");
        }
        long lastSent;
        try {
            lastSent = lastEventId(exchange);
        } catch (ApiException e) {
            streams.decrementAndGet();
            throw e;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            List<FrameRing.Entry> first = lastSent < 0
                    ? Optional.ofNullable(ring.newest()).map(List::of).orElse(List.of())
                    : ring.after(lastSent);
            lastSent = write(out, first, lastSent);
            while (!ring.closed()) {
                List<FrameRing.Entry> next = ring.awaitAfter(Math.max(lastSent, 0), HEARTBEAT_MILLIS);
                if (next.isEmpty()) {
                    if (ring.closed()) {
                        break;
                    }
                    out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else {
                    lastSent = write(out, next, lastSent);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.decrementAndGet();
        }
    }

    private static long lastEventId(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Last-Event-ID", "must be a frame sequence number, was '" + header + "'");
        }
    }

    private static long write(OutputStream out, List<FrameRing.Entry> entries, long lastSent) throws IOException {
        for (FrameRing.Entry e : entries) {
            out.write(("id: " + e.sequence() + "\nevent: frame\ndata: ").getBytes(StandardCharsets.UTF_8));
            out.write(e.json(JSON));
            out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            lastSent = e.sequence();
        }
        out.flush();
        return lastSent;
    }
}
