package io.edgedeck.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.console.common.Background;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.connection.ConsoleSession;
import io.edgedeck.console.playbooks.ScheduleViewModel;
import javafx.beans.property.SimpleBooleanProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the console says of a Retry… that failed, by how it failed: never sent or turned away with a 4xx is "not taken";
 * a 5xx, or no answer after the request was sent (a timeout), is "may or may not have been taken". The node is a
 * loopback HTTP server that streams frames, as a node does, and answers the retry as each case needs.
 */
class ScheduleRetryOutcomeTest {
    private static final String TOKEN = "schedule-retry-outcome-token";

    /** How the stand-in answers {@code POST /api/v1/schedule/1/retry}. */
    private interface Retry {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final CountDownLatch over = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger retries = new AtomicInteger();
    private HttpServer node;
    private HttpEdgeConnection connection;

    @AfterEach
    void close() {
        over.countDown();
        if (connection != null) {
            connection.close();
        }
        if (node != null) {
            node.stop(0);
        }
        threads.shutdownNow();
    }

    private ScheduleViewModel retried(Retry retry, Duration callTimeout) throws Exception {
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        node.setExecutor(threads); // the frame stream holds a thread while it is open
        node.createContext("/", exchange -> {
            switch (exchange.getRequestURI().getPath()) {
                case "/api/v1/frames/stream" -> ScheduleRetryUiTest.stream(exchange, over);
                case "/api/v1/me" -> ScheduleRetryUiTest.reply(exchange, 200, "application/json", "{\"name\":\"alice\",\"role\":\"operator\"}");
                case "/api/v1/schedule/1/retry" -> {
                    exchange.getRequestBody().readAllBytes();
                    retries.incrementAndGet();
                    retry.answer(exchange);
                }
                default -> ScheduleRetryUiTest.reply(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\"}");
            }
        });
        node.start();
        connection = HttpEdgeConnection.open(java.net.URI.create("http://127.0.0.1:" + node.getAddress().getPort()), TOKEN,
                HttpEdgeConnection.Settings.defaults().withCallTimeout(callTimeout));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!connection.status().online()) {
            if (System.nanoTime() > until) {
                fail("the stand-in node never came online: " + connection.status().detail());
            }
            Thread.sleep(50);
        }
        ScheduleViewModel vm = new ScheduleViewModel(new ConsoleSession(connection, Background.sameThread()),
                new SimpleBooleanProperty(true), Background.sameThread(), () -> { }, ZoneOffset.UTC);
        long now = System.currentTimeMillis();
        vm.answered(List.of(new ScheduledChange(1, ScheduledChange.State.PENDING, "drop", null, null, PlaybookAction.kill("offer-banner"),
                "the drop", "alice", now - 600_000, null, null, null, null)
                .withUnconfirmed(new ScheduledChange.Unconfirmed(now - 60_000, "cue drop was fired, and the node was started again"
                        + " before its control record was confirmed", "check the fleet's nodes before it is retried"))), now);
        return vm;
    }

    /** Retries #1 and waits for the console's words on it. */
    private static String outcome(ScheduleViewModel vm) throws InterruptedException {
        vm.retry(vm.unconfirmed().getFirst(), "checked the fleet's nodes: not applied");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (vm.messageProperty().get() == null || !vm.messageProperty().get().startsWith("Retry of #1")) {
            if (System.nanoTime() > until) {
                fail("no outcome said: '" + vm.messageProperty().get() + "'");
            }
            Thread.sleep(20);
        }
        return vm.messageProperty().get();
    }

    private static Retry problem(int status, String detail) {
        return exchange -> ScheduleRetryUiTest.reply(exchange, status, "application/problem+json", "{\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    @Test
    void turnedAwayWithA4xxIsNotTakenInTheNodesWords() throws Exception {
        String busy = "scheduled change #1 is being written to the fleet already, for its retry by bob; nothing changed";
        ScheduleViewModel vm = retried(problem(409, busy), Duration.ofSeconds(10));
        assertEquals("Retry of #1 not taken: " + busy, outcome(vm));
        assertEquals(Status.BAD, vm.messageStatusProperty().get());
    }

    @Test
    void aServerErrorMayOrMayNotHaveBeenTaken() throws Exception {
        ScheduleViewModel vm = retried(problem(500, "the journal could not be written"), Duration.ofSeconds(10));
        assertEquals("Retry of #1 may or may not have been taken: the journal could not be written", outcome(vm),
                "a 500 may come after the node made the change");
        assertEquals(Status.WARN, vm.messageStatusProperty().get());
    }

    @Test
    void noAnswerAfterSendingMayOrMayNotHaveBeenTaken() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        ScheduleViewModel vm = retried(exchange -> {
            try {
                answered.await(20, TimeUnit.SECONDS); // the node took the request and never answered in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        }, Duration.ofMillis(700));
        String said = outcome(vm);
        answered.countDown();
        assertTrue(said.startsWith("Retry of #1 may or may not have been taken: POST "), said);
        assertTrue(said.endsWith("it may or may not have been applied, check the audit log"), said);
        assertEquals(Status.WARN, vm.messageStatusProperty().get());
        assertTrue(retries.get() >= 1, "the request reached the node");
    }

    @Test
    void neverSentIsNotTaken() throws Exception {
        ScheduleViewModel vm = retried(problem(200, "unused"), Duration.ofSeconds(10));
        node.stop(0); // the node is gone: the connection is refused, or the console already knows it is not connected
        String said = outcome(vm);
        assertTrue(said.startsWith("Retry of #1 not taken: "), said);
        assertTrue(said.contains("not sent") || said.contains("nothing was sent"), "says it was not sent: " + said);
        assertEquals(Status.BAD, vm.messageStatusProperty().get());
        assertEquals(0, retries.get(), "nothing reached the node");
    }
}
