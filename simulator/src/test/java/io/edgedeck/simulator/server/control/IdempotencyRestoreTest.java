package io.edgedeck.simulator.server.control;

import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.KeyedRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node restarted on its journal remembers: each caller's keys taken within the last 10 minutes
 * of wall-clock time, with the answers they were given; a key whose answer was not kept is answered
 * 409 (the change was made); older keys and other callers' are fresh requests.
 */
class IdempotencyRestoreTest {
    private static final long WINDOW = KeyedRequest.REMEMBERED.toMillis();
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);

    private Idempotency restored(List<JournalRecord> records) {
        return new Idempotency(KeyedRequest.MAX_KEYS, KeyedRequest.REMEMBERED, now::get, Duration.ofSeconds(1)).restore(records);
    }

    private static JournalRecord.IdempotencyKey key(long seq, String caller, String key, long wallMillis) {
        return new JournalRecord.IdempotencyKey(seq, 100, caller, key, "POST /api/v1/privacy/salt/rotate f00d", wallMillis);
    }

    private static JournalRecord.IdempotencyAnswer answer(long seq, long keySeq, String body) {
        return new JournalRecord.IdempotencyAnswer(seq, 110, keySeq, 200, "application/json", Map.of(), body);
    }

    private static IdempotencyCache.Stored replayed(Idempotency idempotency, String caller, String key) {
        var replay = assertInstanceOf(IdempotencyCache.Claim.Replay.class, idempotency.claim(caller, key));
        return replay.answer().join();
    }

    @Test
    void aKeyTakenWithinTheWindowIsAnsweredAsBeforeTheRestart() {
        String body = "{\"fromGeneration\":1,\"toGeneration\":2}";
        Idempotency idempotency = restored(List.of(
                new JournalRecord.ShowStarted(1, 0, "live", 0),
                key(2, "pat", "k-1", now.get() - WINDOW + 1),
                answer(3, 2, body)));
        IdempotencyCache.Stored first = replayed(idempotency, "pat", "k-1");
        assertEquals(200, first.answer().status());
        assertEquals(body, new String(first.answer().body(), StandardCharsets.UTF_8));
        assertEquals("application/json", first.answer().contentType());
        assertEquals("POST /api/v1/privacy/salt/rotate f00d", first.fingerprint(), "a different request with the key is told apart");
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, idempotency.claim("sam", "k-1"), "keys are each caller's own");
    }

    @Test
    void theWindowIsMeasuredFromTheFirstRequestsWallClockTime() {
        List<JournalRecord> records = List.of(key(2, "pat", "old", now.get() - WINDOW), answer(3, 2, "{}"),
                key(4, "pat", "recent", now.get() - WINDOW + 2), answer(5, 4, "{}"));
        Idempotency idempotency = restored(records);
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, idempotency.claim("pat", "old"), "10 minutes old: forgotten");
        replayed(idempotency, "pat", "recent");

        now.addAndGet(2);
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, idempotency.claim("pat", "recent"),
                "forgotten 10 minutes after it was first taken, however recently the node started");
    }

    @Test
    void aKeyWhoseAnswerWasNotKeptIsAnswered409NotAppliedAgain() {
        Idempotency idempotency = restored(List.of(key(7, "pat", "k-1", now.get() - 1000)));
        IdempotencyCache.Stored stored = replayed(idempotency, "pat", "k-1");
        assertEquals(409, stored.answer().status());
        String detail = new String(stored.answer().body(), StandardCharsets.UTF_8);
        assertTrue(detail.contains("was applied (journal record 7) before the node stopped"), detail);
        assertTrue(detail.contains("it is not applied again"), detail);
    }

    @Test
    void aJournalWithoutKeysRemembersNothing() {
        Idempotency idempotency = restored(List.of(new JournalRecord.ShowStarted(1, 0, "live", 0),
                new JournalRecord.Audited(2, 10, "pat", "privacy.salt.rotate", "salt", "generation 1", "generation 2", "r")));
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, idempotency.claim("pat", "k-1"));
    }

    @Test
    void noMoreKeysThanTheCapComeBackTheOldestDroppedFirst() {
        Idempotency idempotency = new Idempotency(2, KeyedRequest.REMEMBERED, now::get, Duration.ofSeconds(1)).restore(List.of(
                key(2, "pat", "a", now.get() - 30), answer(3, 2, "{}"),
                key(4, "pat", "b", now.get() - 20), answer(5, 4, "{}"),
                key(6, "pat", "c", now.get() - 10), answer(7, 6, "{}")));
        replayed(idempotency, "pat", "c");
        replayed(idempotency, "pat", "b");
        assertInstanceOf(IdempotencyCache.Claim.Fresh.class, idempotency.claim("pat", "a"));
    }
}
