package io.edgedeck.simulator.server.control;

import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.KeyedJournal;
import io.edgedeck.engine.journal.KeyedRequest;
import io.edgedeck.simulator.server.Secrets;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Runs each mutation once per caller and {@code Idempotency-Key}: the first request runs, and every
 * retry by the same caller with the same key gets that first answer byte for byte, marked
 * {@code Idempotent-Replayed: true}, whatever it was (a 503 that cancelled the command included).
 * The same key with a different request is a 422. Keys are the caller's own: two people who happen
 * to send the same key each get their own answer, and nobody reads another's.
 *
 * <p>A request that changed the journal has its key written with its change ({@link KeyedJournal})
 * and its answer written ({@link AnswerLog}) before it is sent, so a node restarted on its journal,
 * after a kill -9 too, answers a retry the same way ({@link #restore}). A request that changed
 * nothing durable (a refusal, a 503, a change to a state it already had) is remembered in memory only:
 * after a restart a retry runs again, and changes nothing again.
 *
 * <p>A fleet node's change is journaled when the node applies it from the control topic, which may be
 * after it stopped and started again: then it is journaled with the key the control record carries,
 * for no request waiting, and {@link #madeUnanswered} tells this of it.
 */
public final class Idempotency {
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
    static final int MAX_KEY_LENGTH = 200;

    private final IdempotencyCache cache;
    private final long rememberedMillis;
    /** Requests whose change this node applied with nobody waiting for its answer, by caller and key. */
    private final Map<String, KeyedRequest> unanswered = new ConcurrentHashMap<>();
    private final Duration waitForFirst;
    private final LongSupplier clock;
    private final AnswerLog answers;

    /** Where the answer to a request that changed the journal is made durable before it is sent. */
    @FunctionalInterface
    public interface AnswerLog {
        /** For a node with no journal to keep answers in: they are remembered in memory only. */
        AnswerLog NONE = (request, answer) -> { };

        /**
         * Makes {@code answer} durable as the answer of {@code request}, whose key is journaled.
         *
         * @throws RuntimeException when it could not be written
         */
        void write(KeyedRequest request, Reply.Whole answer);
    }

    /**
     * Answers kept in memory only.
     *
     * @param waitForFirst how long a retry waits for the first request with its key, still running, to finish
     */
    public Idempotency(int maxKeys, Duration remembered, LongSupplier clockMillis, Duration waitForFirst) {
        this(maxKeys, remembered, clockMillis, waitForFirst, AnswerLog.NONE);
    }

    /**
     * @param clockMillis  the wall clock, ms since the epoch: a key is remembered from when its first request was taken
     * @param waitForFirst how long a retry waits for the first request with its key, still running, to finish
     * @param answers      where answers to requests that changed the journal are made durable
     */
    public Idempotency(int maxKeys, Duration remembered, LongSupplier clockMillis, Duration waitForFirst, AnswerLog answers) {
        this.cache = new IdempotencyCache(maxKeys, remembered.toMillis(), clockMillis);
        this.rememberedMillis = remembered.toMillis();
        this.waitForFirst = waitForFirst;
        this.clock = clockMillis;
        this.answers = answers;
    }

    /**
     * Remembers again the keys a journal holds (a node's, read on start): each request's key taken
     * within the window, with its answer. A key whose change is on the device but whose answer is not
     * (the node stopped between the two) is answered 409: the change was made, and is not made again.
     */
    public Idempotency restore(List<JournalRecord> records) {
        Map<Long, JournalRecord.IdempotencyAnswer> answered = new HashMap<>();
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.IdempotencyAnswer a) {
                answered.put(a.keySeq(), a);
            }
        }
        for (JournalRecord r : records) {
            if (r instanceof JournalRecord.IdempotencyKey k) {
                JournalRecord.IdempotencyAnswer a = answered.get(k.seq());
                Reply.Whole answer = a == null ? Reply.problem(answerLost(k.seq()))
                        : new Reply.Whole(a.status(), a.contentType(), a.body().getBytes(StandardCharsets.UTF_8), a.headers());
                cache.remember(slotKey(k.caller(), k.key()), k.wallMillis(), new IdempotencyCache.Stored(k.fingerprint(), answer));
            }
        }
        return this;
    }

    /** A retry of a request whose change is journaled (record {@code keySeq}) but whose answer is not. */
    private static ApiException answerLost(long keySeq) {
        return new ApiException(409, null, "the request with this Idempotency-Key was applied (journal record " + keySeq
                + ") before the node stopped, and its answer was not kept; it is not applied again: read the current state"
                + " (a change it sent on through the fleet, or a scheduled change it cued, may not have been made)");
    }

    private static ApiException otherRequest() {
        return new ApiException(422, "Idempotency-Key", "this Idempotency-Key was used for a different request; use a new key"
                + " for a new request");
    }

    /**
     * A request whose change this fleet node applied from the control topic with nobody waiting for its
     * answer (the node stopped after the topic took it, or gave up waiting), its key journaled with it
     * ({@link KeyedRequest#keySeq}): from now on a retry is answered as after a restart, 409, not
     * applied again. Any thread.
     */
    void madeUnanswered(KeyedRequest made) {
        long now = clock.getAsLong();
        unanswered.values().removeIf(k -> now - k.wallMillis() >= rememberedMillis);
        String slot = slotKey(made.caller(), made.key());
        unanswered.put(slot, made);
        cache.remember(slot, made.wallMillis(), new IdempotencyCache.Stored(made.fingerprint(),
                Reply.problem(answerLost(made.keySeq()))));
    }

    /**
     * Refuses {@code asking} (null: none) when its key's change was applied meanwhile for nobody waiting:
     * a retry that came in before the node, started again, had applied it. 409 as any retry of it then,
     * 422 for another request with that key. Engine thread, before a fleet change is proposed.
     */
    void refuseIfMade(KeyedRequest asking) {
        KeyedRequest made = asking == null ? null : unanswered.get(slotKey(asking.caller(), asking.key()));
        if (made == null || clock.getAsLong() - made.wallMillis() >= rememberedMillis) {
            return;
        }
        throw made.fingerprint().equals(asking.fingerprint()) ? answerLost(made.keySeq()) : otherRequest();
    }

    /** The caller's key: fresh (the caller runs the request), or seen within the window (its answer follows). */
    IdempotencyCache.Claim claim(String caller, String key) {
        return cache.claim(slotKey(caller, key));
    }

    /** A line break cannot be in a caller's name, so no two callers' keys meet. */
    private static String slotKey(String caller, String key) {
        return caller + "\n" + key;
    }

    /** A route whose handler runs at most once per key. */
    public Route.Handler once(Route.Handler mutation) {
        return call -> run(call, mutation);
    }

    private Reply run(Call call, Route.Handler mutation) throws Exception {
        byte[] body = call.body();
        // Two keys on one request (a proxy adding its own, say) name no one request to run once: a 400.
        String key = call.singleHeader("Idempotency-Key");
        if (key == null) {
            return answer(call, mutation);
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        String fingerprint = call.method() + " " + call.path() + " " + Secrets.sha256(body);
        return switch (claim(call.caller().name(), key)) {
            case IdempotencyCache.Claim.Replay replay -> {
                IdempotencyCache.Stored first;
                try {
                    first = replay.answer().get(waitForFirst.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    throw new ApiException(503, null, "the first request with this Idempotency-Key is still running; "
                            + "send this one again in a moment to learn its outcome");
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a remembered answer failed", e.getCause());
                }
                if (!first.fingerprint().equals(fingerprint)) {
                    throw otherRequest();
                }
                yield first.answer().with("Idempotent-Replayed", "true");
            }
            case IdempotencyCache.Claim.Fresh fresh -> {
                KeyedRequest request = new KeyedRequest(call.caller().name(), key, fingerprint, clock.getAsLong());
                Reply.Whole answer = KeyedRequest.during(request, () -> answer(call, mutation));
                if (request.journaled()) {
                    keep(call, request, answer);
                }
                cache.complete(fresh.slot(), new IdempotencyCache.Stored(fingerprint, answer));
                yield answer;
            }
        };
    }

    /**
     * Makes the answer of a request whose change is journaled durable before it is sent. The change is
     * durable already: if its answer cannot be written the answer is still sent, and a retry after a
     * restart is told the change was made.
     */
    private void keep(Call call, KeyedRequest request, Reply.Whole answer) {
        try {
            answers.write(request, answer);
        } catch (RuntimeException e) {
            LOG.warn("The answer to {} {} by {} (status {}) could not be journaled ({}); its change is, and a retry after a"
                    + " restart is told so", call.method(), call.path(), call.caller().name(), answer.status(), e.toString());
        }
    }

    /** The mutation's answer, its failures included, as a whole reply: this is what a retry will get. */
    private static Reply.Whole answer(Call call, Route.Handler mutation) {
        try {
            return (Reply.Whole) mutation.handle(call);
        } catch (ApiException e) {
            return Reply.problem(e);
        } catch (Exception e) {
            LOG.error("The node failed on {} {}", call.method(), call.path(), e);
            return Reply.problem(new ApiException(500, null, "the node failed: " + e.getClass().getSimpleName()));
        }
    }
}
