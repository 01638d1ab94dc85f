package io.edgedeck.simulator.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Remembers the answer to each mutation sent with an {@code Idempotency-Key}, so a client that
 * retries after a lost answer gets the first answer again instead of applying the change twice.
 * Bounded in count and in time; a retry after that window is a new request.
 */
final class IdempotencyCache {
    /** What was answered; {@code fingerprint} tells a retry from a different request reusing the key. */
    record Stored(String fingerprint, int status, String contentType, byte[] body) {
    }

    /** The outcome of looking a key up. */
    sealed interface Claim {
        /** First time: the caller runs the request and must {@link IdempotencyCache#complete} or {@link IdempotencyCache#abandon}. */
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
        if (slots.size() >= maxEntries) {
            Iterator<Map.Entry<String, Slot>> oldest = slots.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
        CompletableFuture<Stored> answer = new CompletableFuture<>();
        slots.put(key, new Slot(now, answer));
        return new Claim.Fresh(answer);
    }

    /** The request failed in a way worth retrying (5xx): forget the key so a retry runs again. */
    synchronized void abandon(String key, CompletableFuture<Stored> slot, Stored answer) {
        Slot current = slots.get(key);
        if (current != null && current.answer() == slot) {
            slots.remove(key);
        }
        slot.complete(answer);
    }

    void complete(CompletableFuture<Stored> slot, Stored answer) {
        slot.complete(answer);
    }

    synchronized int size() {
        return slots.size();
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
