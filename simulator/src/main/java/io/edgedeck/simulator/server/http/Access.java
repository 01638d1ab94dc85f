package io.edgedeck.simulator.server.http;

import org.eclipse.jetty.http.HttpFields;

import java.util.function.Predicate;

/**
 * Who may call a {@link Lane}: a check on the request's headers, and what a refused caller is told
 * (401, with a {@code WWW-Authenticate} challenge). Keys are compared in constant time by
 * {@link NodeToken}; no key ever reaches a log or an answer.
 *
 * @param refusal the 401 detail, naming the key the lane wants (never its value)
 */
public record Access(Predicate<HttpFields> check, String refusal, Predicate<HttpFields> otherLane, String forbidden) {

    public Access(Predicate<HttpFields> check, String refusal) {
        this(check, refusal, headers -> false, null);
    }

    /**
     * The same access, telling a caller who brings another of the node's keys (a real key, for
     * another lane) 403 with {@code forbidden} rather than 401: it is known, and not allowed here.
     */
    public Access forbidding(java.util.List<NodeToken> otherKeys, String forbidden) {
        Predicate<HttpFields> other = headers -> otherKeys.stream().anyMatch(k -> k.accepts(headers.get("Authorization"))
                || k.acceptsApiKey(headers.get("X-API-Key")));
        return new Access(check, refusal, other, forbidden);
    }

    /** {@code Authorization: Bearer} with any of these keys. */
    public static Access bearerAny(java.util.List<NodeToken> keys, String refusal) {
        return new Access(headers -> keys.stream().anyMatch(k -> k.accepts(headers.get("Authorization"))), refusal);
    }

    boolean isOtherLanesKey(HttpFields headers) {
        return otherLane.test(headers);
    }

    /** No key needed. */
    public static Access anyone() {
        return new Access(headers -> true, null);
    }

    /** {@code Authorization: Bearer <key>}. */
    public static Access bearer(NodeToken key, String refusal) {
        return new Access(headers -> key.accepts(headers.get("Authorization")), refusal);
    }

    /** {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, as OpenFeature's OFREP providers send it. */
    public static Access bearerOrApiKey(NodeToken key, String refusal) {
        return new Access(headers -> key.accepts(headers.get("Authorization")) || key.acceptsApiKey(headers.get("X-API-Key")),
                refusal);
    }

    boolean permits(HttpFields headers) {
        return check.test(headers);
    }
}
