package io.edgedeck.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.console.common.Status;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change a fleet node could not confirm, in the LIVE console's schedule (Timeline tab), and Retry… driven from it.
 * The edge is a loopback HTTP server answering as a fleet node does after it was killed while its cue's change was
 * being written (docs/FLEET.md): the console's tests run no Kafka broker, so no real fleet node can be started here;
 * the node's own answers for this state, and a retry through the client, are tested on a real process in the
 * simulator's {@code FleetScheduleRestartKafkaTest}. Its answers: {@code GET /api/v1/schedule} with the change
 * {@code pending} and {@code unconfirmed}; the first retry a 409 problem+json in the node's words (another producer's
 * retry under way), the second a 200, after which the change is listed {@code fired}.
 *
 * <p>With {@code -Dedgedeck.screenshots=DIR} the window is written there as {@code console-schedule-unconfirmed.png}, and
 * with the retry's question open as {@code console-schedule-retry-question.png}.
 */
@ExtendWith(ApplicationExtension.class)
class ScheduleRetryUiTest {
    private static final String TOKEN = "schedule-retry-ui-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAST = "cue drop was fired, and the node was started again before its control record was"
            + " confirmed; it does not remember whether the record landed (one that landed marks it fired here only when this"
            + " node wrote it: a copy another node wrote first, or one written before this version, leaves it listed though it"
            + " fired)";
    private static final String BUSY = "scheduled change #1 is being written to the fleet already, for its retry by bob until"
            + " 2026-12-07T21:10:05Z; nothing changed";

    private Stage stage;
    private Console console;
    private EdgeConnection connection;
    private HttpServer node;
    private final CountDownLatch over = new CountDownLatch(1);
    private final CountDownLatch answerRetry = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final LinkedBlockingQueue<String> retries = new LinkedBlockingQueue<>();
    private final AtomicInteger retried = new AtomicInteger();
    private volatile long since;
    private volatile boolean fired;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close(FxRobot robot) {
        if (console != null) {
            robot.interact(() -> TestConsoles.close(console, connection));
        }
        over.countDown();
        if (node != null) {
            node.stop(0);
        }
        threads.shutdownNow();
    }

    /** The change as the node lists it: pending and not confirmed, or fired once a retry landed it. */
    private String schedule() {
        return "[" + change(!fired) + "]";
    }

    /** The change as one object; with {@code unconfirmed} while it waits on a record the fleet did not confirm. */
    private String change(boolean unconfirmed) {
        String change = "{\"id\":1,\"state\":\"" + (fired ? "fired" : "pending") + "\",\"cue\":\"drop\",\"at\":null,\"playbook\":null,"
                + "\"action\":{\"type\":\"kill\",\"flag\":\"offer-banner\"},\"reason\":\"the drop\",\"createdBy\":\"alice\","
                + "\"createdAtEpochMillis\":" + (since - 600_000) + ",\"endedBy\":" + (fired ? "\"schedule\"" : "null")
                + ",\"endedAtEpochMillis\":" + (fired ? Long.toString(System.currentTimeMillis()) : "null")
                + ",\"outcome\":" + (fired ? "\"offer-banner killed\"" : "null");
        if (unconfirmed) {
            change += ",\"unconfirmed\":{\"sinceEpochMillis\":" + since + ",\"last\":\"" + LAST + "\",\"detail\":\"its control"
                    + " record was not confirmed by the fleet's Kafka: it may yet apply on every node, or may have applied already;"
                    + " check the fleet's nodes (their flags and the control topic) before it is retried or cancelled (a retry"
                    + " of a change that did apply makes it again over any change made since; a cancel does not take back a"
                    + " record that lands)\"}";
        }
        return change + "}";
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization")) && !path.equals("/healthz")) {
            reply(exchange, 401, "application/problem+json", "{\"status\":401,\"title\":\"Unauthorized\"}");
            return;
        }
        switch (path) {
            case "/api/v1/frames/stream" -> stream(exchange, over);
            case "/api/v1/me" -> reply(exchange, 200, "application/json", "{\"name\":\"alice\",\"role\":\"operator\"}");
            case "/api/v1/schedule" -> reply(exchange, 200, "application/json", schedule());
            case "/api/v1/schedule/1/retry" -> {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                retries.add(body.path("reason").asText());
                if (retried.incrementAndGet() == 1) {
                    reply(exchange, 409, "application/problem+json", "{\"type\":\"urn:edgedeck:problem:conflict\",\"title\":"
                            + "\"Conflict\",\"status\":409,\"detail\":\"" + BUSY + "\"}");
                } else {
                    // As the node answers a retry: the change, still pending, no longer said to be unconfirmed; it fires soon after.
                    // Answered once the test saw Retry… wait for it.
                    try {
                        answerRetry.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    String answer = change(false);
                    fired = true;
                    reply(exchange, 200, "application/json", answer);
                }
            }
            default -> reply(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\"}");
        }
    }

    /** A frame each half second until {@code over}, as a node sends them: the console's views tick on frames. */
    static void stream(HttpExchange exchange, CountDownLatch over) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try {
            for (long seq = 1; !over.await(500, TimeUnit.MILLISECONDS); seq++) {
                exchange.getResponseBody().write(("id: " + seq + "\nevent: frame\ndata: " + JSON.writeValueAsString(Frames.frame(seq * 500, null, null, null, null, null, null, null))
                        + "\n\n").getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException closed) {
            // the console went away
        }
        exchange.close();
    }

    static void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void aChangeNotConfirmedIsSaidWithItsMinutesAndRetriedWithAReasonAndTheNodesRefusalInWords(FxRobot robot) throws Exception {
        since = System.currentTimeMillis() - 4 * 60_000 - 5_000;
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        node.setExecutor(threads); // the frame stream holds a thread while it is open
        node.createContext("/", this::answer);
        node.start();
        connection = HttpEdgeConnection.open(java.net.URI.create("http://127.0.0.1:" + node.getAddress().getPort()), TOKEN);
        waitFor("online", () -> connection.status().online());
        assertFalse(connection.hasFleet(), "a fleet node, not the aggregator: the schedule is its own");
        robot.interact(() -> console = TestConsoles.show(stage, connection));
        robot.interact(() -> console.showTab("timeline"));

        try {
            waitFor("the line and its Retry", () -> FxLookup.present(robot, "#retry-scheduled-1"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": the schedule says '" + text(robot, "#schedule-summary") + "', '"
                    + text(robot, "#schedule-problem") + "'; " + FxLookup.present(robot, "#schedule-view"), e);
        }
        String line = text(robot, "#schedule-unconfirmed-1");
        // The exact count is the model test's: here, that it is counted and when it began, in the console's clock form.
        assertTrue(line.matches("#1 kill offer-banner \\(cue drop\\): not confirmed for \\d+ min \\d\\d s \\(since"
                + " \\d\\d:\\d\\d:\\d\\d \\S+\\)\\. .*"), line);
        assertTrue(line.contains("The node says: " + LAST), line);
        assertTrue(line.contains("check the fleet's nodes (their flags and the control topic) before it is retried"), line);
        assertTrue(FxLookup.onFx(() -> robot.lookup("#schedule-unconfirmed-1").query().getStyleClass().contains(Status.BAD.styleClass())),
                "red: it needs a producer");
        TestConsoles.shootIfAsked(console, "console-schedule-unconfirmed.png");

        // Retry… asks for a reason; the node refuses this one (another retry under way) and says why, in its words
        fire(robot, "#retry-scheduled-1");
        waitFor("the retry's question", () -> FxLookup.present(robot, "#prompt-confirm"));
        assertEquals("Retry #1", FxLookup.onFx(() -> robot.lookup("#prompt-confirm").queryButton().getText()));
        TestConsoles.shootIfAsked(console, "console-schedule-retry-question.png");
        robot.interact(() -> robot.lookup("#prompt-reason").queryAs(TextField.class).setText("checked node-b: offer-banner not killed"));
        fire(robot, "#prompt-confirm");
        waitFor("the refusal", () -> text(robot, "#schedule-message").startsWith("Retry of #1 not taken"));
        assertEquals("Retry of #1 not taken: " + BUSY, text(robot, "#schedule-message"));
        assertEquals("checked node-b: offer-banner not killed", retries.poll(5, TimeUnit.SECONDS));
        assertTrue(FxLookup.present(robot, "#retry-scheduled-1"), "still not confirmed: still offered");

        // again: taken; the node lists it fired and the line goes
        fire(robot, "#retry-scheduled-1");
        waitFor("the retry's question", () -> FxLookup.present(robot, "#prompt-confirm"));
        fire(robot, "#prompt-confirm");
        // While its call is out, Retry… waits for the answer: a second click sends nothing.
        waitFor("Retry… disabled while the retry is out", () -> robot.lookup("#retry-scheduled-1").tryQueryAs(Button.class)
                .map(Button::isDisabled).orElse(false));
        // A disabled button shows no tooltip of its own: the box around it says why.
        assertEquals("The retry of #1 is out: Retry… waits for the node's answer", FxLookup.onFx(() -> {
            Object tip = robot.lookup("#retry-held-1").query().getProperties().get("javafx.scene.control.Tooltip");
            return tip instanceof javafx.scene.control.Tooltip t ? t.getText() : null;
        }));
        answerRetry.countDown();
        waitFor("the retry's outcome", () -> text(robot, "#schedule-message").startsWith("Retry of #1 taken"));
        assertEquals("Retry of #1 taken: the node tries kill offer-banner again; the schedule says when it fires",
                text(robot, "#schedule-message"));
        waitFor("fired: no line, no Retry", () -> !FxLookup.present(robot, "#retry-scheduled-1")
                && text(robot, "#schedule-unconfirmed-1").isEmpty());
        assertEquals(2, retried.get());
    }

    private static void fire(FxRobot robot, String query) {
        robot.interact(() -> {
            Button b = robot.lookup(query).queryButton();
            assertFalse(b.isDisabled(), query + " is disabled");
            b.fire();
        });
    }

    private static String text(FxRobot robot, String query) {
        return FxLookup.onFx(() -> robot.lookup(query).tryQueryAs(Label.class).map(Label::getText).orElse(""));
    }

    private static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }
}
