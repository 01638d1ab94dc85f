package io.edgedeck.simulator.server.control;

import io.edgedeck.simulator.server.http.Reply;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Remembers the answer to each mutation sent with an {@code Idempotency-Key}, so a client that
 * retries after a lost answer gets the first answer again instead of applying the change twice.
 * Every answer is remembered, errors and 5xx included: a command has one fate, and a retry learns
 * it rather than making a second one. Bounded in count and in time, measured from when the first
 * request was taken; a retry after that window is a new request. Answers given before a restart
 * come back through {@link #remember}.
 */
final class IdempotencyCache {
    /** What was answered; {@code fingerprint} tells a retry from a different request reusing the key. */
    record Stored(String fingerprint, Reply.Whole answer) {
    }

    /** The outcome of looking a key up. */
    sealed interface Claim {
        /** First time: the caller runs the request and must {@link IdempotencyCache#complete} it. */
        record Fresh(CompletableFuture<Stored> slot) implements Claim {
        }

        /** Seen before (or running now): wait for this answer. */
        record Replay(CompletableFuture<Stored> answer) implements Claim {
        }
    }

    private record Slot(long createdMillis, CompletableFuture<Stored> answer) {
    }

    private final int maxEntries;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>();

    IdempotencyCache(int maxEntries, long ttlMillis, LongSupplier clockMillis) {
        this.maxEntries = maxEntries;
        this.ttlMillis = ttlMillis;
        this.clock = clockMillis;
    }

    synchronized Claim claim(String key) {
        long now = clock.getAsLong();
        expire(now);
        Slot slot = slots.get(key);
        if (slot != null) {
            return new Claim.Replay(slot.answer());
        }
        makeRoom();
        CompletableFuture<Stored> answer = new CompletableFuture<>();
        slots.put(key, new Slot(now, answer));
        return new Claim.Fresh(answer);
    }

    /**
     * Remembers an answer given before the node started (read back from its journal), as taken at
     * {@code createdMillis}; call in the order they were taken, before any {@link #claim}. Also the
     * answer of a change applied later for nobody waiting: it replaces what the key had.
     */
    synchronized void remember(String key, long createdMillis, Stored answer) {
        if (clock.getAsLong() - createdMillis >= ttlMillis) {
            return;
        }
        slots.remove(key);
        makeRoom();
        slots.put(key, new Slot(createdMillis, CompletableFuture.completedFuture(answer)));
    }

    void complete(CompletableFuture<Stored> slot, Stored answer) {
        slot.complete(answer);
    }

    synchronized int size() {
        return slots.size();
    }

    /** Forgets the oldest key when the cache is full. */
    private void makeRoom() {
        if (slots.size() >= maxEntries) {
            Iterator<Map.Entry<String, Slot>> oldest = slots.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void expire(long now) {
        Iterator<Slot> it = slots.values().iterator();
        while (it.hasNext()) {
            Slot s = it.next();
            if (now - s.createdMillis() < ttlMillis) {
                break;
            }
            it.remove();
        }
    }
}
