package io.edgedeck.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.model.FleetCueFired;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Firing a cue for the whole fleet through the client, against an HTTP server on loopback that answers as a fleet
 * aggregator does (docs/FLEET.md, "Cues for the whole fleet"): its frame stream, {@code GET /api/v1/fleet}, and
 * {@code POST /api/v1/show/cues/{name}} answered 200 when every node took it, 202 naming those that did not, and
 * problem+json when it refuses. The real aggregator, which needs a Kafka broker, is fired at through this client in
 * the simulator's {@code FleetRunsKafkaTest}.
 */
class FleetCueClientTest {
    private static final String TOKEN = "fleet-cue-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CountDownLatch over = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final java.util.concurrent.LinkedBlockingQueue<String> asked = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile int status;
    private volatile String answer;
    private volatile long delayMillis;
    /** What {@code GET /api/v1/fleet} answers. */
    private volatile String fleet = "{}";
    /** Whether the server answers as a fleet aggregator (else as a node, which fires a cue on itself). */
    private volatile boolean aggregator = true;
    /** The server takes the call, then stops before it answers (the node went down after applying it). */
    private volatile boolean goAwayAfterTaking;
    private HttpServer server;
    private HttpEdgeConnection connection;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        over.countDown();
        if (connection != null) {
            connection.close();
        }
        server.stop(0);
        threads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (aggregator) {
            exchange.getResponseHeaders().set(HttpEdgeConnection.SERVER_HEADER, HttpEdgeConnection.FLEET_AGGREGATOR);
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/v1/frames/stream")) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(": the aggregator's frames\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                over.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (path.equals("/api/v1/fleet")) {
            if (!aggregator) {
                reply(exchange, 404, "application/problem+json", "{\"title\":\"a node serves no fleet\"}");
                return;
            }
            reply(exchange, 200, "application/json", fleet);
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        asked.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key") + " " + body);
        if (goAwayAfterTaking) {
            // The node took the call (it is applied) and went away before answering: listener and connections closed.
            server.stop(0);
            return;
        }
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reply(exchange, status, status >= 400 ? "application/problem+json" : "application/json", answer);
    }

    private static void reply(HttpExchange exchange, int code, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private HttpEdgeConnection open(HttpEdgeConnection.Settings settings) throws InterruptedException {
        connection = HttpEdgeConnection.open(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), TOKEN, settings);
        HttpEdgeConnectionFaultTest.await("the stream is open", () -> connection.status().online());
        assertEquals(aggregator, connection.hasFleet());
        return connection;
    }

    private void answers(int code, String body) {
        status = code;
        answer = body;
    }

    /** Every node took the cue: node-a, the only one, at {@code offset}. */
    private void answersTakenByNodeA(int offset) {
        answers(200, "{\"cue\":\"drop\",\"offset\":" + offset + ",\"took\":[\"node-a\"],\"notTaken\":[],"
                + "\"detail\":\"every node took it: node-a\"}");
    }

    /** The aggregator's /api/v1/fleet says its cue's answer takes {@code millis}, and {@code c} has read it. */
    private void saysItsAnswerTakes(HttpEdgeConnection c, String millis) {
        fleet = "{\"cueAnswerWithinMillis\": " + millis + "}";
        assertEquals(Long.parseLong(millis), c.fleet().join().cueAnswerWithinMillis());
    }

    private static EdgeException refusal(java.util.concurrent.CompletableFuture<?> call) {
        return assertInstanceOf(EdgeException.class, assertThrows(CompletionException.class, call::join).getCause());
    }

    @Test
    void everyNodeTookItIsReadWithTheNodesAndTheOffset() throws Exception {
        answers(200, "{\"cue\":\"drop\",\"offset\":41,\"took\":[\"node-a\",\"node-b\"],\"notTaken\":[],"
                + "\"detail\":\"every node took it: node-a, node-b\"}");
        FleetCueFired fired = open(HttpEdgeConnection.Settings.defaults()).fireFleetCue("drop", "the drop is live").join();
        assertEquals(new FleetCueFired("drop", 41, List.of("node-a", "node-b"), List.of(), "every node took it: node-a, node-b"), fired);
        assertTrue(fired.everyNodeTook());
        String[] request = asked.poll(5, TimeUnit.SECONDS).split(" ", 4);
        assertEquals(List.of("POST", "/api/v1/show/cues/drop"), List.of(request[0], request[1]));
        assertFalse(request[2].equals("null"), "a retry must write nothing again: the call carries an Idempotency-Key");
        assertEquals("the drop is live", JSON.readTree(request[3]).get("reason").asText());
    }

    /** 202 is no change request held for approval here: the cue was written, and the answer names who has not taken it. */
    @Test
    void aNodeThatDidNotTakeItIsNamedWithWhy() throws Exception {
        answers(202, "{\"cue\":\"drop\",\"offset\":42,\"took\":[\"node-a\"],\"notTaken\":[{\"node\":\"node-b\",\"why\":"
                + "\"silent for 12 s: it fires the cue when it reads the control topic again\"}],"
                + "\"detail\":\"not taken by node-b; taken by node-a\"}");
        FleetCueFired fired = open(HttpEdgeConnection.Settings.defaults()).fireFleetCue("drop", "go").join();
        assertFalse(fired.everyNodeTook());
        assertEquals(List.of("node-a"), fired.took());
        assertEquals(List.of(new FleetCueFired.NotTaken("node-b", "silent for 12 s: it fires the cue when it reads the control topic again")),
                fired.notTaken());
    }

    /** The aggregator waits for the nodes before it answers: longer than other calls may take, the answer still counts. */
    @Test
    void anAnswerThatWaitedForTheNodesIsNotCutOffByTheCallTimeout() throws Exception {
        answersTakenByNodeA(7);
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofMillis(300)));
        delayMillis = 800;
        assertEquals(List.of("node-a"), c.fireFleetCue("drop", "go").join().took());
        assertEquals(1, asked.size(), "answered the first time: not sent again");
    }

    /**
     * A cue whose answer does not come within the call's timeout is not sent again: the producer waits as long as the
     * timeout, not twice as long, and is told it may or may not have been taken. Before, the call was sent once more with
     * a timeout of its own after the first had used all of its.
     */
    @Test
    void aCueWhoseAnswerDoesNotComeInTimeIsNotSentAgainPastItsTimeout() throws Exception {
        aggregator = false;
        answers(200, "{\"cue\":\"drop\",\"fired\":[]}");
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofMillis(300)));
        delayMillis = 2_000;
        EdgeException failed = refusal(c.fireShowCue("drop", "go"));
        assertEquals(EdgeException.Kind.UNREACHABLE, failed.kind());
        assertTrue(failed.getMessage().contains("it may or may not have been applied"), failed.getMessage());
        assertEquals(1, asked.size(), "sent once: its timeout was used, so it was not sent again: " + asked);
    }

    /**
     * The cue reached the node (it may have fired it) and the node went away before answering; the retry is
     * refused. The producer is told it may or may not have been taken, never that it was not sent.
     */
    @Test
    void aCallTheNodeTookWhoseRetryIsRefusedWasSent() throws Exception {
        aggregator = false;
        answers(200, "{\"cue\":\"drop\",\"fired\":[]}");
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults().withCallTimeout(Duration.ofSeconds(5)));
        goAwayAfterTaking = true;
        EdgeException failed = refusal(c.fireShowCue("drop", "go"));
        assertEquals(1, asked.size(), "the node took the cue once: " + asked);
        assertTrue(failed.sent(), "it reached the node: " + failed.getMessage());
        assertTrue(failed.getMessage().contains("may or may not"), failed.getMessage());
    }

    /**
     * An aggregator given a long cue window (serve --fleet --cue-window 60) answers a cue up to 74 s later, and says so in
     * /api/v1/fleet: the call waits for that and a margin, not the 20 s an aggregator with the default window needs. Here
     * the aggregator says 30 s and answers after 21 s: the answer counts.
     */
    @Test
    void aCuesCallWaitsAsLongAsTheAggregatorSaysItsAnswerTakes() throws Exception {
        answersTakenByNodeA(9);
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        saysItsAnswerTakes(c, "30000");
        delayMillis = HttpEdgeConnection.FLEET_CUE_TIMEOUT.toMillis() + 1_000;
        assertEquals(List.of("node-a"), c.fireFleetCue("drop", "go").join().took());
        assertEquals(1, asked.size(), "answered the first time: not sent again");
    }

    /**
     * Whatever the aggregator says its cue's answer takes, a cue is fired and its answer read: nothing said, 0 or less, the
     * call waits 20 s; a figure past what any aggregator can take (its window is at most 300 s), or one no duration holds,
     * the call waits the longest a cue's answer can take, not days, and never throws where it is fired.
     */
    @Test
    void anyFigureTheAggregatorGivesForItsAnswerStillFiresTheCue() throws Exception {
        answersTakenByNodeA(8);
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        for (String said : List.of(String.valueOf(Long.MAX_VALUE), "1000000000000", "1000000000", "0", "-5", "19000")) {
            saysItsAnswerTakes(c, said);
            assertEquals(List.of("node-a"), c.fireFleetCue("drop", "go").join().took(), "the aggregator said " + said);
            Duration waits = c.fleetCueTimeout();
            assertTrue(waits.compareTo(HttpEdgeConnection.FLEET_CUE_TIMEOUT) >= 0
                    && waits.compareTo(HttpEdgeConnection.FLEET_CUE_LONGEST) <= 0, said + " -> " + waits);
        }
        assertEquals(6, asked.size());
    }

    @Test
    void aRefusalNamesTheFieldOrTheTokenItWants() throws Exception {
        HttpEdgeConnection c = open(HttpEdgeConnection.Settings.defaults());
        answers(400, "{\"type\":\"urn:edgedeck:problem:invalid\",\"title\":\"Invalid request\",\"status\":400,"
                + "\"detail\":\"must be a lowercase name: letters, digits and '-', at most 32 characters, was 'Drop!'\",\"field\":\"name\"}");
        EdgeException invalid = refusal(c.fireFleetCue("Drop!", "go"));
        assertEquals(EdgeException.Kind.INVALID, invalid.kind());
        assertEquals("name", invalid.field());
        assertTrue(invalid.detail().startsWith("must be a lowercase name"), invalid.detail());

        answers(403, "{\"type\":\"urn:edgedeck:problem:forbidden\",\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"firing a cue for the whole fleet takes the aggregator's admin token (DATA_DIR/token); the read key only reads\"}");
        EdgeException forbidden = refusal(c.fireFleetCue("drop", "go"));
        assertEquals(EdgeException.Kind.FORBIDDEN, forbidden.kind());
        assertTrue(forbidden.detail().contains("admin token"), forbidden.detail());
        assertTrue(c.status().online(), "a 403 is a right this token lacks, not a refused token");
    }
}
