package io.edgedeck.client.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.ConnectionMode;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.Subscription;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.AuditFilter;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.RequestDecision;
import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.CueRequest;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.FlagRestore;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.FleetCueFired;
import io.edgedeck.client.model.FleetView;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.OperatorAction;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.PlaybookRun;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.RollbackRequest;
import io.edgedeck.client.model.SourceStatus;
import io.edgedeck.client.model.SpeedChange;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * An edge node over HTTP, as the console holds it: the frame stream ({@link FrameStream}: SSE,
 * reconnects, the connection's status) and the control calls ({@link ControlClient}: REST,
 * idempotency keys, errors), sharing one token and one status. A refused token on either stops both.
 *
 * <p>Threads: frame and status listeners are called on OkHttp's stream reader thread or the
 * reconnect thread; futures complete on OkHttp's dispatcher threads. Nothing here blocks the caller.
 * The token goes only into the {@code Authorization} header: never into a log, a status or a message.
 */
public final class HttpEdgeConnection implements EdgeConnection {

    /**
     * Timeouts and the reconnect schedule.
     *
     * @param streamReadTimeout how long the stream may be silent; the node sends a heartbeat every 10 s
     * @param random            draws the jitter; seed it in tests
     * @param operatorsRetry    how often the stream asks again while the node refuses every person's own token because it
     *                          cannot read its operators file (5 s)
     */
    public record Settings(Duration connectTimeout, Duration callTimeout, Duration streamReadTimeout,
                           Duration backoffBase, Duration backoffMax, RandomGenerator random, Duration operatorsRetry) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(25),
                    Duration.ofMillis(250), Duration.ofSeconds(10), RandomGenerator.getDefault(), Duration.ofSeconds(5));
        }

        public Settings withCallTimeout(Duration timeout) {
            return new Settings(connectTimeout, timeout, streamReadTimeout, backoffBase, backoffMax, random, operatorsRetry);
        }

        public Settings withStreamReadTimeout(Duration timeout) {
            return new Settings(connectTimeout, callTimeout, timeout, backoffBase, backoffMax, random, operatorsRetry);
        }

        public Settings withBackoff(Duration base, Duration max, RandomGenerator rng) {
            return new Settings(connectTimeout, callTimeout, streamReadTimeout, base, max, rng, operatorsRetry);
        }

        public Settings withOperatorsRetry(Duration every) {
            return new Settings(connectTimeout, callTimeout, streamReadTimeout, backoffBase, backoffMax, random, every);
        }
    }

    private static final Object EMPTY = Map.of();

    /** The header a server names its kind in; a node sends none, a fleet aggregator {@value #FLEET_AGGREGATOR}. */
    public static final String SERVER_HEADER = "X-EdgeDeck-Server";
    /** {@link #SERVER_HEADER} of a fleet aggregator (docs/FLEET.md): it serves the read side of the API for the whole fleet. */
    public static final String FLEET_AGGREGATOR = "fleet-aggregator";

    private final String display;
    /** The node's address without credentials or query: {@code healthz} is found under it, as {@code api/v1} is. */
    private final HttpUrl base;
    private final FrameStream frames;
    private final ControlClient control;
    private final PlaybookClient playbooks;
    /** Whether the edge answered the fleet question as the connection opened; see {@link #hasFleet()}. */
    private final boolean fleet;

    private HttpEdgeConnection(URI base, String token, String tokenSource, Settings settings) {
        HttpUrl url = HttpUrl.get(base.toString());
        HttpUrl api = url.newBuilder().addPathSegments("api/v1").build();
        this.base = url.newBuilder().username("").password("").query(null).build();
        this.display = url.newBuilder().username("").password("").query(null).build().toString().replaceAll("/$", "");
        if (token == null || token.isBlank() || !token.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the token is empty or has characters a bearer token cannot have");
        }
        String authorization = "Bearer " + token.strip();
        ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .callTimeout(settings.callTimeout())
                .retryOnConnectionFailure(false)
                .build();
        OkHttpClient streamHttp = http.newBuilder().callTimeout(Duration.ZERO).readTimeout(settings.streamReadTimeout()).build();
        this.frames = new FrameStream(api.newBuilder().addPathSegments("frames/stream").build(), display, authorization, tokenSource,
                settings, streamHttp, json);
        this.control = new ControlClient(api, authorization, http, json, frames::status, frames::opens, frames::refusedToken);
        // After a 403 on the stream, the node says with the same key what kind it is, or refuses that too (the ingest key).
        frames.askNodeModeWith(() -> control.<io.edgedeck.client.model.NodeInfo>read(true,
                control.type(io.edgedeck.client.model.NodeInfo.class), "node").thenApply(io.edgedeck.client.model.NodeInfo::mode));
        this.playbooks = new PlaybookClient(control);
        // Only an aggregator serves the fleet; a node answers 404. An edge that cannot be asked now is taken
        // as a node: a fleet's console then lacks its Fleet tab until it connects again, and shows nothing false.
        this.fleet = control.answersNow("fleet");
    }

    /**
     * Connects to a node or a fleet aggregator at {@code base} (e.g. {@code http://127.0.0.1:8787}): asks once
     * whether it serves the fleet ({@link #hasFleet()}), then starts the frame stream. Blocking for that one
     * question (at most the call timeout): never on the FX thread.
     */
    public static HttpEdgeConnection open(URI base, String token) {
        return open(base, token, Settings.defaults());
    }

    /** As {@link #open(URI, String)}, with these timeouts and reconnect schedule. Blocking: never on the FX thread. */
    public static HttpEdgeConnection open(URI base, String token, Settings settings) {
        return open(base, token, "the token", settings);
    }

    /**
     * As {@link #open(URI, String, Settings)}, naming where the token came from ({@code "the token file /srv/node/token"})
     * when the node refuses it, so the person knows which file to change. Blocking: never on the FX thread.
     */
    public static HttpEdgeConnection open(URI base, String token, String tokenSource, Settings settings) {
        HttpEdgeConnection c = new HttpEdgeConnection(base, token, tokenSource, settings);
        c.frames.start();
        return c;
    }

    /**
     * Waits up to {@code timeout} for the server's first answer on the frame stream, so what it is (a node or a
     * fleet aggregator: {@link #isFleetAggregator()}) is known before the capabilities are asked. Blocks the caller: never
     * on the FX thread. A server not reachable in time is taken for a node, as before this was asked.
     *
     * @return whether the server answered in time
     */
    public boolean awaitFirstAnswer(Duration timeout) throws InterruptedException {
        return frames.awaitFirstAnswer(timeout);
    }

    /**
     * True when the server said it is a fleet aggregator ({@link #SERVER_HEADER}): it serves the fleet's frames,
     * PoPs, flags and guardrails, and none of a node's own records (audit, history, requests, playbooks, sources,
     * trigger audit) nor any change, so those capabilities are false for it.
     */
    public boolean isFleetAggregator() {
        return FLEET_AGGREGATOR.equals(frames.serverKind());
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
        return frames.subscribeFrames(listener);
    }

    @Override
    public Optional<MetricsFrame> latestFrame() {
        return frames.latest();
    }

    @Override
    public ConnectionStatus status() {
        return frames.status();
    }

    @Override
    public Subscription subscribeStatus(Consumer<ConnectionStatus> listener) {
        return frames.subscribeStatus(listener);
    }

    /** The node's playbooks, scheduled changes and named cues, over this connection. */
    public PlaybookClient playbooks() {
        return playbooks;
    }

    @Override
    public boolean hasPlaybooks() {
        return !hasFleet(); // playbooks, the schedule and named cues are each node's own (docs/FLEET.md)
    }

    @Override
    public CompletableFuture<List<Playbook>> playbookList() {
        return playbooks.playbooks();
    }

    @Override
    public CompletableFuture<PlaybookRun> runPlaybook(String id, String reason) {
        return playbooks.run(id, reason);
    }

    @Override
    public CompletableFuture<Playbook> retirePlaybook(String id, String reason) {
        return playbooks.retire(id, reason);
    }

    @Override
    public CompletableFuture<List<ScheduledChange>> scheduledChanges() {
        return playbooks.schedule();
    }

    @Override
    public CompletableFuture<ScheduledChange> cancelScheduled(long id, String reason) {
        return playbooks.cancel(id, reason);
    }

    @Override
    public CompletableFuture<ScheduledChange> retryScheduled(long id, String reason) {
        return playbooks.retry(id, reason);
    }

    @Override
    public CompletableFuture<CueFired> fireShowCue(String name, String reason) {
        return playbooks.fireCue(name, reason);
    }

    /** Frames the node sent that could not be read; each was skipped and the last good frame kept. */
    public long badFrames() {
        return frames.badFrames();
    }

    /** The reconnect delay after {@code attempt} failures, drawn from this connection's settings. */
    long backoffMillis(int attempt) {
        return frames.backoffMillis(attempt);
    }

    @Override
    public CompletableFuture<Optional<Caller>> caller() {
        return control.<Caller>get(control.type(Caller.class), "me").thenApply(Optional::of);
    }

    @Override
    public CompletableFuture<List<FlagView>> flags() {
        return control.get(control.list(FlagView.class), "flags");
    }

    @Override
    public CompletableFuture<FlagView> changeFlag(String key, FlagChange change) {
        return control.send("PATCH", new String[] {"flags", key}, change, control.type(FlagView.class));
    }

    @Override
    public CompletableFuture<FlagView> setKilled(String key, boolean killed, String operator, String reason) {
        return control.send("POST", new String[] {"flags", key, killed ? "kill" : "unkill"}, new OperatorAction(operator, reason),
                control.type(FlagView.class));
    }

    @Override
    public CompletableFuture<List<GuardrailStatus>> guardrails() {
        return control.get(control.list(GuardrailStatus.class), "guardrails");
    }

    @Override
    public CompletableFuture<GuardrailStatus> setArmed(String guardrailId, boolean armed, String operator, String reason) {
        return control.send("POST", new String[] {"guardrails", guardrailId, armed ? "arm" : "disarm"},
                new OperatorAction(operator, reason), control.type(GuardrailStatus.class));
    }

    @Override
    public CompletableFuture<GuardrailFiring> rollback(String flag, String variant, String operator, String reason) {
        return control.send("POST", new String[] {"rollbacks"}, new RollbackRequest(flag, variant, operator, reason),
                control.type(GuardrailFiring.class));
    }

    @Override
    public CompletableFuture<List<AuditEntry>> audit() {
        return control.get(control.list(AuditEntry.class), "audit");
    }

    @Override
    public CompletableFuture<List<AuditEntry>> audit(AuditFilter filter) {
        return control.get(control.list(AuditEntry.class), filter.query(), "audit");
    }

    @Override
    public boolean hasAudit() {
        return !hasFleet();
    }

    @Override
    public boolean hasAuditExport() {
        return !hasFleet();
    }

    @Override
    public CompletableFuture<String> exportAudit(AuditFilter filter) {
        return control.get(control.type(String.class), filter.query(), "audit", "export");
    }

    @Override
    public boolean hasFlagHistory() {
        return !hasFleet();
    }

    @Override
    public CompletableFuture<List<FlagVersion>> flagHistory(String key) {
        return control.get(control.list(FlagVersion.class), "flags", key, "history");
    }

    @Override
    public CompletableFuture<FlagView> restoreFlag(String key, FlagRestore restore, String operator) {
        return control.send("POST", new String[] {"flags", key, "restore"}, restore, control.type(FlagView.class));
    }

    @Override
    public boolean hasRollbackClear() {
        return !hasFleet(); // an aggregator changes nothing; a node in a fleet clears through its control topic
    }

    @Override
    public CompletableFuture<FlagView> clearRollbackAt(String flag, String variant, List<String> pops, String operator,
                                                       String reason) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("variant", variant);
        if (!pops.isEmpty()) {
            body.put("pops", pops);
        }
        body.put("reason", reason);
        return control.send("POST", new String[] {"flags", flag, "pop-rollbacks", "clear"}, body, control.type(FlagView.class));
    }

    @Override
    public boolean hasVariantResume() {
        return true;
    }

    @Override
    public CompletableFuture<FlagView> resumeVariant(String flag, String variant, String operator, String reason) {
        return control.send("POST", new String[] {"flags", flag, "variants", variant, "resume"}, new OperatorAction(operator, reason),
                control.type(FlagView.class));
    }

    @Override
    public boolean hasApprovals() {
        return !hasFleet(); // change requests are each node's own (docs/FLEET.md)
    }

    @Override
    public CompletableFuture<List<ChangeRequest>> requests() {
        return control.get(control.list(ChangeRequest.class), "requests");
    }

    @Override
    public CompletableFuture<ChangeRequest> approveRequest(long id, int revision, String reason) {
        return request(id, "approve", new RequestDecision(reason, revision));
    }

    @Override
    public CompletableFuture<ChangeRequest> rejectRequest(long id, int revision, String reason) {
        return request(id, "reject", new RequestDecision(reason, revision));
    }

    @Override
    public CompletableFuture<ChangeRequest> editRequest(long id, FlagChange change) {
        return control.send("PATCH", new String[] {"requests", Long.toString(id)}, change, control.type(ChangeRequest.class));
    }

    @Override
    public CompletableFuture<ChangeRequest> editRequest(long id, String reason) {
        return control.send("PATCH", new String[] {"requests", Long.toString(id)}, Map.of("reason", reason),
                control.type(ChangeRequest.class));
    }

    @Override
    public CompletableFuture<ChangeRequest> applyRequest(long id) {
        return request(id, "apply", EMPTY);
    }

    private CompletableFuture<ChangeRequest> request(long id, String step, Object body) {
        return control.send("POST", new String[] {"requests", Long.toString(id), step}, body, control.type(ChangeRequest.class));
    }

    @Override
    public CompletableFuture<Void> pause() {
        return control.send("POST", new String[] {"show", "pause"}, EMPTY, null);
    }

    @Override
    public CompletableFuture<Void> resume() {
        return control.send("POST", new String[] {"show", "resume"}, EMPTY, null);
    }

    @Override
    public CompletableFuture<Void> setSpeed(double speed) {
        return control.send("PUT", new String[] {"show", "speed"}, new SpeedChange(speed), null);
    }

    @Override
    public CompletableFuture<Void> fireCue(CueRequest cue) {
        return control.send("POST", new String[] {"show", "cues"}, cue, null);
    }

    @Override
    public boolean hasHistory() {
        return !hasFleet();
    }

    @Override
    public CompletableFuture<PopHistory> history(String popId, long fromSecond, long toSecond) {
        return control.get(control.type(PopHistory.class),
                Map.of("from", Long.toString(fromSecond), "to", Long.toString(toSecond)), "pops", popId, "history");
    }

    @Override
    public boolean hasSources() {
        return !hasFleet(); // what feeds a node is that node's; an aggregator is fed by the nodes
    }

    @Override
    public CompletableFuture<List<SourceStatus>> sources() {
        return control.read(diagnosticReadsOnly(), control.list(SourceStatus.class), "sources");
    }

    @Override
    public boolean hasNodeInfo() {
        return true;
    }

    @Override
    public CompletableFuture<io.edgedeck.client.model.NodeInfo> nodeInfo() {
        return control.read(diagnosticReadsOnly(), control.type(io.edgedeck.client.model.NodeInfo.class), "node");
    }

    @Override
    public boolean hasHealth() {
        return true;
    }

    @Override
    public CompletableFuture<io.edgedeck.client.model.NodeHealth> health() {
        return control.probe(base.newBuilder().addPathSegment("healthz").build());
    }

    @Override
    public boolean diagnosticReadsOnly() {
        return frames.diagnosticOnly();
    }

    @Override
    public boolean tokenRefused() {
        return frames.tokenRefused();
    }

    @Override
    public boolean operatorsUnreadable() {
        return frames.operatorsUnreadable();
    }

    @Override
    public boolean ingestKeyOnly() {
        return frames.ingestOnly();
    }

    @Override
    public boolean hasTriggerAudit() {
        return !hasFleet(); // triggers run in each node's engine
    }

    @Override
    public CompletableFuture<io.edgedeck.client.model.TriggerAudit> triggerAudit() {
        return control.read(diagnosticReadsOnly(), control.type(io.edgedeck.client.model.TriggerAudit.class), "triggers");
    }

    /**
     * True when the edge is a fleet aggregator: it answered {@code GET /api/v1/fleet} as this connection opened,
     * or its frame stream says so ({@link #isFleetAggregator()}; an aggregator too busy to answer the first
     * question in time is known by its stream). Every capability a node has and an aggregator lacks is the
     * negation of this one answer.
     */
    @Override
    public boolean hasFleet() {
        return fleet || isFleetAggregator();
    }

    /**
     * The aggregator's view of the fleet. Unlike the other reads it is sent while the frame stream
     * reconnects: the fleet's health is not in the frames, and a console must see nodes go silent even
     * when the aggregator's own stream is down. Refused at once once the connection is closed or its
     * token refused.
     */
    @Override
    public CompletableFuture<FleetView> fleet() {
        if (!hasFleet()) {
            return EdgeConnection.super.fleet();
        }
        return control.<FleetView>getUnlessOffline(control.type(FleetView.class), "fleet").thenApply(view -> {
            if (view != null) {
                cueAnswerWithinMillis = view.cueAnswerWithinMillis();
            }
            return view;
        });
    }

    /**
     * The aggregator waits up to 5 s for the nodes to take the cue, and for their changes for its cue window and 4 s more,
     * after a Kafka write that may take up to 10 s: with the default window of 5 s the call's answer may come 19 s later,
     * and the call is not sent again once that timeout has passed (a retry after a network failure, within what is left of
     * it, carries the same Idempotency-Key, so the aggregator writes nothing again). An aggregator
     * given a longer window says how long it takes in {@code /api/v1/fleet}; the call waits for that and
     * {@link #FLEET_CUE_MARGIN} more.
     */
    static final Duration FLEET_CUE_TIMEOUT = Duration.ofSeconds(20);
    /** What a cue's call waits past the time the aggregator says its answer takes: the request and answer on the wire. */
    static final Duration FLEET_CUE_MARGIN = Duration.ofSeconds(5);
    /**
     * The longest a cue's call waits, whatever the aggregator says: its {@code --cue-window} is at most 300 s, so its answer
     * comes within 314 s; a larger figure is a fault of the aggregator's, not a reason to wait for days.
     */
    static final Duration FLEET_CUE_LONGEST = Duration.ofSeconds(320);
    /** The longest the aggregator said a cue's answer takes, in its last {@code /api/v1/fleet}; 0 before, or unsaid. */
    private volatile long cueAnswerWithinMillis;

    /**
     * How long a cue fired at the aggregator waits for its answer: as the aggregator last said and
     * {@link #FLEET_CUE_MARGIN} more, at least {@link #FLEET_CUE_TIMEOUT} (also when it said nothing, 0 or less) and at
     * most {@link #FLEET_CUE_LONGEST}.
     */
    Duration fleetCueTimeout() {
        long said = cueAnswerWithinMillis;
        long longest = FLEET_CUE_LONGEST.toMillis();
        long wait = said <= 0 ? 0 : Math.min(said, longest) + FLEET_CUE_MARGIN.toMillis();
        return Duration.ofMillis(Math.min(longest, Math.max(FLEET_CUE_TIMEOUT.toMillis(), wait)));
    }

    @Override
    public CompletableFuture<FleetCueFired> fireFleetCue(String name, String reason) {
        if (!hasFleet()) {
            return EdgeConnection.super.fireFleetCue(name, reason);
        }
        return control.send("POST", new String[] {"show", "cues", name}, new OperatorAction(null, reason),
                control.type(FleetCueFired.class), fleetCueTimeout());
    }

    /** Stops the stream and releases threads and sockets; status goes OFFLINE. Idempotent. */
    @Override
    public void close() {
        frames.close();
        control.close();
    }
}
