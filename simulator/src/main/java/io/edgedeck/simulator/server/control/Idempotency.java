package io.edgedeck.simulator.server.control;

import io.edgedeck.simulator.server.Secrets;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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
 */
public final class Idempotency {
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
    static final int MAX_KEY_LENGTH = 200;

    private final IdempotencyCache cache;
    private final Duration waitForFirst;

    /**
     * @param waitForFirst how long a retry waits for the first request with its key, still running, to finish
     */
    public Idempotency(int maxKeys, Duration remembered, LongSupplier clockMillis, Duration waitForFirst) {
        this.cache = new IdempotencyCache(maxKeys, remembered.toMillis(), clockMillis);
        this.waitForFirst = waitForFirst;
    }

    /** A route whose handler runs at most once per key. */
    public Route.Handler once(Route.Handler mutation) {
        return call -> run(call, mutation);
    }

    private Reply run(Call call, Route.Handler mutation) throws Exception {
        byte[] body = call.body();
        String key = call.header("Idempotency-Key");
        if (key == null) {
            return answer(call, mutation);
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        String fingerprint = call.method() + " " + call.path() + " " + Secrets.sha256(body);
        // A line break cannot be in a caller's name, so no two callers' keys meet.
        return switch (cache.claim(call.caller().name() + "\n" + key)) {
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
                    throw new ApiException(422, "Idempotency-Key",
                            "this Idempotency-Key was used for a different request; use a new key for a new request");
                }
                yield first.answer().with("Idempotent-Replayed", "true");
            }
            case IdempotencyCache.Claim.Fresh fresh -> {
                Reply.Whole answer = answer(call, mutation);
                cache.complete(fresh.slot(), new IdempotencyCache.Stored(fingerprint, answer));
                yield answer;
            }
        };
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
