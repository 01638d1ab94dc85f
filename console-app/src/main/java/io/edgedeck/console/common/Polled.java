package io.edgedeck.console.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Asks the edge the same question on a fixed delay, on a thread of its own, one question at a time
 * (a slow edge is not asked again until it answered); the newest answer waits for the frame tick,
 * which {@linkplain #take takes} it on the FX thread. For the views that read what frames do not carry
 * (Sources, Triggers).
 */
public final class Polled<T> implements AutoCloseable {

    /** What the edge said: a value, or why it could not be asked. */
    public sealed interface Answer<T> {
        record Value<T>(T value) implements Answer<T> {
        }

        record Failed<T>(String why) implements Answer<T> {
        }
    }

    private final Supplier<CompletableFuture<T>> call;
    private final AtomicReference<Answer<T>> newest = new AtomicReference<>();
    private final ScheduledExecutorService poller;
    private volatile CompletableFuture<T> inFlight;

    /** Starts asking at once, then every {@code periodMillis} after the last question was sent. */
    public Polled(String threadName, long periodMillis, Supplier<CompletableFuture<T>> call) {
        this.call = call;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::ask, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void ask() {
        CompletableFuture<T> previous = inFlight;
        if (previous != null && !previous.isDone()) {
            return;
        }
        CompletableFuture<T> next = call.get();
        inFlight = next;
        next.whenComplete((value, error) -> newest.set(error == null ? new Answer.Value<>(value)
                : new Answer.Failed<>(error.getCause() != null ? error.getCause().getMessage() : error.getMessage())));
    }

    /** The answer that came since the last call, or null. Any thread; the FX tick in practice. */
    public Answer<T> take() {
        return newest.getAndSet(null);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
