package io.edgedeck.simulator.connectors;

import io.edgedeck.client.ingest.IngestEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** A sink that keeps what it took, and refuses batches while told to; for connector tests. */
public final class RecordingSink implements EventSink {
    private final List<IngestEvent> events = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final AtomicReference<String> refusing = new AtomicReference<>();

    @Override
    public synchronized Taken accept(List<IngestEvent> batch) throws SinkRefusedException {
        String reason = refusing.get();
        if (reason != null) {
            throw new SinkRefusedException(reason, 2);
        }
        events.addAll(batch);
        batchSizes.add(batch.size());
        notifyAll();
        return Taken.ALL;
    }

    /** From now on every batch is refused with this reason; null takes them again. */
    public void refuse(String reason) {
        refusing.set(reason);
    }

    public synchronized List<IngestEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    @SuppressWarnings("unchecked")
    public synchronized <T extends IngestEvent> List<T> events(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (IngestEvent e : events) {
            if (type.isInstance(e)) {
                out.add((T) e);
            }
        }
        return out;
    }

    /** Waits until the events taken so far satisfy {@code done}; fails after {@code timeout}. */
    public synchronized List<IngestEvent> await(Predicate<List<IngestEvent>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(events)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " with " + events.size() + " events: " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(events);
    }
}
