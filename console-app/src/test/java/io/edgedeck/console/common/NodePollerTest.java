package io.edgedeck.console.common;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodePollerTest {
    /**
     * However a question fails (a failed future, such as a node's 503 while it restores, or a throw before any future),
     * the poller asks again at its next period and the answer that follows replaces the failure.
     */
    @Test
    void everyKindOfFailureIsFollowedByTheNextAnswer() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (NodePoller<String> poller = new NodePoller<>("test-poller", 20, () -> switch (asked.incrementAndGet()) {
            case 1 -> CompletableFuture.failedFuture(new IllegalStateException("the node is restoring its show"));
            case 2 -> throw new IllegalStateException("no connection to ask");
            default -> CompletableFuture.completedFuture("answer " + asked.get());
        })) {
            // Outcomes between two takes coalesce to the newest: wait for one that is an answer.
            NodePoller.Outcome<String> o;
            do {
                o = awaitOutcome(poller);
            } while (o instanceof NodePoller.Outcome.Failed<String>);
            assertInstanceOf(NodePoller.Outcome.Answered.class, o, "asked again after the throw");
            assertTrue(asked.get() >= 3, "asked " + asked.get() + " times");
        }
    }

    /**
     * A question sent before the connection dropped never comes back (the node was lost while it waited): when the
     * connection is back the poller asks at once rather than after that question's timeout, and the new answer is
     * what the tab gets, not a failure of the question let go of.
     */
    @Test
    void aQuestionLeftWaitingByTheDropDoesNotHoldBackTheAskOnReconnect() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<String> lost = new CompletableFuture<>();
        try (NodePoller<String> poller = new NodePoller<>("test-poller", 3_600_000, () -> asked.incrementAndGet() == 1
                ? lost : CompletableFuture.completedFuture("answer " + asked.get()))) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (asked.get() < 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            poller.connectionOnline(false);
            poller.connectionOnline(true);
            NodePoller.Outcome<String> o = awaitOutcome(poller);
            assertEquals(new NodePoller.Outcome.Answered<>("answer 2"), o);
        }
    }

    /**
     * An answer to a question asked before the drop that came in while the connection was down and was not yet taken by
     * a tick: after the reconnect the tab gets the answer to the question asked then, never that one.
     */
    @Test
    void anAnswerFromBeforeTheDropNotYetTakenIsNotShownAfterTheReconnect() throws Exception {
        CompletableFuture<String> beforeTheDrop = new CompletableFuture<>();
        CompletableFuture<String> afterTheReconnect = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        try (NodePoller<String> poller = askingInTurn(asked, beforeTheDrop, afterTheReconnect)) {
            awaitAsked(asked, 1);
            poller.connectionOnline(false);
            beforeTheDrop.complete("before the drop");
            poller.connectionOnline(true);
            awaitAsked(asked, 2);
            assertNull(poller.take(), "nothing to show until the question asked after the reconnect is answered");
            afterTheReconnect.complete("after the reconnect");
            assertEquals(new NodePoller.Outcome.Answered<>("after the reconnect"), awaitOutcome(poller));
        }
    }

    /**
     * A question from before the drop whose call cannot be withdrawn (its answer comes whatever the poller does): the
     * poller asks anew on the reconnect all the same, and that question's answer, once taken, is never overwritten by
     * the late one.
     */
    @Test
    void aLateAnswerFromBeforeTheDropNeverOverwritesAFresherOne() throws Exception {
        CompletableFuture<String> beforeTheDrop = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterrupt) {
                return false; // the call goes on
            }
        };
        CompletableFuture<String> afterTheReconnect = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        try (NodePoller<String> poller = askingInTurn(asked, beforeTheDrop, afterTheReconnect)) {
            awaitAsked(asked, 1);
            poller.connectionOnline(false);
            poller.connectionOnline(true);
            awaitAsked(asked, 2);
            afterTheReconnect.complete("after the reconnect");
            assertEquals(new NodePoller.Outcome.Answered<>("after the reconnect"), awaitOutcome(poller));
            beforeTheDrop.complete("before the drop");
            assertNull(poller.take(), "the late answer is not shown");
            assertEquals(2, asked.get());
        }
    }

    /**
     * A question that fails at once because the stream is down ("not sent: reconnecting"), while the console hears from
     * the edge again during the asking: the failure is of before the reconnect, and is not shown after it; what the tab
     * gets next is the answer to the question asked on the reconnect.
     */
    @Test
    void aFailureOfAQuestionAskedAsTheConnectionCameBackIsNotShownAfterIt() throws Exception {
        CompletableFuture<NodePoller<String>> self = new CompletableFuture<>();
        CompletableFuture<String> afterTheReconnect = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        try (NodePoller<String> poller = new NodePoller<>("test-poller", 3_600_000, () -> {
            if (asked.incrementAndGet() > 1) {
                return afterTheReconnect;
            }
            // The FX thread hears from the edge again while this question is being asked, before its failed future is back.
            self.join().connectionOnline(true);
            return CompletableFuture.failedFuture(new IllegalStateException("GET /api/v1/requests was not sent: reconnecting"));
        })) {
            self.complete(poller);
            awaitAsked(asked, 2);
            assertNull(poller.take(), "the failure of the question asked before the reconnect is not shown");
            afterTheReconnect.complete("after the reconnect");
            assertEquals(new NodePoller.Outcome.Answered<>("after the reconnect"), awaitOutcome(poller));
        }
    }

    /** A poller that asks once an hour: {@code first} the first time, {@code then} after; {@code asked} counts. */
    private static NodePoller<String> askingInTurn(AtomicInteger asked, CompletableFuture<String> first,
                                                   CompletableFuture<String> then) {
        return new NodePoller<>("test-poller", 3_600_000, () -> asked.incrementAndGet() == 1 ? first : then);
    }

    private static void awaitAsked(AtomicInteger asked, int times) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (asked.get() < times && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(times, asked.get(), "questions asked");
    }

    private static NodePoller.Outcome<String> awaitOutcome(NodePoller<String> poller) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            NodePoller.Outcome<String> o = poller.take();
            if (o != null) {
                return o;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no outcome within 10 s");
    }
}
