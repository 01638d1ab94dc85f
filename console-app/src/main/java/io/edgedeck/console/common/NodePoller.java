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
 * what it last heard before the drop for up to a period after the connection is back.
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
    private final AtomicReference<Outcome<T>> newest = new AtomicReference<>();
    private final ScheduledExecutorService thread;
    private volatile CompletableFuture<T> inFlight;

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
     * asked at once rather than at the next period. A question still waiting from before the drop is let go of
     * (its answer, should one come, is not shown): it went to a node the console had lost, and waiting out its timeout
     * would keep the tab on what it heard before the drop. Any thread.
     */
    public void connectionOnline(boolean online) {
        if (online) {
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
            previous.cancel(false);
        }
        if (previous != null && !previous.isDone()) {
            return; // a slow node gets one question at a time
        }
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
                newest.set(error == null ? new Outcome.Answered<>(value) : new Outcome.Failed<>(Background.describe(error)));
            }
        });
    }

    /** The outcome that arrived since the last call, or null. FX thread (the tick). */
    public Outcome<T> take() {
        return newest.getAndSet(null);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
