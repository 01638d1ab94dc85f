package io.edgedeck.client.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowState;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against faults a real node does not produce: malformed frames, streams cut mid-event,
 * answers that come too late. Everything a real node does answer is tested against the real node in
 * the simulator module.
 */
class HttpEdgeConnectionFaultTest {
    private static final String TOKEN = "s3cr3t-token-value";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final LinkedBlockingQueue<RecordedRequest> streamRequests = new LinkedBlockingQueue<>();
    private volatile Function<Integer, MockResponse> streamAnswer;
    private volatile MockResponse actionAnswer;
    private volatile MockResponse fleetAnswer = new MockResponse.Builder().code(404).setHeader("Content-Type", "application/problem+json")
            .body("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such path\"}").build();
    /** When set, a new answer for each fleet request (one answer's body is written once). */
    private volatile java.util.function.Supplier<MockResponse> fleetAnswers;
    private final java.util.concurrent.atomic.AtomicInteger fleetProbes = new java.util.concurrent.atomic.AtomicInteger();
    private HttpEdgeConnection connection;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            private int streams;

            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getUrl().encodedPath().endsWith("/frames/stream")) {
                    streamRequests.add(request);
                    return streamAnswer.apply(streams++);
                }
                if (request.getUrl().encodedPath().endsWith("/api/v1/fleet")) {
                    fleetProbes.incrementAndGet();
                    return fleetAnswers != null ? fleetAnswers.get() : fleetAnswer; // a node has no fleet: 404, as a real one answers
                }
                return actionAnswer;
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        if (connection != null) {
            connection.close();
        }
        server.close();
    }

    /** By address, not by name: the node binds to 127.0.0.1 and so does this server. */
    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    private HttpEdgeConnection open(HttpEdgeConnection.Settings settings) {
        connection = HttpEdgeConnection.open(base(), TOKEN,
                settings.withBackoff(Duration.ofMillis(20), Duration.ofMillis(200), new Random(7)));
        return connection;
    }

    static MetricsFrame frame(long sequence) {
        LatencyWindow w = LatencyWindow.empty(10);
        PopMetrics fra = new PopMetrics("fra", "eu", PopHealth.UP, w, LatencyWindow.empty(60), 1.5, 0, 100, 1000, 0, 0, 0, 0,
                List.of());
        return new MetricsFrame(sequence, sequence * 250, "steady-show", 7, ShowState.RUNNING, 1, 900, List.of(fra), List.of(),
                new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0), null, null, null, null, null, null);
    }

    static String event(long sequence) throws Exception {
        return "id: " + sequence + "\nevent: frame\ndata: " + JSON.writeValueAsString(frame(sequence)) + "\n\n";
    }

    private final java.util.concurrent.CountDownLatch testOver = new java.util.concurrent.CountDownLatch(1);

    /** A stream that sends its events and then stays open, quiet, until the test ends, as a live node's does. */
    private MockResponse openStream(String events) {
        return streamUntil(events, testOver);
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "text/event-stream").body(body).build();
    }

    /** Waits for a condition the client reaches on its own threads; fails with the message after 10 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aMalformedFrameIsCountedAndSkippedAndTheLastGoodFrameKept() throws Exception {
        String body = event(1) + "id: 2\nevent: frame\ndata: {\"sequence\": 2, \"pops\": [tru\n\n" + event(3).replace("id: 3", "id: 3")
                .replace("\"sequence\":3", "\"sequence\":\"three\"");
        // the stream stays open afterwards: no reconnect muddles what is being checked
        streamAnswer = n -> n == 0 ? sse(body) : new MockResponse.Builder().code(503).build();
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        HttpEdgeConnection c = HttpEdgeConnection.open(base(), TOKEN,
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(10), new Random(1)));
        connection = c;
        c.subscribeStatus(statuses::add);
        await("two bad frames were counted", () -> c.badFrames() == 2);
        assertEquals(1, c.latestFrame().orElseThrow().sequence(), "the last good frame stays");
        assertTrue(statuses.stream().anyMatch(s -> s.detail().startsWith("bad frame from server: ")), statuses.toString());
    }

    @Test
    void aStreamCutMidEventReconnectsAndResumesAfterTheLastWholeFrame() throws Exception {
        String cut = event(5) + event(6).substring(0, 40);
        streamAnswer = n -> n == 0
                ? new MockResponse.Builder().setHeader("Content-Type", "text/event-stream").body(cut)
                        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build()
                : sse(uncheckedEvent(7));
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        RecordedRequest first = streamRequests.poll(10, TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals("Bearer " + TOKEN, first.getHeaders().get("Authorization"));
        assertEquals(null, first.getHeaders().get("Last-Event-ID"), "a first connection starts from the newest frame");
        RecordedRequest second = streamRequests.poll(10, TimeUnit.SECONDS);
        assertNotNull(second, "the client reconnects by itself");
        assertEquals("5", second.getHeaders().get("Last-Event-ID"));
        await("frame 7 arrived after the reconnect", () -> c.latestFrame().map(f -> f.sequence() == 7).orElse(false));
        assertEquals(0, c.badFrames(), "a half-received event is not a bad frame: it is dropped with the connection");
    }

    @Test
    void aStalledStreamIsNoticedAndResumedWhereItStopped() throws Exception {
        // The node sends frames 8 and 9, then nothing at all, not even its heartbeat.
        streamAnswer = n -> n == 0 ? openStream(uncheckedEvent(8) + uncheckedEvent(9)) : sse(uncheckedEvent(10));
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        HttpEdgeConnection c = HttpEdgeConnection.open(base(), TOKEN, HttpEdgeConnection.Settings.defaults()
                .withStreamReadTimeout(Duration.ofMillis(800))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), new Random(3)));
        connection = c;
        c.subscribeStatus(statuses::add);
        assertNotNull(streamRequests.poll(10, TimeUnit.SECONDS));
        await("frame 9 arrived", () -> c.latestFrame().map(f -> f.sequence() == 9).orElse(false));
        RecordedRequest again = streamRequests.poll(10, TimeUnit.SECONDS);
        assertNotNull(again, "the silent stream was given up and opened again");
        assertEquals("9", again.getHeaders().get("Last-Event-ID"));
        await("frame 10 arrived after the stall", () -> c.latestFrame().map(f -> f.sequence() == 10).orElse(false));
        assertTrue(statuses.stream().anyMatch(s -> s.state() == ConnectionStatus.State.RECONNECTING),
                "the status said it was reconnecting: " + statuses);
        testOver.countDown();
    }

    private static String uncheckedEvent(long sequence) {
        try {
            return event(sequence);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A change whose answer does not come within the call's timeout fails as unreachable, saying it may have applied, and is
     * not sent again: its timeout is used, and the caller waits as long as it said, not twice as long.
     */
    @Test
    void aSlowAnswerTimesOutAsUnreachableAndIsNotSentAgainPastItsTimeout() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1));
        actionAnswer = new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofMillis(300)));
        await("online", () -> c.status().online());
        var future = c.changeFlag("checkout-button", new FlagChange(1, null, "global", "maya", "widen"));
        CompletionException failed = assertThrows(CompletionException.class, future::join);
        EdgeException e = assertInstanceOf(EdgeException.class, failed.getCause());
        assertEquals(EdgeException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("PATCH " + base() + "/api/v1/flags/checkout-button"), e.getMessage());
        assertTrue(e.getMessage().endsWith("it may or may not have been applied, check the audit log"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), "never the token in a message");
        assertNotNull(takeAction().getHeaders().get("Idempotency-Key"));
        // Before, the call was sent once more with a whole timeout of its own: it had been received by the time it failed.
        assertEquals(0, actionsReceived(), "sent once: not again once its timeout was used");
    }

    /** A connection cut before the answer: the change is sent once more, with the same key, so the node applies it at most once. */
    @Test
    void aCutConnectionIsSentOnceMoreWithTheSameIdempotencyKey() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1));
        actionAnswer = new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).body("{}").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofSeconds(20)));
        await("online", () -> c.status().online());
        var future = c.changeFlag("checkout-button", new FlagChange(1, null, "global", "maya", "widen"));
        EdgeException e = assertInstanceOf(EdgeException.class, assertThrows(CompletionException.class, future::join).getCause());
        assertEquals(EdgeException.Kind.UNREACHABLE, e.kind());
        RecordedRequest one = takeAction();
        RecordedRequest two = takeAction();
        assertNotNull(one.getHeaders().get("Idempotency-Key"));
        assertEquals(one.getHeaders().get("Idempotency-Key"), two.getHeaders().get("Idempotency-Key"),
                "the retry carries the same key, so the node applies the change at most once");
    }

    /** How many more action requests the server has received (not the stream's or the fleet question's). */
    private int actionsReceived() throws InterruptedException {
        int n = 0;
        for (RecordedRequest r; (r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
            if (!r.getUrl().encodedPath().endsWith("/frames/stream") && !r.getUrl().encodedPath().endsWith("/api/v1/fleet")) {
                n++;
            }
        }
        return n;
    }

    /** A read that gets no answer changed nothing: its failure says so plainly, and only a change's asks to check the audit. */
    @Test
    void aReadWithNoAnswerSaysNothingOfAChangeThatMayHaveApplied() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1));
        actionAnswer = new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("[]").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofMillis(300)));
        await("online", () -> c.status().online());
        EdgeException read = assertInstanceOf(EdgeException.class, assertThrows(CompletionException.class, () -> c.flags().join()).getCause());
        assertEquals(EdgeException.Kind.UNREACHABLE, read.kind());
        assertTrue(read.getMessage().startsWith("GET " + base() + "/api/v1/flags failed: "), read.getMessage());
        assertFalse(read.getMessage().contains("applied") || read.getMessage().contains("audit"), read.getMessage());
        EdgeException change = assertInstanceOf(EdgeException.class, assertThrows(CompletionException.class,
                () -> c.changeFlag("checkout-button", new FlagChange(1, null, "global", "maya", "widen")).join()).getCause());
        assertTrue(change.getMessage().endsWith("it may or may not have been applied, check the audit log"), change.getMessage());
    }

    private RecordedRequest takeAction() throws InterruptedException {
        while (true) {
            RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
            assertNotNull(r, "expected another action request");
            if (!r.getUrl().encodedPath().endsWith("/frames/stream") && !r.getUrl().encodedPath().endsWith("/api/v1/fleet")) {
                return r;
            }
        }
    }

    @Test
    void aRefusedTokenOnTheStreamGoesOfflineAndStopsRetrying() throws Exception {
        streamAnswer = n -> new MockResponse.Builder().code(401).setHeader("Content-Type", "application/problem+json")
                .body("{\"type\":\"urn:edgedeck:problem:unauthorised\",\"title\":\"Unauthorised\",\"status\":401,\"detail\":\"bad token\"}")
                .build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        await("offline", () -> c.status().state() == ConnectionStatus.State.OFFLINE);
        assertTrue(c.status().detail().contains("refused the token"), c.status().detail());
        assertFalse(c.status().detail().contains(TOKEN));
        Thread.sleep(300); // several backoff periods (at most 200 ms each): a retry would show up in the count
        assertEquals(1, streamRequests.size(), "no retry with a token the node refused");
        var refused = assertThrows(CompletionException.class, () -> c.flags().join());
        assertEquals(EdgeException.Kind.UNREACHABLE, ((EdgeException) refused.getCause()).kind(),
                "actions are refused at once while offline, never queued");
    }

    /**
     * A 403 on the stream for a reason other than a key of another lane ({@code wrong-lane}, the only one a node gives
     * there today) is said in the node's words, and the node is not asked what kind of key it is: the code said why.
     */
    @Test
    void aForbiddenStreamWithAnotherReasonIsSaidInTheNodesWords() throws Exception {
        streamAnswer = n -> new MockResponse.Builder().code(403).setHeader("Content-Type", "application/problem+json")
                .body("{\"type\":\"urn:edgedeck:problem:forbidden\",\"title\":\"Forbidden\",\"status\":403,"
                        + "\"reason\":\"admin-token-required\",\"detail\":\"the stream takes the admin token here\"}")
                .build();
        actionAnswer = new MockResponse.Builder().code(500).build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        await("offline", () -> c.status().state() == ConnectionStatus.State.OFFLINE);
        assertEquals("the node at " + base() + " does not let the token read the show (403): it says the stream takes the admin"
                + " token here", c.status().detail());
        assertFalse(c.diagnosticReadsOnly(), "not taken for the node's read key");
        assertFalse(c.ingestKeyOnly(), "nor for its ingest key");
        Thread.sleep(300);
        assertEquals(1, streamRequests.size(), "no retry with a key the node refused");
    }

    @Test
    void whileReconnectingActionsAreRefusedAtOnceAndTheStatusSaysWhy() throws Exception {
        streamAnswer = n -> new MockResponse.Builder().code(503).build();
        HttpEdgeConnection c = HttpEdgeConnection.open(base(), TOKEN,
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(10), new Random(3)));
        connection = c;
        await("reconnecting", () -> c.status().detail().startsWith("reconnecting in "));
        assertEquals(ConnectionStatus.State.RECONNECTING, c.status().state());
        assertTrue(c.status().detail().endsWith(": HTTP 503 from the stream"), c.status().detail());
        var refused = assertThrows(CompletionException.class, () -> c.pause().join());
        EdgeException e = (EdgeException) refused.getCause();
        assertEquals(EdgeException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("was not sent"), e.getMessage());
    }

    @Test
    void problemAnswersBecomeTypedErrorsNamingTheField() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1));
        actionAnswer = new MockResponse.Builder().code(400).setHeader("Content-Type", "application/problem+json")
                .body("{\"type\":\"urn:edgedeck:problem:invalid\",\"title\":\"Invalid request\",\"status\":400,"
                        + "\"detail\":\"variants[1].weight: must be 0..10000\",\"field\":\"variants[1].weight\"}").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        await("online", () -> c.status().online());
        var failed = assertThrows(CompletionException.class,
                () -> c.changeFlag("checkout-button", new FlagChange(1, null, null, "maya", "x")).join());
        EdgeException e = (EdgeException) failed.getCause();
        assertEquals(EdgeException.Kind.INVALID, e.kind());
        assertEquals("variants[1].weight", e.field());
    }

    @Test
    void anAnswerThatIsNotTheApisJsonIsBadData() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1));
        actionAnswer = new MockResponse.Builder().setHeader("Content-Type", "application/json").body("[{\"key\": [1,2]}").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        await("online", () -> c.status().online());
        var failed = assertThrows(CompletionException.class, () -> c.flags().join());
        assertEquals(EdgeException.Kind.BAD_DATA, ((EdgeException) failed.getCause()).kind());
    }

    @Test
    void anEdgeThatDoesNotAnswerTheFleetQuestionInTimeIsTakenAsANodeAndAskedOnce() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1));
        fleetAnswer = new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build();
        long started = System.nanoTime();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "the question waits no longer than a call may");
        assertFalse(c.hasFleet(), "no answer is no fleet: a console offers nothing it cannot show");
        await("online", () -> c.status().online());
        var refused = assertThrows(CompletionException.class, () -> c.fleet().join());
        assertEquals(EdgeException.Kind.NOT_FOUND, ((EdgeException) refused.getCause()).kind());
        assertEquals(1, fleetProbes.get(), "asked once, as the connection opened");
    }

    @Test
    void anAggregatorTooBusyForTheFleetQuestionIsKnownByItsStream() throws Exception {
        streamAnswer = n -> openStream(uncheckedEvent(1)).newBuilder()
                .setHeader(HttpEdgeConnection.SERVER_HEADER, HttpEdgeConnection.FLEET_AGGREGATOR).build();
        fleetAnswer = new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofMillis(300)));
        assertTrue(c.awaitFirstAnswer(Duration.ofSeconds(5)));
        assertTrue(c.isFleetAggregator());
        assertTrue(c.hasFleet(), "the stream said what the probe could not");
        assertFalse(c.hasAudit() || c.hasFlagHistory() || c.hasApprovals() || c.hasPlaybooks(),
                "a node's own records and changes are not offered at an aggregator");
    }

    private static final String OPERATORS_SAID = "no person's own token is let in until the node's operators file is fixed:"
            + " operators.json is not valid JSON";

    /** A node's 401 while it cannot read its operators file, as a real one words it. */
    private static MockResponse operatorsUnreadable() {
        return new MockResponse.Builder().code(401).setHeader("Content-Type", "application/problem+json")
                .body("{\"type\":\"urn:edgedeck:problem:unauthorised\",\"title\":\"Unauthorised\",\"status\":401,"
                        + "\"reason\":\"operators-unreadable\",\"detail\":\"" + OPERATORS_SAID + "\"}").build();
    }

    /** A node's 503 while it restores its show after a restart. */
    private static MockResponse restoring() {
        return new MockResponse.Builder().code(503).setHeader("Content-Type", "application/problem+json").setHeader("Retry-After", "1")
                .body("{\"type\":\"urn:edgedeck:problem:restoring\",\"title\":\"Restoring\",\"status\":503,\"detail\":\"restoring:"
                        + " played 0:20 of 1:00 of the show again; the node answers once its show is restored\",\"restoring\":"
                        + "\"played 0:20 of 1:00 of the show again\",\"phase\":\"restoring\"}").build();
    }

    /**
     * The node's owner fixes its operators file and restarts it while a console waits on it: refused for the file, then
     * a drop (the node down), then restoring. Once the node is gone, the connection no longer says it waits for the
     * file, and the status it reports is of the drop, then of the restore: one snapshot, never an earlier cause.
     */
    @Test
    void theOperatorsFileIsNoLongerWaitedForOnceTheNodeIsGoneOrRestoring() throws Exception {
        java.util.concurrent.atomic.AtomicReference<MockResponse> answer = new java.util.concurrent.atomic.AtomicReference<>(operatorsUnreadable());
        streamAnswer = n -> answer.get();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withOperatorsRetry(Duration.ofMillis(100)));
        await("waiting for the operators file", c::operatorsUnreadable);
        assertTrue(c.status().waitingForOperators(), c.status().toString());
        assertEquals(ConnectionStatus.State.RECONNECTING, c.status().state());
        assertTrue(c.status().detail().contains("cannot read its operators file"), c.status().detail());

        answer.set(new MockResponse.Builder().code(502).build());
        await("the drop said", () -> c.status().detail().endsWith("HTTP 502 from the stream"));
        assertFalse(c.operatorsUnreadable(), "the file is not what the console waits for now: " + c.status());
        assertEquals(ConnectionStatus.Waiting.NOTHING, c.status().waiting());

        answer.set(restoring());
        await("the restore said", () -> c.status().nodeRestoring());
        assertFalse(c.operatorsUnreadable(), c.status().toString());
        assertFalse(c.status().waitingForOperators());
        assertTrue(c.status().detail().startsWith("the node is restoring its show: played 0:20 of 1:00 of the show again"),
                c.status().detail());
    }

    /** A node on a new data directory says it is starting ({@code phase}), not restoring a show it never had. */
    @Test
    void aNodeStartingWithNoShowToRestoreIsNotRestoring() throws Exception {
        streamAnswer = n -> new MockResponse.Builder().code(503).setHeader("Content-Type", "application/problem+json")
                .setHeader("Retry-After", "1").body("{\"type\":\"urn:edgedeck:problem:restoring\",\"title\":\"Restoring\","
                        + "\"status\":503,\"detail\":\"starting: it has no show to restore, nothing to read back; the node answers"
                        + " once it has started\",\"restoring\":\"starting: it has no show to restore, nothing to read back\","
                        + "\"phase\":\"starting\"}").build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        await("starting said", () -> c.status().nodeStarting());
        assertFalse(c.status().nodeRestoring(), c.status().toString());
        assertTrue(c.status().detail().startsWith("the node is starting: it has no show to restore"), c.status().detail());
    }

    /** A stream that sends its events and stays open until {@code end} counts down, then ends. */
    private static MockResponse streamUntil(String events, java.util.concurrent.CountDownLatch end) {
        return new MockResponse.Builder().setHeader("Content-Type", "text/event-stream").body(new mockwebserver3.MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                sink.writeUtf8(events).flush();
                try {
                    end.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build();
    }

    /**
     * A call sent while the first stream was open, answered 401 for the operators file only after the stream had
     * dropped and opened again: the node let the new stream in after it refused the call, so the refusal is older than
     * it and the stream stays open, online, asked for no more.
     */
    @Test
    void aRefusalOlderThanTheStreamNowOpenLeavesItOpen() throws Exception {
        java.util.concurrent.CountDownLatch firstEnds = new java.util.concurrent.CountDownLatch(1);
        streamAnswer = n -> n == 0 ? streamUntil(uncheckedEvent(1), firstEnds) : openStream(uncheckedEvent(2));
        actionAnswer = operatorsUnreadable().newBuilder().headersDelay(1500, TimeUnit.MILLISECONDS).build();
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withOperatorsRetry(Duration.ofMillis(100)));
        await("online", () -> c.status().online());
        var late = c.flags();
        takeAction(); // the call reached the node while the first stream was open
        firstEnds.countDown();
        await("the second stream's frame", () -> c.latestFrame().map(f -> f.sequence() == 2).orElse(false));
        assertEquals(EdgeException.Kind.UNAUTHORISED,
                ((EdgeException) assertThrows(CompletionException.class, late::join).getCause()).kind());
        Thread.sleep(300); // three of the operators file's periods: a retry would show up in the count
        assertTrue(c.status().online(), c.status().toString());
        assertFalse(c.operatorsUnreadable());
        assertEquals(2, streamRequests.size(), "the open stream is kept: " + streamRequests.size() + " stream requests");
    }

    /** Draws the longest wait the backoff allows, every time. */
    private static final java.util.random.RandomGenerator LONGEST = new java.util.random.RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    /**
     * While the node cannot read its operators file, the stream and the calls are refused at once: the stream is asked
     * for one at a time, once a period (so never more often than the periods passed allow), a refusal that comes while a
     * long backoff is pending replaces it with the period the status promises, and nothing is asked once closed.
     */
    @Test
    void theOperatorsFileIsAskedAgainOnceAPeriodAndNotAfterClose() throws Exception {
        java.util.concurrent.CountDownLatch firstEnds = new java.util.concurrent.CountDownLatch(1);
        streamAnswer = n -> n == 0 ? streamUntil(uncheckedEvent(1), firstEnds) : operatorsUnreadable();
        fleetAnswer = new MockResponse.Builder().body("{}").build(); // asked as the connection opens: it serves a fleet
        long period = 200;
        connection = HttpEdgeConnection.open(base(), TOKEN, HttpEdgeConnection.Settings.defaults()
                .withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30), LONGEST).withOperatorsRetry(Duration.ofMillis(period)));
        HttpEdgeConnection c = connection;
        await("online", () -> c.status().online());
        fleetAnswers = HttpEdgeConnectionFaultTest::operatorsUnreadable;
        firstEnds.countDown();
        await("reconnecting after the longest backoff: " + c.status(), () -> c.status().detail().startsWith("reconnecting in 30 s"));
        // A read the console makes while reconnecting is refused for the file: the next ask is a period away, not 30 s.
        assertThrows(CompletionException.class, () -> c.fleet().join());
        assertTrue(c.status().waitingForOperators(), c.status().toString());
        assertTrue(c.status().detail().contains("Asking again every 0.2 s"), c.status().detail());
        assertNotNull(streamRequests.poll(10, TimeUnit.SECONDS));
        assertNotNull(streamRequests.poll(10, TimeUnit.SECONDS), "asked for again a period after the refusal, not after 30 s");

        long started = System.nanoTime();
        int before = streamRequests.size();
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = Thread.ofPlatform().start(() -> {
            while (polling.get()) {
                c.fleet().exceptionally(refused -> null).join();
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        await("asked for again at least twice more", () -> streamRequests.size() >= before + 2);
        Thread.sleep(5 * period);
        polling.set(false);
        poller.join();
        long periods = (System.nanoTime() - started) / TimeUnit.MILLISECONDS.toNanos(period);
        int asked = streamRequests.size() - before;
        assertTrue(asked <= periods + 1, asked + " stream requests in " + periods + " periods: more than one at a time");
        assertTrue(c.status().waitingForOperators(), c.status().toString());

        c.close();
        int atClose = streamRequests.size();
        Thread.sleep(4 * period);
        assertEquals(atClose, streamRequests.size(), "nothing is asked for once closed");
    }

    @Test
    void backoffIsFullJitterUnderADoublingCap() {
        HttpEdgeConnection c = HttpEdgeConnection.open(URI.create("http://127.0.0.1:9/"), TOKEN,
                HttpEdgeConnection.Settings.defaults().withBackoff(Duration.ofMillis(250), Duration.ofSeconds(10), new Random(42)));
        connection = c;
        long[] caps = {250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000};
        boolean sawLow = false;
        for (int round = 0; round < 200; round++) {
            for (int attempt = 0; attempt < caps.length; attempt++) {
                long d = c.backoffMillis(attempt);
                assertTrue(d >= 0 && d <= caps[attempt], "attempt " + attempt + " waited " + d);
                sawLow |= attempt == caps.length - 1 && d < 5000;
            }
        }
        assertTrue(sawLow, "full jitter draws from zero, not from half the cap");
        assertEquals("0.3 s", FrameStream.seconds(250));
        assertEquals("2 s", FrameStream.seconds(2100));
    }
}
