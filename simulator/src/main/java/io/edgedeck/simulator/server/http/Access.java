package io.edgedeck.simulator.server.http;

import io.edgedeck.client.model.Caller;
import io.edgedeck.client.model.Role;
import org.eclipse.jetty.http.HttpFields;

import java.util.function.Function;

/**
 * Who may call a {@link Lane}: a look at the request's headers that lets the call in as someone
 * ({@link Caller}) or refuses it (401, with a {@code WWW-Authenticate} challenge and a detail that
 * names the key the lane wants, never its value). Keys are compared in constant time by
 * {@link NodeToken}; no key ever reaches a log or an answer.
 */
public record Access(Function<HttpFields, Verdict> check) {

    /** What the check found. */
    public sealed interface Verdict {
        /** Let in, acting as {@code caller}. */
        record Let(Caller caller) implements Verdict {
        }

        /** Refused (401); {@code detail} says what key the lane wants, or why this one no longer works. */
        record Refuse(String detail) implements Verdict {
        }
    }

    /** Who a lane that needs no key lets in. */
    public static final Caller ANYONE = new Caller("anyone", Role.VIEWER);
    /** Who the read key lets in: evaluations and scrapes, no person. */
    public static final Caller READ_KEY = new Caller("read-key", Role.VIEWER);

    /** No key needed. */
    public static Access anyone() {
        return new Access(headers -> new Verdict.Let(ANYONE));
    }

    /**
     * The read key, acting as {@link #READ_KEY}, or whoever {@code others} lets in (the admin token, a
     * person's own): for the diagnostic reads support opens without a key that changes the show. Both
     * are asked every time, so the time taken says nothing of which one matched.
     */
    public static Access readKeyOr(NodeToken readKey, Access others) {
        return new Access(headers -> {
            Verdict other = others.verdict(headers);
            return readKey.accepts(headers.get("Authorization")) ? new Verdict.Let(READ_KEY) : other;
        });
    }

    /** {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, as OpenFeature's OFREP providers send it. */
    public static Access bearerOrApiKey(NodeToken key, Caller as, String refusal) {
        return new Access(headers -> key.accepts(headers.get("Authorization")) || key.acceptsApiKey(headers.get("X-API-Key"))
                ? new Verdict.Let(as) : new Verdict.Refuse(refusal));
    }

    Verdict verdict(HttpFields headers) {
        return check.apply(headers);
    }
}
