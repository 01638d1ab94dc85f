package io.edgedeck.simulator.connectors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys seen lately, for a connector's counts that tell a resend from something new: the events the node took from a
 * batch after telling its sender it was not taken in time, so their resend is not counted as a duplicate; the records
 * a push endpoint refused, so a retried batch's bad records count once.
 *
 * <p>Each key is held, as 64 bits of its SHA-256 (never the key as given), for {@code windowMillis} of the wall clock
 * after it was last added (the dedupe window, past which a resend is no repeat at all), and at most {@code capacity}
 * at once: past that the oldest is forgotten first, and what it stood for counts again. About 100 bytes a key.
 * Thread-safe.
 */
public final class RecentKeys {
    /** The keys held at most by default: a few large batches' worth, about 10 MB when full. */
    public static final int CAPACITY = 100_000;

    private final long windowMillis;
    private final int capacity;
    /** Hash to when it was added, oldest first. */
    private final LinkedHashMap<Long, Long> held = new LinkedHashMap<>();

    public RecentKeys(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /** Holds {@code key} (a null key is not held), from now. */
    public synchronized void add(String key) {
        if (key != null) {
            firstSince(key);
        }
    }

    /** Whether {@code key} is held, within the window. */
    public synchronized boolean contains(String key) {
        if (key == null || held.isEmpty()) {
            return false;
        }
        expire(System.currentTimeMillis());
        return held.containsKey(hash(key));
    }

    /**
     * Whether {@code key} was not held, holding it from now either way: true the first time within the window (a null
     * key, which tells nothing apart, is always the first).
     */
    public synchronized boolean firstSince(String key) {
        if (key == null) {
            return true;
        }
        long now = System.currentTimeMillis();
        expire(now);
        Long h = hash(key);
        boolean first = held.remove(h) == null;
        held.put(h, now);
        while (held.size() > capacity) {
            held.pollFirstEntry();
        }
        return first;
    }

    private void expire(long now) {
        for (Map.Entry<Long, Long> oldest = held.firstEntry(); oldest != null && oldest.getValue() <= now - windowMillis;
             oldest = held.firstEntry()) {
            held.pollFirstEntry();
        }
    }

    private static long hash(String key) {
        return ByteBuffer.wrap(Hashes.sha256(key.getBytes(StandardCharsets.UTF_8))).getLong();
    }
}
