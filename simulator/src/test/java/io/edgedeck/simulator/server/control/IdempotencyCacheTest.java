package io.edgedeck.simulator.server.control;

import io.edgedeck.simulator.server.http.Reply;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class IdempotencyCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final IdempotencyCache cache = new IdempotencyCache(3, 600_000, now::get);

    private static IdempotencyCache.Stored answer(String body) {
        return new IdempotencyCache.Stored("POST /x", Reply.bytes(200, "application/json", body.getBytes()));
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
    void aServerErrorIsRememberedLikeAnyOtherAnswer() {
        var fresh = assertInstanceOf(IdempotencyCache.Claim.Fresh.class, cache.claim("k"));
        IdempotencyCache.Stored unavailable = new IdempotencyCache.Stored("POST /x",
                Reply.bytes(503, "application/problem+json", "{}".getBytes()));
        cache.complete(fresh.slot(), unavailable);
        var replay = assertInstanceOf(IdempotencyCache.Claim.Replay.class, cache.claim("k"));
        assertSame(unavailable, replay.answer().join(), "a retry learns the first fate instead of making a second");
    }
}
