package io.edgedeck.simulator.connectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys seen lately, for a connector's counts that tell a resend from something new: the events the node took from a
 * batch after telling its sender it was not taken in time, so their resend is not counted as a duplicate; the records
 * a push endpoint refused, so a retried batch's bad records count once.
 *
 * <p>Each key is held, as 64 bits of its SHA-256 (never the key as given), for {@code windowMillis} of the wall clock
 * after it was first added (the dedupe window, past which a resend is no repeat at all; seeing it again does not
 * extend it, as the core's window of refused ids is not extended), and at most {@code capacity} at once: past that the
 * oldest is forgotten first, and what it stood for counts again; the first time that happens before a key's window
 * ends, the node's log says so. About 100 bytes a key. Thread-safe.
 */
public final class RecentKeys {
    private static final Logger LOG = LoggerFactory.getLogger(RecentKeys.class);
    /** The keys held at most by default: a few large batches' worth, about 10 MB when full. */
    public static final int CAPACITY = 100_000;

    private final String what;
    private final long windowMillis;
    private final int capacity;
    private final InstantSource clock;
    /** Hash to when it was added, oldest first. */
    private final LinkedHashMap<Long, Long> held = new LinkedHashMap<>();
    /** Keys forgotten for want of room before their window ended. */
    private long forgottenEarly;

    /** {@code what} names the keys in the node's log, as "the records a push endpoint refused lately". */
    public RecentKeys(String what, long windowMillis, int capacity) {
        this(what, windowMillis, capacity, InstantSource.system());
    }

    RecentKeys(String what, long windowMillis, int capacity, InstantSource clock) {
        this.what = what;
        this.windowMillis = windowMillis;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Holds {@code key} (a null key is not held), from now unless it is held already. */
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
        expire(clock.millis());
        return held.containsKey(hash(key));
    }

    /**
     * Whether {@code key} was not held, holding it from now when it was not: true the first time within the window (a
     * null key, which tells nothing apart, is always the first).
     */
    public synchronized boolean firstSince(String key) {
        if (key == null) {
            return true;
        }
        long now = clock.millis();
        expire(now);
        Long h = hash(key);
        if (held.containsKey(h)) {
            return false;
        }
        held.put(h, now);
        while (held.size() > capacity) {
            held.pollFirstEntry();
            if (forgottenEarly++ == 0) {
                LOG.warn("{} fill the {} kept for {} s: the oldest are forgotten before their time, and a resend of what they"
                        + " stood for counts again", what, capacity, windowMillis / 1000);
            }
        }
        return true;
    }

    /** How many keys were forgotten for want of room before their window ended. */
    public synchronized long forgottenEarly() {
        return forgottenEarly;
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
