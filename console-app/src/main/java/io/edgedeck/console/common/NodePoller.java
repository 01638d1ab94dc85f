package io.edgedeck.console.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Asks an edge the same question every so often (Requests, Sources, Triggers: what frames do not carry), on a thread of its own, one question at a time; the
 * newest answer waits in an atomic reference until the frame tick takes it on the FX thread. Nothing
 * here calls {@code Platform.runLater}: what arrives between two ticks is coalesced to the newest.
 * When the console hears from the edge again ({@link #connectionOnline}) it asks at once, so no tab shows
 * what it last heard before the drop for up to a period after the connection is back; and no answer to a question
 * asked before then is shown after it, however late it comes, nor any answer over a newer question's.
 *
 * @param <T> the answer
 */
public final class NodePoller<T> implements AutoCloseable {
    /** The newest outcome: an answer, or why there was none. */
    public sealed interface Outcome<T> {
        record Answered<T>(T value) implements Outcome<T> {
        }

        record Failed<T>(String why) implements Outcome<T> {
        }
    }

    private final Supplier<CompletableFuture<T>> question;
    /** The newest outcome not yet taken, with when its question was asked. */
    private final AtomicReference<Stamped<T>> newest = new AtomicReference<>();
    private final ScheduledExecutorService thread;
    private volatile CompletableFuture<T> inFlight;
    /** How many times the console heard from the edge again: a question asked before the last of them is of before the drop. */
    private final java.util.concurrent.atomic.AtomicLong reconnects = new java.util.concurrent.atomic.AtomicLong();
    /** The questions asked so far; each is numbered in the order asked. */
    private final java.util.concurrent.atomic.AtomicLong asked = new java.util.concurrent.atomic.AtomicLong();
    /** The number of the newest question whose outcome was kept: an older one's never replaces it. */
    private final java.util.concurrent.atomic.AtomicLong newestKept = new java.util.concurrent.atomic.AtomicLong();

    /** An outcome, the number of its question and how many reconnects there had been when it was asked. */
    private record Stamped<T>(Outcome<T> outcome, long question, long reconnects) {
    }

    /**
     * Starts asking at once, then every {@code periodMillis} after each answer.
     *
     * @param name     the thread's name
     * @param question the call; it must not block (an edge connection's future)
     */
    public NodePoller(String name, long periodMillis, Supplier<CompletableFuture<T>> question) {
        this.question = question;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::ask, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Asks again now, rather than at the next period (after a change this console made). Any thread. */
    public void askNow() {
        ask(false);
    }

    private void ask(boolean overInFlight) {
        if (!thread.isShutdown()) {
            thread.execute(() -> ask(overInFlight ? inFlight : null));
        }
    }

    /**
     * Told whether the console hears from the edge (a feature's {@code connectionOnline}): when it answers again,
     * asked at once rather than at the next period. A question still waiting from before the drop is let go of: it
     * went to a node the console had lost, and waiting out its timeout would keep the tab on what it heard before the
     * drop. No outcome of a question asked before now is shown from here on, whether it comes later or came and was not
     * yet taken: what the tab gets next is of after the reconnect. Any thread.
     */
    public void connectionOnline(boolean online) {
        if (online) {
            reconnects.incrementAndGet();
            ask(true);
        }
    }

    private void ask() {
        ask((CompletableFuture<T>) null);
    }

    /** Asks unless a question is still waiting; {@code stale}, if it is the one waiting, is let go of first. */
    private void ask(CompletableFuture<T> stale) {
        CompletableFuture<T> previous = inFlight;
        if (previous != null && previous == stale) {
            // Let go of, whether or not the call can be withdrawn: its answer, should one come, is of before the drop.
            previous.cancel(false);
        } else if (previous != null && !previous.isDone()) {
            return; // a slow node gets one question at a time
        }
        // Numbered and stamped before asking: a reconnect heard while asking makes this question one of before it (a
        // question asked while the stream is down fails at once, and that failure is of before the reconnect).
        long number = asked.incrementAndGet();
        long since = reconnects.get();
        CompletableFuture<T> call;
        try {
            call = question.get();
        } catch (RuntimeException e) {
            // A question that throws instead of failing its future is a failure like any other: an exception out of a
            // scheduled task would end the polling for good, and the last outcome would stay on screen.
            call = CompletableFuture.failedFuture(e);
        }
        inFlight = call;
        call.whenComplete((value, error) -> {
            if (!(error instanceof java.util.concurrent.CancellationException)) {
                keep(new Stamped<>(error == null ? new Outcome.Answered<>(value) : new Outcome.Failed<>(Background.describe(error)),
                        number, since));
            }
        });
    }

    /** Keeps an outcome for the next take, unless its question was asked before a reconnect or before the kept one's. */
    private void keep(Stamped<T> outcome) {
        if (outcome.reconnects() != reconnects.get()) {
            return;
        }
        if (newestKept.getAndAccumulate(outcome.question(), Math::max) < outcome.question()) {
            newest.set(outcome);
        }
    }

    /** The outcome that arrived since the last call, or null: never one of a question asked before the last reconnect. FX thread (the tick). */
    public Outcome<T> take() {
        Stamped<T> taken = newest.getAndSet(null);
        return taken == null || taken.reconnects() != reconnects.get() ? null : taken.outcome();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
