package io.edgedeck.simulator.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class IdempotencyCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final IdempotencyCache cache = new IdempotencyCache(3, 600_000, now::get);

    private static IdempotencyCache.Stored answer(String body) {
        return new IdempotencyCache.Stored("POST /x", 200, "application/json", body.getBytes());
    }

    @Test
    void aKeySeenWithinTheWindowReplaysTheFirstAnswer() {
        var fresh = assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("k"));
        IdempotencyCache.Stored first = answer("one");
        cache.complete(fresh.slot(), first);
        now.addAndGet(599_000);
        var replay = assertInstanceOf(IdempotencyCache.Claim.Replay.class, cache.claim("k"));
        assertSame(first, replay.answer().join());
    }

    @Test
    void aKeyOlderThanTheWindowIsANewRequest() {
        var fresh = assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("k"));
        cache.complete(fresh.slot(), answer("one"));
        now.addAndGet(600_000);
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("k"));
    }

    @Test
    void theOldestKeyMakesRoomWhenFull() {
        for (String k : new String[] {"a", "b", "c", "d"}) {
            var fresh = assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim(k));
            cache.complete(fresh.slot(), answer(k));
        }
        assertEquals(3, cache.size());
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("a"), "a was evicted");
        assertInstanceOf(IdempotencyCache.Claim.Replay.class, cache.claim("d"));
    }

    @Test
    void anAbandonedKeyRunsAgainOnRetry() {
        var fresh = assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("k"));
        cache.abandon("k", fresh.slot(), new IdempotencyCache.Stored("POST /x", 503, "application/problem+json", new byte[0]));
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("k"));
    }
}
