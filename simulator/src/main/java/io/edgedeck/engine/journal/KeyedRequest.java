package io.edgedeck.engine.journal;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A request sent with an {@code Idempotency-Key}, while it is being handled: the journal
 * ({@link KeyedJournal}) writes its key in the same write as the first records of the change it
 * makes. It follows the request from the thread that took it to the engine thread through the
 * commands it submits ({@link #current}, {@link #during}).
 */
public final class KeyedRequest {
    /** How long a key is remembered, from the wall-clock time the node took its request. */
    public static final Duration REMEMBERED = Duration.ofMinutes(10);
    /** The most keys remembered at once; past it the oldest are forgotten first. */
    public static final int MAX_KEYS = 10_000;

    private static final ThreadLocal<KeyedRequest> CURRENT = new ThreadLocal<>();

    private final String caller;
    private final String key;
    private final String fingerprint;
    private final long wallMillis;
    /** The seq of its {@link JournalRecord.IdempotencyKey} record once written, else 0. */
    private volatile long keySeq;

    public KeyedRequest(String caller, String key, String fingerprint, long wallMillis) {
        this.caller = caller;
        this.key = key;
        this.fingerprint = fingerprint;
        this.wallMillis = wallMillis;
    }

    /** The keyed request being handled on this thread, or null. */
    public static KeyedRequest current() {
        return CURRENT.get();
    }

    /** Runs {@code work} on this thread as part of {@code request} (null: of no keyed request). */
    public static <T> T during(KeyedRequest request, Supplier<T> work) {
        KeyedRequest outer = CURRENT.get();
        CURRENT.set(request);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The record that makes the key durable, numbered {@code seq}. */
    JournalRecord.IdempotencyKey record(long seq, long atMillis) {
        return new JournalRecord.IdempotencyKey(seq, atMillis, caller, key, fingerprint, wallMillis);
    }

    void journaledAt(long seq) {
        keySeq = seq;
    }

    /** True once the request changed the journal, its key written with the change. */
    public boolean journaled() {
        return keySeq > 0;
    }

    /** The seq of the request's key record, or 0 when it wrote nothing. */
    public long keySeq() {
        return keySeq;
    }

    public long wallMillis() {
        return wallMillis;
    }

    /** The name of who sent it (a person, or {@code admin}), never a token. */
    public String caller() {
        return caller;
    }

    public String key() {
        return key;
    }

    /** The request's method, path and the SHA-256 of its body. */
    public String fingerprint() {
        return fingerprint;
    }
}
