package io.edgedeck.client.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.Reasons;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A node's metrics frames over server-sent events, and what the connection's status is because of
 * it. The stream reconnects by itself with exponential backoff and full jitter and resumes after
 * the last frame it saw ({@code Last-Event-ID}); a node that does not serve yet (starting, or restoring its show) is
 * asked again when it says. A refused token stops it for good, except while the node refuses every person's own token
 * only because it cannot read its operators file: then it asks again every {@code Settings.operatorsRetry} (5 s), one
 * ask at a time, until the node lets the token in or the stream is closed. A frame that cannot be read is counted and
 * skipped, and the last good frame kept.
 *
 * <p>Threads: frame and status listeners are called on OkHttp's stream reader thread or the
 * reconnect thread. Nothing here blocks the caller.
 */
final class FrameStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameStream.class);

    private final HttpUrl url;
    private final String display;
    private final String authorization;
    /** Where the token came from, as a person would name it: "the token file /srv/node/read-key". */
    private final String tokenSource;
    private final HttpEdgeConnection.Settings settings;
    private final OkHttpClient http;
    private final ObjectMapper json;
    private final ScheduledExecutorService reconnects;
    private final List<Consumer<MetricsFrame>> frameListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<MetricsFrame> latest = new AtomicReference<>();
    private final AtomicLong badFrames = new AtomicLong();
    private final Object lock = new Object();
    /** Completes at the stream's first answer of any kind: opened, refused, or failed to connect. */
    private final java.util.concurrent.CompletableFuture<Void> firstAnswer = new java.util.concurrent.CompletableFuture<>();
    /** What the server said it is ({@value HttpEdgeConnection#SERVER_HEADER}) on its last answer; null until then or when it said nothing. */
    private volatile String serverKind;

    // Guarded by lock.
    private volatile EventSource current;
    private int attempt;
    private long lastEventId = -1;
    private volatile boolean closed;
    private boolean gaveUp;
    /** Set when the node refused the stream with 403: it knows the key, which may only make the diagnostic reads. */
    private volatile boolean diagnosticOnly;
    /** True once the node refused the stream and the diagnostic reads alike with 403: a live node's ingest key. */
    private volatile boolean ingestOnly;
    /** True once the node refused the token with 401 (on the stream or on a call): it does not know it, or it was revoked. */
    private volatile boolean tokenRefused;
    /** The connect scheduled next (after a backoff, a node's Retry-After or the operators file's wait), or null; guarded by lock. */
    private java.util.concurrent.ScheduledFuture<?> nextConnect;
    /** True while the connect scheduled next is the one asking again after the node refused for its operators file; guarded by lock. */
    private boolean operatorsRetryScheduled;
    /** How many times the stream has opened: a refusal of a call sent before the last opening is older than it; guarded by lock. */
    private long opens;
    /** The status now, what the connection waits for included (while the node cannot read its operators file, say). */
    private volatile ConnectionStatus status;

    /**
     * @param url  the stream's URL ({@code .../api/v1/frames/stream})
     * @param http a client without a call timeout; its read timeout is how long the stream may be silent
     */
    FrameStream(HttpUrl url, String display, String authorization, String tokenSource, HttpEdgeConnection.Settings settings,
                OkHttpClient http, ObjectMapper json) {
        this.url = url;
        this.display = display;
        this.authorization = authorization;
        this.tokenSource = tokenSource;
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.reconnects = Executors.newSingleThreadScheduledExecutor(r ->
                Thread.ofPlatform().name("edgedeck-reconnect").daemon().unstarted(r));
        this.status = new ConnectionStatus(ConnectionStatus.State.RECONNECTING, "connecting to " + display,
                System.currentTimeMillis());
    }

    /** Opens the stream, off the caller's thread. */
    void start() {
        reconnects.execute(this::connect);
    }

    ConnectionStatus status() {
        return status;
    }

    /** What the server said it is on the stream's last answer, or null: a node says nothing. */
    String serverKind() {
        return serverKind;
    }

    /** Waits up to {@code timeout} for the stream's first answer (opened, refused or failed). @return whether it came */
    boolean awaitFirstAnswer(java.time.Duration timeout) throws InterruptedException {
        try {
            firstAnswer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private void answered(Response response) {
        if (response != null) {
            serverKind = response.header(HttpEdgeConnection.SERVER_HEADER);
        }
        firstAnswer.complete(null);
    }

    Optional<MetricsFrame> latest() {
        return Optional.ofNullable(latest.get());
    }

    long badFrames() {
        return badFrames.get();
    }

    Subscription subscribeFrames(Consumer<MetricsFrame> listener) {
        frameListeners.add(listener);
        return () -> frameListeners.remove(listener);
    }

    Subscription subscribeStatus(Consumer<ConnectionStatus> listener) {
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    private void connect() {
        synchronized (lock) {
            operatorsRetryScheduled = false;
            nextConnect = null;
            if (closed || gaveUp) {
                return;
            }
            Request.Builder request = new Request.Builder().url(url).header("Authorization", authorization);
            if (lastEventId >= 0) {
                request.header("Last-Event-ID", Long.toString(lastEventId));
            }
            current = EventSources.createFactory(http).newEventSource(request.build(), new Listener());
        }
    }

    private final class Listener extends EventSourceListener {
        @Override
        public void onOpen(EventSource source, Response response) {
            answered(response);
            ConnectionStatus next;
            synchronized (lock) {
                // Checked and said under one lock: a refusal handled meanwhile (which cancels this stream) cannot be
                // followed by "connected" with no stream open.
                if (source != current || closed) {
                    return;
                }
                attempt = 0;
                opens++;
                next = changeStatus(ConnectionStatus.State.ONLINE, "connected to " + display, null, ConnectionStatus.Waiting.NOTHING);
            }
            tell(next);
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
            answered(response);
            if (response != null && (response.code() == 401 || response.code() == 403)) {
                // Read before the stream is known to be current: one cancelled meanwhile (a call refused for the operators
                // file cancels it) cannot be read, and is not to be taken for a token the node does not know.
                String[] said = reasonAndDetail(response);
                synchronized (lock) {
                    if (source != current) {
                        return;
                    }
                }
                // 403: the node knows the key but it may not read the show (its read key, or a live node's ingest key).
                // Asking again with the same key gets the same answer, so the stream stops, as for a refused token.
                if (response.code() == 401) {
                    refusedToken(said[0], said[1]);
                } else if (said[0] == null || Reasons.WRONG_LANE.equals(said[0])) {
                    // A key of another of the node's lanes (an older node gives no code): which one is asked of the node.
                    forbidden(source);
                } else {
                    gaveUp(forbiddenInNodesWords(display, tokenSource, said[1]));
                }
                return;
            }
            NotServing notServing = notServingOf(response);
            if (notServing != null) {
                // The node is there and says how far it has come starting or restoring its show: asked again when it says to.
                lost(source, notServing.starting() ? "the node is " + notServing.howFar()
                        : "the node is restoring its show: " + notServing.howFar(), notServing.howFar(),
                        notServing.starting() ? ConnectionStatus.Waiting.NODE_STARTING : ConnectionStatus.Waiting.NODE_RESTORING,
                        retryAfterMillis(response));
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

    /**
     * The reason code and the detail of the problem the node answered with (why it refused, for a program and in its
     * words), each null when it gave none.
     */
    private String[] reasonAndDetail(Response response) {
        if (response.body() == null) {
            return new String[2];
        }
        try {
            com.fasterxml.jackson.databind.JsonNode problem = json.readTree(response.peekBody(16 * 1024).string());
            return new String[] {text(problem, "reason"), text(problem, "detail")};
        } catch (java.io.IOException | RuntimeException unreadable) {
            LOG.debug("A {} from {} could not be read: {}", response.code(), display, unreadable.toString());
            return new String[2];
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String member) {
        return node != null && node.path(member).isTextual() && !node.path(member).asText().isBlank() ? node.path(member).asText() : null;
    }

    /**
     * What a node not serving yet said of itself: how far it has come ("played 4:10 of 10:43 of the show again"), and
     * whether it is starting with no show to restore rather than restoring one.
     */
    private record NotServing(String howFar, boolean starting) {
    }

    /**
     * What a 503 says of a node not serving yet ({@value Reasons#RESTORING_TYPE}: its {@code restoring} member says how
     * far, its {@code phase} whether it starts or restores), or null when it is no such answer.
     */
    private NotServing notServingOf(Response response) {
        if (response == null || response.code() != 503 || response.body() == null) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode problem = json.readTree(response.peekBody(16 * 1024).string());
            if (problem != null && Reasons.RESTORING_TYPE.equals(problem.path("type").asText()) && problem.path("restoring").isTextual()) {
                String howFar = problem.path("restoring").asText();
                // A node that sends no phase said "starting: ..." in words when it had no show to restore.
                boolean starting = problem.path("phase").isTextual() ? Reasons.PHASE_STARTING.equals(problem.path("phase").asText())
                        : howFar.startsWith(Reasons.PHASE_STARTING + ": ");
                return new NotServing(howFar, starting);
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            LOG.debug("A 503 from {} could not be read: {}", display, unreadable.toString());
        }
        return null;
    }

    /** The answer's Retry-After in milliseconds, within the backoff's bounds; -1 when it gives none. */
    private long retryAfterMillis(Response response) {
        String header = response.header("Retry-After");
        if (header == null) {
            return -1;
        }
        try {
            long millis = Long.parseLong(header.trim()) * 1000;
            return Math.max(settings.backoffBase().toMillis(), Math.min(settings.backoffMax().toMillis(), millis));
        } catch (NumberFormatException notSeconds) {
            return -1;
        }
    }

    private void lost(EventSource source, String why) {
        lost(source, why, null, ConnectionStatus.Waiting.NOTHING, -1);
    }

    /**
     * The stream ended: say why, and what the connection waits for now (nothing, unless the node said it is starting or
     * restoring; never the operators file, which was the cause of an earlier refusal, not of this), and ask again later.
     *
     * @param restoring   how far the node has come starting or restoring its show, when it said so; null otherwise
     * @param waiting     what the node said it is doing ({@link ConnectionStatus.Waiting#NODE_STARTING}, ...), or nothing
     * @param delayMillis when the node said to ask again; -1 for the backoff's next wait
     */
    private void lost(EventSource source, String why, String restoring, ConnectionStatus.Waiting waiting, long delayMillis) {
        long delay;
        ConnectionStatus next;
        synchronized (lock) {
            if (source != current || closed || gaveUp) {
                return;
            }
            if (restoring != null) {
                // It answered: the backoff starts again from the beginning once it serves.
                attempt = 0;
            }
            delay = delayMillis >= 0 ? delayMillis : backoffMillis(attempt++);
            current = null;
            next = changeStatus(ConnectionStatus.State.RECONNECTING, restoring != null ? why + "; asking again in " + seconds(delay)
                    : "reconnecting in " + seconds(delay) + ": " + why, restoring, waiting);
            scheduleConnect(delay);
        }
        source.cancel();
        tell(next);
    }

    /** Connects after {@code delayMillis}, as the one connect scheduled next; caller holds lock. */
    private void scheduleConnect(long delayMillis) {
        try {
            nextConnect = reconnects.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /**
     * The node knows the key but will not let it read the show: which of its keys it is, and so what it opens, is asked
     * of the node with that key ({@link #askNodeModeWith}) before the stream stops saying so. The read key opens the
     * diagnostic reads, and the node says what kind it is; a live node's ingest key opens nothing under /api/v1.
     */
    private void forbidden(EventSource source) {
        CompletableFuture<String> mode;
        try {
            mode = nodeMode.get();
        } catch (RuntimeException e) {
            mode = CompletableFuture.failedFuture(e);
        }
        mode.whenComplete((kind, failure) -> {
            synchronized (lock) {
                if (source != current || closed) {
                    return;
                }
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean opensNoRead = cause instanceof io.edgedeck.client.EdgeException e
                    && e.kind() == io.edgedeck.client.EdgeException.Kind.FORBIDDEN;
            diagnosticOnly = !opensNoRead;
            ingestOnly = opensNoRead;
            gaveUp(forbiddenWhy(display, tokenSource, failure == null ? kind : null, opensNoRead));
        });
    }

    /**
     * Why the stream stopped on a 403, in words true of the key and the node: a rehearsal node's read key (it has no
     * other), a live node's read key or its ingest key, or, when the node could not say, a key of the node's that may
     * not read the show.
     *
     * @param mode        what the node said it is ({@code GET /api/v1/node}'s mode), or null when it could not say
     * @param opensNoRead true when the key may not make the diagnostic reads either (the ingest key)
     */
    static String forbiddenWhy(String display, String tokenSource, String mode, boolean opensNoRead) {
        String which;
        if (opensNoRead) {
            which = ", nor anything else under /api/v1: it is the node's ingest key, for sending events to /ingest/v1";
        } else if ("rehearsal".equals(mode)) {
            which = ": it is the rehearsal node's read key, for OFREP, /metrics and the diagnostic reads (sources, triggers)";
        } else if ("live".equals(mode)) {
            which = ": it is the node's read key, for OFREP, /metrics, the ingest figures and the diagnostic reads"
                    + " (sources, triggers)";
        } else if (mode != null) {
            which = ": it is the node's read key, for OFREP, /metrics and the diagnostic reads";
        } else {
            which = ": it is a key of the node's that may not read the show (its read key, or a live node's ingest key)";
        }
        return "the node at " + display + " does not let " + tokenSource + " read the show (403)" + which
                + ", not a console token. Use the node's DATA_DIR/token, or your own from 'edgedeck-sim operators add',"
                + " and connect again";
    }

    /** Why the stream stopped on a 403 for anything but a key of another lane: in the node's words, which say what. */
    static String forbiddenInNodesWords(String display, String tokenSource, String nodeSaid) {
        return "the node at " + display + " does not let " + tokenSource + " read the show (403): "
                + (nodeSaid != null ? "it says " + nodeSaid : "it gave no reason");
    }

    /** How the stream asks the node what kind it is, with its own key ({@code GET /api/v1/node}'s mode). */
    private volatile java.util.function.Supplier<CompletableFuture<String>> nodeMode =
            () -> CompletableFuture.completedFuture(null);

    /** Sets how the node is asked what kind it is after a 403 ({@link #forbidden}); before the stream starts. */
    void askNodeModeWith(java.util.function.Supplier<CompletableFuture<String>> ask) {
        this.nodeMode = ask;
    }

    /** True once the node refused the stream with 403 for a key that opens the diagnostic reads (its read key). */
    boolean diagnosticOnly() {
        return diagnosticOnly;
    }

    /** True once the node refused the stream with 403 for a key that may not make the diagnostic reads either (its ingest key). */
    boolean ingestOnly() {
        return ingestOnly;
    }

    /**
     * The node refused the token (on the stream or on a call): stop for good, since retrying with
     * the same token cannot help, and say so; unless the node refuses every person's token only because it cannot read
     * its operators file ({@value #OPERATORS_UNREADABLE}, or an older node's words for it), when it asks again
     * ({@link #waitForOperators}).
     *
     * @param reason   the node's code for why (its problem's {@code reason}), or null when it gave none (an older node)
     * @param nodeSaid the node's words for why (its problem's detail), or null when it gave none
     */
    void refusedToken(String reason, String nodeSaid) {
        long now;
        synchronized (lock) {
            now = opens;
        }
        refusedToken(now, reason, nodeSaid);
    }

    /**
     * As {@link #refusedToken(String, String)}, for a call sent when the stream had opened {@code opensWhenSent} times
     * ({@link #opens()}): a refusal for the operators file of a call sent before the stream opened again is older than
     * that stream, which the node let in, and is let be.
     */
    void refusedToken(long opensWhenSent, String reason, String nodeSaid) {
        String code = reason != null ? reason : reasonInWords(nodeSaid);
        if (Reasons.OPERATORS_UNREADABLE.equals(code)) {
            waitForOperators(opensWhenSent, nodeSaid);
            return;
        }
        tokenRefused = true;
        gaveUp(refusedWhy(display, tokenSource, reason, nodeSaid));
    }

    /** How many times the stream has opened so far: a call notes it when sent, for {@link #refusedToken(long, String, String)}. */
    long opens() {
        synchronized (lock) {
            return opens;
        }
    }

    /**
     * The node refuses every person's own token until it can read its operators file again, this one maybe good: the
     * stream is not given up but asked for again every {@code Settings.operatorsRetry}, saying so, and carries on by
     * itself once the node lets the token in. One ask at a time: the stream open or on its way is cancelled, a connect
     * scheduled after a backoff is replaced by this one (so "every 5 s" is what happens next), and a refusal while this
     * one is scheduled changes only what is said. A refusal of a call sent before the stream last opened is let be.
     */
    private void waitForOperators(long opensWhenSent, String nodeSaid) {
        EventSource source;
        ConnectionStatus next;
        synchronized (lock) {
            if (closed || gaveUp || opensWhenSent < opens) {
                return;
            }
            source = current;
            current = null;
            if (!operatorsRetryScheduled) {
                if (nextConnect != null) {
                    nextConnect.cancel(false);
                }
                operatorsRetryScheduled = true;
                scheduleConnect(settings.operatorsRetry().toMillis());
            }
            next = changeStatus(ConnectionStatus.State.RECONNECTING,
                    waitingWhy(display, tokenSource, nodeSaid, seconds(settings.operatorsRetry().toMillis())), null,
                    ConnectionStatus.Waiting.OPERATORS_FILE);
        }
        if (source != null) {
            source.cancel();
        }
        tell(next);
    }

    /**
     * What the console says while the node cannot read its operators file: that the node refuses every person's own
     * token for now (in its words), that this one may be fine, who is to fix it, and that the console asks again by itself.
     */
    static String waitingWhy(String display, String tokenSource, String nodeSaid, String every) {
        return "the node at " + display + " cannot read its operators file, so for now it lets no person's own token in"
                + (nodeSaid != null ? "; it says " + nodeSaid : "") + ". " + capitalised(tokenSource)
                + " may be fine: whoever runs the node is to fix its operators file. Asking again every " + every
                + "; the console carries on by itself once the node reads the file again";
    }

    private static String capitalised(String words) {
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** True while the node refuses the token only because it cannot read its operators file, and the stream asks again. */
    boolean operatorsUnreadable() {
        return status.waitingForOperators();
    }

    /** True once the node refused the token with 401: it does not know it, or it was revoked. */
    boolean tokenRefused() {
        return tokenRefused;
    }

    /** How a token source names a file the person can put another token in: "the token file F". */
    private static final String TOKEN_FILE = "the token file ";

    /**
     * Why the node refused the token (401), in words true of it, and the one thing that fixes it, for the file it came
     * from: a token revoked, or whose person's name the node has since reserved (in the node's words, up to what it
     * advises): a new one from the node's owner; else a token the node does not know. The node's {@code reason}
     * decides; a node that sends none (an older one) is read by its words. (An operators file the node cannot read is no
     * refusal for good: {@link #waitingWhy}.)
     */
    static String refusedWhy(String display, String tokenSource, String reason, String nodeSaid) {
        String code = reason != null ? reason : reasonInWords(nodeSaid);
        String refused = "the node at " + display + " refused " + tokenSource + " (401): ";
        boolean replace = Reasons.REVOKED.equals(code) || Reasons.RESERVED_NAME.equals(code);
        boolean unknown = code == null || Reasons.UNKNOWN_TOKEN.equals(code) || Reasons.MISSING_TOKEN.equals(code) || nodeSaid == null;
        String why = replace ? "the node says " + (nodeSaid == null ? "this token was revoked" : upToAdvice(nodeSaid))
                : unknown ? "the node does not know this token" : "the node says " + nodeSaid;
        String token = replace ? "a new token from the node's owner ('edgedeck-sim operators add')"
                : "the node's DATA_DIR/token, or your own from 'edgedeck-sim operators add',";
        String fix = tokenSource.startsWith(TOKEN_FILE)
                ? "Put " + token + " in " + tokenSource.substring(TOKEN_FILE.length()) + " and start the console again"
                : "Start the console again with --token-file FILE holding " + (replace ? token : token.substring(0, token.length() - 1));
        return refused + why + ". " + fix;
    }

    /** The reason a node that sends no code gives in its words: a token revoked, or its operators file unreadable; else null. */
    private static String reasonInWords(String nodeSaid) {
        if (nodeSaid == null) {
            return null;
        }
        return nodeSaid.contains(" was revoked") ? Reasons.REVOKED
                : nodeSaid.contains("until the node's operators file is fixed") ? Reasons.OPERATORS_UNREADABLE : null;
    }

    /** The node's words up to what it advises (after its first ';'), which the console says its own way. */
    private static String upToAdvice(String nodeSaid) {
        return nodeSaid.indexOf(';') > 0 ? nodeSaid.substring(0, nodeSaid.indexOf(';')) : nodeSaid;
    }

    /** Stops for good and says why: retrying with the same token cannot help. */
    private void gaveUp(String why) {
        EventSource source;
        synchronized (lock) {
            gaveUp = true;
            source = current;
            current = null;
            if (nextConnect != null) {
                nextConnect.cancel(false);
            }
        }
        if (source != null) {
            source.cancel();
        }
        setStatus(ConnectionStatus.State.OFFLINE, why);
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
            next = changeStatus(state, detail, null, ConnectionStatus.Waiting.NOTHING);
        }
        tell(next);
    }

    /** Makes the status this one, unless it is already or the stream is closed; caller holds lock. @return the new one, or null */
    private ConnectionStatus changeStatus(ConnectionStatus.State state, String detail, String restoring, ConnectionStatus.Waiting waiting) {
        if (closed && state != ConnectionStatus.State.OFFLINE) {
            return null;
        }
        if (status.state() == state && status.detail().equals(detail) && status.waiting() == waiting) {
            return null;
        }
        status = new ConnectionStatus(state, detail, System.currentTimeMillis(), restoring, waiting);
        return status;
    }

    /** Tells the status listeners of a new status (none when it is null); outside lock. */
    private void tell(ConnectionStatus next) {
        if (next == null) {
            return;
        }
        for (Consumer<ConnectionStatus> l : statusListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("A status listener failed; it stays subscribed", e);
            }
        }
    }

    /** Stops the stream and its reconnect thread; status goes OFFLINE. Idempotent. */
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
        firstAnswer.complete(null);
        setStatus(ConnectionStatus.State.OFFLINE, "closed");
    }
}
