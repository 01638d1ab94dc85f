package io.edgedeck.client.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.Problem;
import io.edgedeck.client.model.RollbackRequest;
import io.edgedeck.client.model.SpeedChange;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * An edge node over HTTP: the Edge Control API v1 for actions, and its server-sent event stream
 * for frames. The stream reconnects by itself with exponential backoff and full jitter, and
 * resumes after the last frame it saw ({@code Last-Event-ID}); a bad token stops it for good.
 *
 * <p>Threads: frame and status listeners are called on OkHttp's stream reader thread or the
 * reconnect thread; futures complete on OkHttp's dispatcher threads. Nothing here blocks the caller.
 * The token goes only into the {@code Authorization} header: never into a log, a status or a message.
 */
public final class HttpEdgeConnection implements EdgeConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEdgeConnection.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /**
     * Timeouts and the reconnect schedule.
     *
     * @param streamReadTimeout how long the stream may be silent; the node sends a heartbeat every 10 s
     * @param random            draws the jitter; seed it in tests
     */
    public record Settings(Duration connectTimeout, Duration callTimeout, Duration streamReadTimeout,
                           Duration backoffBase, Duration backoffMax, RandomGenerator random) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(25),
                    Duration.ofMillis(250), Duration.ofSeconds(10), RandomGenerator.getDefault());
        }

        public Settings withCallTimeout(Duration timeout) {
            return new Settings(connectTimeout, timeout, streamReadTimeout, backoffBase, backoffMax, random);
        }

        public Settings withStreamReadTimeout(Duration timeout) {
            return new Settings(connectTimeout, callTimeout, timeout, backoffBase, backoffMax, random);
        }

        public Settings withBackoff(Duration base, Duration max, RandomGenerator rng) {
            return new Settings(connectTimeout, callTimeout, streamReadTimeout, base, max, rng);
        }
    }

    private final HttpUrl api;
    private final String display;
    private final String authorization;
    private final Settings settings;
    private final OkHttpClient http;
    private final OkHttpClient streamHttp;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final ScheduledExecutorService reconnects;
    private final List<Consumer<MetricsFrame>> frameListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<MetricsFrame> latest = new AtomicReference<>();
    private final AtomicLong badFrames = new AtomicLong();
    private final Object lock = new Object();

    // Guarded by lock.
    private volatile EventSource current;
    private int attempt;
    private long lastEventId = -1;
    private volatile boolean closed;
    private boolean gaveUp;
    private volatile ConnectionStatus status;

    private HttpEdgeConnection(URI base, String token, Settings settings) {
        HttpUrl url = HttpUrl.get(base.toString());
        this.api = url.newBuilder().addPathSegments("api/v1").build();
        this.display = url.newBuilder().username("").password("").query(null).build().toString().replaceAll("/$", "");
        if (token == null || token.isBlank() || !token.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the token is empty or has characters a bearer token cannot have");
        }
        this.authorization = "Bearer " + token.strip();
        this.settings = settings;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .callTimeout(settings.callTimeout())
                .retryOnConnectionFailure(false)
                .build();
        this.streamHttp = http.newBuilder()
                .callTimeout(Duration.ZERO)
                .readTimeout(settings.streamReadTimeout())
                .build();
        this.reconnects = Executors.newSingleThreadScheduledExecutor(r ->
                Thread.ofPlatform().name("edgedeck-reconnect").daemon().unstarted(r));
        this.status = new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "connecting to " + display,
                System.currentTimeMillis());
    }

    /** Connects to a node at {@code base} (e.g. {@code http://127.0.0.1:8787}) and starts the frame stream. */
    public static HttpEdgeConnection open(URI base, String token) {
        return open(base, token, Settings.defaults());
    }

    public static HttpEdgeConnection open(URI base, String token, Settings settings) {
        HttpEdgeConnection c = new HttpEdgeConnection(base, token, settings);
        c.reconnects.execute(c::connect);
        return c;
    }

    @Override
    public ConnectionMode mode() {
        return ConnectionMode.LIVE;
    }

    @Override
    public String target() {
        return display;
    }

    @Override
    public Subscription subscribeFrames(Consumer<MetricsFrame> listener) {
        frameListeners.add(listener);
        return () -> frameListeners.remove(listener);
    }

    @Override
    public Optional<MetricsFrame> latestFrame() {
        return Optional.ofNullable(latest.get());
    }

    @Override
    public ConnectionStatus status() {
        return status;
    }

    @Override
    public Subscription subscribeStatus(Consumer<ConnectionStatus> listener) {
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    /** Frames the node sent that could not be read; each was skipped and the last good frame kept. */
    public long badFrames() {
        return badFrames.get();
    }

    // ------------------------------------------------------------------ the frame stream

    private void connect() {
        synchronized (lock) {
            if (closed || gaveUp) {
                return;
            }
            Request.Builder request = new Request.Builder()
                    .url(api.newBuilder().addPathSegments("frames/stream").build())
                    .header("Authorization", authorization);
            if (lastEventId >= 0) {
                request.header("Last-Event-ID", Long.toString(lastEventId));
            }
            current = EventSources.createFactory(streamHttp).newEventSource(request.build(), new StreamListener());
        }
    }

    private final class StreamListener extends EventSourceListener {
        @Override
        public void onOpen(EventSource source, Response response) {
            synchronized (lock) {
                if (source != current || closed) {
                    return;
                }
                attempt = 0;
            }
            setStatus(ConnectionStatus.State.ONLINE, "connected to " + display);
        }

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            if (source != current) {
                return;
            }
            MetricsFrame frame;
            try {
                frame = json.readValue(data, MetricsFrame.class);
                if (frame == null || frame.pops() == null) {
                    throw new IllegalArgumentException("empty frame");
                }
            } catch (Exception e) {
                long count = badFrames.incrementAndGet();
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                LOG.warn("Skipped a bad frame from {} (event id {}): {}", display, id, why);
                setStatus(ConnectionStatus.State.ONLINE, "bad frame from server: " + why + " (" + count
                        + " skipped; showing the last good frame)");
                rememberId(id, -1);
                return;
            }
            rememberId(id, frame.sequence());
            latest.set(frame);
            if (badFrames.get() > 0 && status.detail().startsWith("bad frame")) {
                setStatus(ConnectionStatus.State.ONLINE, "connected to " + display + "; " + badFrames.get()
                        + " bad frame(s) skipped");
            }
            for (Consumer<MetricsFrame> l : frameListeners) {
                try {
                    l.accept(frame);
                } catch (RuntimeException e) {
                    LOG.warn("A frame listener failed; it stays subscribed", e);
                }
            }
        }

        @Override
        public void onClosed(EventSource source) {
            lost(source, "the node closed the stream");
        }

        @Override
        public void onFailure(EventSource source, Throwable t, Response response) {
            if (response != null && response.code() == 401) {
                synchronized (lock) {
                    if (source != current) {
                        return;
                    }
                    gaveUp = true;
                }
                refusedToken();
                return;
            }
            String why = t != null ? describe(t)
                    : response != null ? "HTTP " + response.code() + " from the stream" : "the stream failed";
            lost(source, why);
        }
    }

    private void rememberId(String id, long fallback) {
        long parsed = fallback;
        if (id != null) {
            try {
                parsed = Long.parseLong(id.trim());
            } catch (NumberFormatException ignored) {
                // keep the fallback: a bad id must not stop the stream
            }
        }
        if (parsed >= 0) {
            synchronized (lock) {
                lastEventId = parsed;
            }
        }
    }

    private void lost(EventSource source, String why) {
        long delay;
        synchronized (lock) {
            if (source != current || closed || gaveUp) {
                return;
            }
            delay = backoffMillis(attempt++);
            current = null;
        }
        source.cancel();
        setStatus(ConnectionStatus.State.RECONNECTING, "reconnecting in " + seconds(delay) + ": " + why);
        try {
            reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void refusedToken() {
        setStatus(ConnectionStatus.State.OFFLINE, "the node at " + display
                + " refused the token (401); check the token file and connect again");
    }

    /** Full jitter: a uniform draw up to the capped exponential, so reconnecting consoles spread out. */
    long backoffMillis(int attempt) {
        long base = settings.backoffBase().toMillis();
        long cap = Math.min(settings.backoffMax().toMillis(), base << Math.min(attempt, 20));
        return settings.random().nextLong(cap + 1);
    }

    static String seconds(long millis) {
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return Math.round(millis / 1000.0) + " s";
    }

    static String describe(Throwable t) {
        return switch (t) {
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host " + u.getMessage();
            case SocketTimeoutException s -> "no answer in time";
            case InterruptedIOException i -> "timed out";
            case java.io.EOFException e -> "the stream was cut off";
            default -> {
                String m = t.getMessage();
                yield m == null ? t.getClass().getSimpleName() : m;
            }
        };
    }

    private void setStatus(ConnectionStatus.State state, String detail) {
        ConnectionStatus next;
        synchronized (lock) {
            if (closed && state != ConnectionStatus.State.OFFLINE) {
                return;
            }
            if (status.state() == state && status.detail().equals(detail)) {
                return;
            }
            next = new ConnectionStatus(state, detail, System.currentTimeMillis());
            status = next;
        }
        for (Consumer<ConnectionStatus> l : statusListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("A status listener failed; it stays subscribed", e);
            }
        }
    }

    // ------------------------------------------------------------------ actions

    @Override
    public CompletableFuture<List<FlagView>> flags() {
        return send("GET", "flags", null, list(FlagView.class));
    }

    @Override
    public CompletableFuture<FlagView> changeFlag(String key, FlagChange change) {
        return send("PATCH", path("flags", key), change, type(FlagView.class));
    }

    @Override
    public CompletableFuture<FlagView> setKilled(String key, boolean killed, String operator, String reason) {
        return send("POST", path("flags", key, killed ? "kill" : "unkill"), new OperatorAction(operator, reason),
                type(FlagView.class));
    }

    @Override
    public CompletableFuture<List<GuardrailStatus>> guardrails() {
        return send("GET", "guardrails", null, list(GuardrailStatus.class));
    }

    @Override
    public CompletableFuture<GuardrailStatus> setArmed(String guardrailId, boolean armed, String operator, String reason) {
        return send("POST", path("guardrails", guardrailId, armed ? "arm" : "disarm"), new OperatorAction(operator, reason),
                type(GuardrailStatus.class));
    }

    @Override
    public CompletableFuture<GuardrailFiring> rollback(String flag, String variant, String operator, String reason) {
        return send("POST", "rollbacks", new RollbackRequest(flag, variant, operator, reason), type(GuardrailFiring.class));
    }

    @Override
    public CompletableFuture<List<AuditEntry>> audit() {
        return send("GET", "audit", null, list(AuditEntry.class));
    }

    @Override
    public CompletableFuture<Void> pause() {
        return send("POST", "show/pause", EMPTY, null);
    }

    @Override
    public CompletableFuture<Void> resume() {
        return send("POST", "show/resume", EMPTY, null);
    }

    @Override
    public CompletableFuture<Void> setSpeed(double speed) {
        return send("PUT", "show/speed", new SpeedChange(speed), null);
    }

    @Override
    public CompletableFuture<Void> fireCue(CueRequest cue) {
        return send("POST", "show/cues", cue, null);
    }

    private static final Object EMPTY = java.util.Map.of();

    private static String[] path(String... segments) {
        return segments;
    }

    private JavaType type(Class<?> c) {
        return json.getTypeFactory().constructType(c);
    }

    private JavaType list(Class<?> c) {
        return json.getTypeFactory().constructCollectionType(List.class, c);
    }

    private <T> CompletableFuture<T> send(String method, String path, Object body, JavaType answer) {
        return send(method, path.split("/"), body, answer);
    }

    /**
     * Sends one call. A mutation carries a fresh {@code Idempotency-Key}; when the network fails
     * it is sent once more with the same key, so the node applies it at most once.
     */
    private <T> CompletableFuture<T> send(String method, String[] segments, Object body, JavaType answer) {
        HttpUrl.Builder url = api.newBuilder();
        for (String s : segments) {
            url.addPathSegment(s);
        }
        HttpUrl target = url.build();
        String where = method + " " + target;
        ConnectionStatus now = status;
        if (!now.online()) {
            return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.UNREACHABLE,
                    where + " was not sent: not connected (" + now.detail() + ")"));
        }
        Request.Builder request = new Request.Builder().url(target).header("Authorization", authorization);
        if (body == null) {
            request.method(method, null);
        } else {
            try {
                request.method(method, RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new EdgeException(EdgeException.Kind.INVALID, null,
                        where + " was not sent: the request could not be written as JSON: " + e.getMessage(), e));
            }
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        enqueue(request.build(), where, answer, result, true);
        return result;
    }

    private <T> void enqueue(Request request, String where, JavaType answer, CompletableFuture<T> result, boolean mayRetry) {
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                if (mayRetry && !closed) {
                    LOG.info("{} failed ({}); trying once more", where, describe(e));
                    enqueue(request, where, answer, result, false);
                    return;
                }
                result.completeExceptionally(new EdgeException(EdgeException.Kind.UNREACHABLE, null,
                        where + " failed: " + describe(e) + "; it may or may not have been applied, check the audit log", e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    result.complete(read(response, where, answer));
                } catch (EdgeException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new EdgeException(EdgeException.Kind.BAD_DATA, null,
                            where + ": could not read the answer: " + e.getMessage(), e));
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Response response, String where, JavaType answer) {
        String text;
        try {
            ResponseBody body = response.body();
            text = body == null ? "" : body.string();
        } catch (IOException e) {
            throw new EdgeException(EdgeException.Kind.UNREACHABLE, null, where + ": the answer was cut off: " + describe(e), e);
        }
        if (response.isSuccessful()) {
            if (answer == null || response.code() == 204) {
                return null;
            }
            try {
                return (T) json.readValue(text, answer);
            } catch (IOException e) {
                throw new EdgeException(EdgeException.Kind.BAD_DATA, null, where + " answered with something that is not "
                        + answer.toCanonical().replaceAll(".*\\.", "") + " JSON: " + firstLine(e.getMessage()), e);
            }
        }
        Problem problem = null;
        try {
            problem = json.readValue(text, Problem.class);
        } catch (IOException | RuntimeException ignored) {
            // not a problem document: the status alone says what happened
        }
        String detail = problem != null && problem.detail() != null ? problem.detail() : "no details";
        String field = problem != null ? problem.field() : null;
        EdgeException.Kind kind = switch (response.code()) {
            case 400, 422 -> EdgeException.Kind.INVALID;
            case 401, 403 -> EdgeException.Kind.UNAUTHORISED;
            case 404 -> EdgeException.Kind.NOT_FOUND;
            case 409 -> EdgeException.Kind.CONFLICT;
            case 413 -> EdgeException.Kind.TOO_LARGE;
            case 502, 503, 504 -> EdgeException.Kind.UNREACHABLE;
            default -> EdgeException.Kind.BAD_DATA;
        };
        if (kind == EdgeException.Kind.UNAUTHORISED) {
            synchronized (lock) {
                gaveUp = true;
                if (current != null) {
                    current.cancel();
                    current = null;
                }
            }
            refusedToken();
        }
        throw new EdgeException(kind, field, where + " was refused (HTTP " + response.code() + "): " + detail, null);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Stops the stream and releases threads and sockets; status goes OFFLINE. Idempotent. */
    @Override
    public void close() {
        EventSource source;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            source = current;
            current = null;
        }
        if (source != null) {
            source.cancel();
        }
        reconnects.shutdownNow();
        setStatus(ConnectionStatus.State.OFFLINE, "closed");
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
