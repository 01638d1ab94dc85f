package io.edgedeck.simulator.connectors.obs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.simulator.connectors.Backoff;
import io.edgedeck.simulator.connectors.Connector;
import io.edgedeck.simulator.connectors.ConnectorCounters;
import io.edgedeck.client.model.SourceState;
import io.edgedeck.client.model.SourceStatus;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Reads OBS Studio's encoder health over obs-websocket v5 and hands each judgement to the node as an
 * {@link EncoderHealth} (the newest replaces the one before). One job: the protocol client (its
 * connection, handshake, requests, watchdog and reconnects); what the answers mean is {@link ObsStatsJudge}.
 *
 * <p>Protocol: connect with subprotocol {@code obswebsocket.json}; on {@code Hello} (op 0) answer
 * {@code Identify} (op 1) with rpcVersion 1, the authentication string when OBS asks for one
 * ({@link ObsAuth}) and no event subscriptions; once {@code Identified} (op 2), read
 * {@code GetVideoSettings} for the frame time, then every {@code pollMillis} send {@code GetStreamStatus}
 * and {@code GetStats} as {@code Request}s (op 6) and have their {@code RequestResponse}s (op 7)
 * judged together.
 *
 * <p>Threads: one thread ({@code edgedeck-obs}) owns the whole state machine; OkHttp's websocket
 * callbacks only post to it. The health consumer is called on that thread and must not block. When
 * OBS cannot be reached, refuses the password or stops answering (no answer within
 * {@code requestTimeoutMillis}), the consumer gets an {@link EncoderHealth.Level#UNREACHABLE} health
 * saying why and the connector tries again after a jittered, growing delay.
 */
public final class ObsConnector implements Connector {
    public static final String KIND = "obs";
    public static final String SUBPROTOCOL = "obswebsocket.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RPC_VERSION = 1;

    private final ObsConfig config;
    private final Consumer<EncoderHealth> health;
    private final InstantSource clock;
    private final ConnectorCounters counters;
    private final OkHttpClient http;
    private final Backoff backoff;
    private final ObsStatsJudge judge;
    private ScheduledExecutorService thread;
    private WebSocket socket;
    private int generation;
    private ScheduledFuture<?> polling;
    private ScheduledFuture<?> watchdog;
    private long nextRequest;
    private final Map<String, String> outstanding = new HashMap<>();
    private JsonNode streamStatus;
    private JsonNode stats;
    private String failure;
    /** This connection's WebSocket is open (a failure now loses a connection rather than failing to make one). */
    private boolean opened;
    /** OBS answered a request on this connection: only then is it connected, and the backoff starts again. */
    private boolean answered;
    private boolean closed;
    private int rpcVersion;

    public ObsConnector(ObsConfig config, Consumer<EncoderHealth> health, InstantSource clock) {
        this(config, health, clock, RandomGenerator.getDefault());
    }

    ObsConnector(ObsConfig config, Consumer<EncoderHealth> health, InstantSource clock, RandomGenerator random) {
        this.config = config;
        this.health = health;
        this.clock = clock;
        this.counters = new ConnectorCounters(KIND, "obs", clock, SourceState.STOPPED, "not started");
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofMillis(config.requestTimeoutMillis()))
                .pingInterval(Duration.ofMillis(Math.max(1000, config.requestTimeoutMillis())))
                .build();
        this.backoff = new Backoff(config.backoff(), random);
        this.judge = new ObsStatsJudge(config.windowSeconds());
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread daemon = new Thread(r, "edgedeck-obs");
            daemon.setDaemon(true);
            return daemon;
        });
        // On close, a pending reconnect or watchdog is dropped rather than waited for.
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread = t;
        thread.execute(this::connect);
    }

    @Override
    public ConnectorCounters counters() {
        return counters;
    }

    @Override
    public SourceStatus status() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.execute(() -> {
                closed = true;
                if (socket != null) {
                    socket.close(1000, "EdgeDeck node stopping");
                }
            });
            t.shutdown();
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        counters.state(SourceState.STOPPED, "stopped by the node");
    }

    // ---- everything below runs on the edgedeck-obs thread ----

    private void connect() {
        if (closed) {
            return;
        }
        int gen = ++generation;
        failure = null;
        opened = false;
        answered = false;
        outstanding.clear();
        counters.state(SourceState.CONNECTING, "connecting to obs-websocket at " + config.url());
        Request request = new Request.Builder().url(config.url().replace("ws://", "http://"))
                .header("Sec-WebSocket-Protocol", SUBPROTOCOL).build();
        socket = http.newWebSocket(request, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                post(gen, () -> opened = true);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                post(gen, () -> onText(text));
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
                post(gen, () -> lost(closeReason(code, reason), code == 4009 ? "auth-failed" : "closed-by-obs"));
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                post(gen, () -> lost(closeReason(code, reason), "closed-by-obs"));
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                Integer upgrade = response == null ? null : response.code();
                post(gen, () -> {
                    if (upgrade != null) {
                        lost("OBS answered the upgrade with HTTP " + upgrade + " (is this obs-websocket 5?)", "connect-failed");
                    } else if (opened) {
                        lost("the connection dropped: " + inWords(t), "connection-lost");
                    } else {
                        lost("could not connect to " + config.url() + ": " + inWords(t), "connect-failed");
                    }
                });
            }
        });
        watch(gen, "OBS sent no Hello");
    }

    /** Runs on the state thread, unless that connection has since been replaced. */
    private void post(int gen, Runnable r) {
        try {
            thread.execute(() -> {
                if (gen == generation && !closed) {
                    r.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the connector is closing; nothing more to do for this connection
        }
    }

    /** What went wrong with the connection, for a person: never "null". */
    static String inWords(Throwable t) {
        if (t instanceof java.io.EOFException) {
            return "OBS ended the connection without a close frame (it quit, or its host dropped the connection)";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
        }
        return message;
    }

    private static String closeReason(int code, String reason) {
        String what = switch (code) {
            case 4009 -> "OBS refused the password (4009 AuthenticationFailed): check the password in the node config";
            case 4010 -> "OBS does not speak obs-websocket rpc version 1 (4010 UnsupportedRpcVersion)";
            case 4011 -> "OBS ended the session (4011 SessionInvalidated)";
            case 4012 -> "OBS does not support this feature (4012 UnsupportedFeature)";
            default -> "OBS closed the connection (" + code + ")";
        };
        return reason == null || reason.isBlank() ? what : what + ": " + reason;
    }

    private void onText(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            counters.error("malformed-message", "OBS sent something that is not JSON: " + e.getOriginalMessage());
            return;
        }
        JsonNode d = message.path("d");
        switch (message.path("op").asInt(-1)) {
            case 0 -> hello(d);
            case 2 -> identified(d);
            case 7 -> response(d);
            case 5 -> {
                // events: not subscribed to, nothing to do
            }
            default -> counters.error("malformed-message", "OBS sent a message with no known op: "
                    + io.edgedeck.simulator.server.http.PeerValues.shown(text));
        }
    }

    private void hello(JsonNode d) {
        int rpc = d.path("rpcVersion").asInt(0);
        if (rpc < RPC_VERSION) {
            lost("OBS offers rpc version " + rpc + "; version " + RPC_VERSION + " (obs-websocket 5) is needed", "unsupported-version");
            return;
        }
        ObjectNode identify = JSON.createObjectNode();
        identify.put("rpcVersion", RPC_VERSION);
        identify.put("eventSubscriptions", 0);
        JsonNode auth = d.get("authentication");
        if (auth != null && !auth.isNull()) {
            if (config.password() == null) {
                lost("OBS asks for a password and the node config has none (obs.password)", "auth-required");
                return;
            }
            identify.put("authentication", ObsAuth.authentication(config.password().reveal(),
                    auth.path("salt").asText(), auth.path("challenge").asText()));
        }
        send(1, identify);
        watch(generation, "OBS did not answer Identify");
    }

    /**
     * Logged in. Not connected yet: a hung OBS answers Hello and Identify on its WebSocket thread and no
     * request (those need its main thread), so the connection counts, and the backoff starts again, only
     * once a request is answered ({@link #response}).
     */
    private void identified(JsonNode d) {
        cancel(watchdog);
        rpcVersion = d.path("negotiatedRpcVersion").asInt();
        counters.state(SourceState.CONNECTING, "logged in to OBS (rpc version " + rpcVersion + "); waiting for its first answer");
        request("GetVideoSettings");
        int gen = generation;
        polling = thread.scheduleAtFixedRate(() -> {
            if (gen == generation && !closed) {
                poll();
            }
        }, 0, config.pollMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        if (outstanding.containsValue("GetStreamStatus") || outstanding.containsValue("GetStats")) {
            // The previous poll is unanswered; the watchdog decides when that means OBS stalled.
            return;
        }
        streamStatus = null;
        stats = null;
        request("GetStreamStatus");
        request("GetStats");
        watch(generation, "OBS did not answer GetStreamStatus and GetStats");
    }

    private void request(String type) {
        String id = "edgedeck-" + (++nextRequest);
        outstanding.put(id, type);
        ObjectNode d = JSON.createObjectNode();
        d.put("requestType", type);
        d.put("requestId", id);
        send(6, d);
    }

    private void response(JsonNode d) {
        String type = outstanding.remove(d.path("requestId").asText());
        if (type == null) {
            counters.error("malformed-message", "OBS answered a request that was not asked: "
                    + io.edgedeck.simulator.server.http.PeerValues.shown(d.path("requestId").asText()));
            return;
        }
        if (outstanding.isEmpty()) {
            cancel(watchdog);
        }
        if (!answered) {
            answered = true;
            backoff.reset();
            counters.state(SourceState.CONNECTED, "reading OBS every " + config.pollMillis() + " ms (rpc version " + rpcVersion + ")");
        }
        JsonNode status = d.path("requestStatus");
        if (!status.path("result").asBoolean(false)) {
            counters.error("request-failed", type + " failed in OBS (code " + status.path("code").asInt()
                    + "): " + status.path("comment").asText("no comment"));
            return;
        }
        JsonNode data = d.path("responseData");
        switch (type) {
            case "GetVideoSettings" -> judge.videoSettings(data);
            case "GetStreamStatus" -> streamStatus = data;
            case "GetStats" -> stats = data;
            default -> {
            }
        }
        if (streamStatus != null && stats != null) {
            String unreadable = ObsStatsJudge.unreadable(streamStatus, stats);
            if (unreadable != null) {
                // Not judged: the tile says OBS is not being read rather than showing a health made of zeros.
                counters.error("malformed-message", unreadable + "; not judged");
                health.accept(EncoderHealth.unreachable(clock.millis(), "OBS's statistics could not be read: " + unreadable));
            } else {
                counters.delivered(1);
                health.accept(judge.judge(clock.millis(), streamStatus, stats));
            }
            streamStatus = null;
            stats = null;
        }
    }

    private void send(int op, ObjectNode d) {
        ObjectNode message = JSON.createObjectNode();
        message.put("op", op);
        message.set("d", d);
        socket.send(message.toString());
    }

    /** Gives OBS {@code requestTimeoutMillis} to answer; past that the connection is given up as stalled. */
    private void watch(int gen, String what) {
        cancel(watchdog);
        watchdog = thread.schedule(() -> {
            if (gen == generation && !closed) {
                socket.cancel();
                lost(what + " within " + config.requestTimeoutMillis() + " ms: OBS stalled", "stalled");
            }
        }, config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** This connection is over: say why, tell the tile, and try again after the backoff delay. */
    private void lost(String why, String reason) {
        if (failure != null) {
            return;
        }
        failure = why;
        counters.error(reason, why);
        cancel(polling);
        cancel(watchdog);
        if (socket != null) {
            socket.cancel();
        }
        generation++;
        judge.reset();
        health.accept(EncoderHealth.unreachable(clock.millis(), why));
        long delay = backoff.nextDelayMillis();
        counters.state(SourceState.RECONNECTING, why + String.format(Locale.ROOT, "; trying again in %.1f s", delay / 1000.0));
        thread.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
