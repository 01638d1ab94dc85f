package io.edgedeck.simulator.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.MetricsFrame;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent frames, so a client that lost its stream can resume where it left off. Frames
 * arrive on the engine thread; stream writers read on their own threads and wait here for news.
 */
public final class FrameRing {
    /** One frame, serialised at most once however many streams send it. */
    static final class Entry {
        private final MetricsFrame frame;
        private volatile byte[] json;

        Entry(MetricsFrame frame) {
            this.frame = frame;
        }

        long sequence() {
            return frame.sequence();
        }

        MetricsFrame frame() {
            return frame;
        }

        byte[] json(ObjectMapper mapper) {
            byte[] bytes = json;
            if (bytes == null) {
                try {
                    bytes = mapper.writeValueAsString(frame).getBytes(StandardCharsets.UTF_8);
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                json = bytes;
            }
            return bytes;
        }
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries;
    private boolean closed;

    public FrameRing(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    /** Engine thread: keep it cheap, no serialisation here. */
    public synchronized void add(MetricsFrame frame) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(frame));
        notifyAll();
    }

    public synchronized Entry newest() {
        return entries.peekLast();
    }

    int capacity() {
        return capacity;
    }

    /**
     * The frames a client that last saw {@code lastId} should get next. When that id is older than
     * the ring (the client was away too long) or unknown to it (newer than anything here: the node
     * restarted and numbers began again), there is no gapless way forward: it gets the newest frame.
     */
    synchronized List<Entry> after(long lastId) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Entry oldest = entries.peekFirst();
        Entry newest = entries.peekLast();
        if (lastId == newest.sequence()) {
            return List.of();
        }
        if (lastId > newest.sequence() || lastId < oldest.sequence() - 1) {
            return List.of(newest);
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.sequence() > lastId) {
                out.add(e);
            }
        }
        return out;
    }

    /** Like {@link #after}, waiting up to {@code timeoutMillis} for a frame; empty on timeout or close. */
    synchronized List<Entry> awaitAfter(long lastId, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!closed) {
            List<Entry> next = after(lastId);
            if (!next.isEmpty()) {
                return next;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        return List.of();
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Wakes every waiting stream so it can finish. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
